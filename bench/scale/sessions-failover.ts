import { HistoryEntry, TaskQueueClient, TaskView } from '@shepherd/taskqueue';
import { waitFor } from '../../test/support/wait-for';
import { Fleet, Host } from './sessions-fleet';

export interface HostKill {
  host: string;
  sessions: number;
  /** Tasks the host had started (its execution log) when it was killed. */
  heldTasks: number;
  killedAt: number;
  /** Per held task: kill -9 to the leader's "reassigned" entry (the lost session seen). */
  detectedMs: number[];
  /** Per held task: kill -9 to its "started" entry on a worker of another host. */
  runningAgainMs: number[];
}

const entryAfter = (view: TaskView, event: HistoryEntry['event'], t0: number, not?: Set<string>) =>
  view.history.find(
    (h) => h.event === event && h.at >= t0 && (not === undefined || !not.has(h.worker ?? '')),
  );

/**
 * Fills half of every worker's slots with sleeping tasks, waits until all of them run, then
 * kills one host with SIGKILL and waits until every task it had started runs again on a worker
 * of another host. The delays come from the task histories (the workers' and the master's
 * Date.now() on this machine), so polling does not add to them.
 */
export async function killHostHoldingTasks(
  client: TaskQueueClient,
  fleet: Fleet,
  victim: Host,
  holdMs: number,
  onProgress: (fraction: number, detail: string) => void,
): Promise<{ kill: HostKill; ids: string[] }> {
  const count = fleet.size * Math.max(1, Math.floor(fleet.settings.concurrency / 2));
  const views = await client.submitMany(
    Array.from({ length: count }, () => ({ type: 'sleep', payload: { ms: holdMs } })),
  );
  const ids = views.map((v) => v.id);
  const wanted = new Set(ids);
  const bound = { timeoutMs: 120_000, intervalMs: 100 };
  await waitFor(
    'every sleeping task to start',
    () => {
      const started = new Set(
        fleet
          .executions()
          .filter((e) => wanted.has(e.task))
          .map((e) => e.task),
      );
      onProgress(0.3 * (started.size / count), `${started.size}/${count} started`);
      return started.size === count;
    },
    bound,
  );
  const victims = new Set(victim.workerIds);
  const held = [
    ...new Set(
      fleet
        .executions()
        .filter((e) => wanted.has(e.task) && victims.has(e.worker))
        .map((e) => e.task),
    ),
  ];
  const killedAt = Date.now();
  await fleet.crash(victim);
  onProgress(0.4, `killed ${victim.name} holding ${held.length} tasks`);
  const rescued = await waitFor(
    `the ${held.length} tasks of ${victim.name} to run elsewhere`,
    async () => {
      const vs = await Promise.all(held.map((id) => client.get(id)));
      const again = vs.filter((v) => entryAfter(v, 'started', killedAt, victims));
      onProgress(
        0.4 + 0.6 * (again.length / held.length),
        `${again.length}/${held.length} rescued`,
      );
      return again.length === held.length ? vs : undefined;
    },
    bound,
  );
  return {
    ids,
    kill: {
      host: victim.name,
      sessions: victim.workerIds.length,
      heldTasks: held.length,
      killedAt,
      detectedMs: rescued.map((v) => (entryAfter(v, 'reassigned', killedAt)?.at ?? NaN) - killedAt),
      runningAgainMs: rescued.map(
        (v) => entryAfter(v, 'started', killedAt, victims)!.at - killedAt,
      ),
    },
  };
}
