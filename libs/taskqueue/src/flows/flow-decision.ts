import { FlowMarker, FlowRecord } from './flow-record';

/** What a FlowRunner pass does with one task still in /waiting. */
export type FlowAction =
  | {
      kind: 'promote';
      key: string;
      /** Dependencies that ended done: their results go in `dependencies`. */
      done: string[];
      /** Dependencies that ended otherwise (only with onDependencyFailure 'run'). */
      failed: string[];
    }
  | { kind: 'cancel'; key: string; reason: string };

/**
 * The decision of one pass over a flow, a pure function of what it read: the flow record, the
 * markers of the tasks that ended (by key) and the keys of the tasks still in /waiting. For
 * each waiting task:
 *
 * - the flow was cancelled: cancel it;
 * - a dependency ended not done, and the policy is 'cancel': cancel it with that reason (its
 *   own marker then cancels its dependents on the next pass, transitively);
 * - every dependency ended (all done, or any with 'run'): promote it to /tasks;
 * - otherwise it keeps waiting.
 */
export function decideFlow(
  flow: FlowRecord,
  markers: ReadonlyMap<string, FlowMarker>,
  waiting: Iterable<string>,
): FlowAction[] {
  const actions: FlowAction[] = [];
  for (const key of waiting) {
    const task = flow.tasks[key];
    if (task === undefined) continue;
    if (flow.cancelled !== undefined) {
      const why = flow.cancelled.reason;
      actions.push({ kind: 'cancel', key, reason: `flow cancelled${why ? `: ${why}` : ''}` });
      continue;
    }
    const failed = task.dependsOn.filter((d) => {
      const m = markers.get(d);
      return m !== undefined && m.state !== 'done';
    });
    if (failed.length > 0 && flow.onDependencyFailure === 'cancel') {
      const dep = failed[0];
      const m = markers.get(dep)!;
      actions.push({ kind: 'cancel', key, reason: dependencyReason(dep, m) });
      continue;
    }
    if (task.dependsOn.every((d) => markers.has(d)))
      actions.push({
        kind: 'promote',
        key,
        done: task.dependsOn.filter((d) => markers.get(d)!.state === 'done'),
        failed,
      });
  }
  return actions;
}

/** "dependency <key> (<taskId>) ended <state>": the reason a dependent is cancelled with. */
export function dependencyReason(key: string, marker: FlowMarker): string {
  return `dependency ${key} (${marker.taskId}) ended ${marker.state}`;
}
