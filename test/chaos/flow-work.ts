import { FlowCreated, TaskQueueClient, TaskView } from '@shepherd/taskqueue';

/**
 * The flows a chaos run keeps creating while the faults land: diamonds a -> (b, c) -> d. Each
 * task is retried as often as the submitted ones, so every one must end done, exactly once (the
 * invariant checker proves that, as for the others), and each must have started only after its
 * dependencies completed, with their results in hand (checked here).
 */
export function chaosFlowSpec(n: number) {
  const options = { maxAttempts: 25 };
  return {
    tasks: [
      { key: 'a', type: 'sleep', payload: { ms: 5 + (n % 5) * 10 }, ...options },
      { key: 'b', type: 'echo', payload: { from: 'b', n }, dependsOn: ['a'], ...options },
      { key: 'c', type: 'sleep', payload: { ms: 15 }, dependsOn: ['a'], ...options },
      { key: 'd', type: 'join', payload: null, dependsOn: ['b', 'c'], ...options },
    ],
  };
}

/** Creates one diamond; undefined when the coordination service said no (counted as a retry). */
export async function submitChaosFlow(
  client: TaskQueueClient,
  n: number,
): Promise<FlowCreated | undefined> {
  try {
    return await client.submitFlow(chaosFlowSpec(n));
  } catch {
    return undefined;
  }
}

/** The time of a task's first history entry of `event`, or undefined. */
function firstAt(view: TaskView | undefined, event: string): number | undefined {
  return view?.history.find((h) => h.event === event)?.at;
}

/** The time of a task's last `completed` entry (there must be one only), or undefined. */
function completedAt(view: TaskView | undefined): number | undefined {
  const all = view?.history.filter((h) => h.event === 'completed') ?? [];
  return all.length > 0 ? all[all.length - 1].at : undefined;
}

/**
 * Order and data of every flow: a dependent was first assigned no earlier than each of its
 * dependencies completed, and d received b's result and c's. One violation text per broken flow.
 */
export function checkFlowOrder(
  flows: readonly FlowCreated[],
  views: ReadonlyMap<string, TaskView | undefined>,
): string[] {
  const out: string[] = [];
  const edges: [string, string][] = [
    ['a', 'b'],
    ['a', 'c'],
    ['b', 'd'],
    ['c', 'd'],
  ];
  for (const flow of flows) {
    const view = (key: string) => views.get(flow.tasks[key]);
    for (const [dep, task] of edges) {
      const done = completedAt(view(dep));
      const assigned = firstAt(view(task), 'assigned');
      if (done === undefined || assigned === undefined) continue; // lost: reported elsewhere
      if (assigned < done)
        out.push(
          `flow ${flow.id}: ${task} was assigned ${done - assigned} ms before ${dep} completed`,
        );
    }
    const d = view('d');
    const result = d?.result as Record<string, unknown> | undefined;
    const b = view('b');
    if (d?.state === 'done' && JSON.stringify(result?.b) !== JSON.stringify(b?.result))
      out.push(`flow ${flow.id}: d did not receive b's result (got ${JSON.stringify(result)})`);
    if (d?.state === 'done' && result !== undefined && !('c' in result))
      out.push(`flow ${flow.id}: d did not receive c's result`);
  }
  return out;
}
