import { TaskQueueClient, TaskView } from '@shepherd/taskqueue';
import { TreeAudit } from '../support/taskqueue/tree-audit';

/** The schedule a chaos run keeps firing while the faults land. */
export const CHAOS_SCHEDULE = 'chaos-beat';
/** Its interval: several fire times between two faults, some at the moment of a leader kill. */
export const CHAOS_SCHEDULE_EVERY_MS = 250;

/** Starts the schedule (its tasks are short sleeps, retried as often as the submitted ones). */
export async function startChaosSchedule(client: TaskQueueClient): Promise<void> {
  await client.createSchedule({
    name: CHAOS_SCHEDULE,
    every: CHAOS_SCHEDULE_EVERY_MS,
    task: { type: 'sleep', payload: { ms: 5 }, maxAttempts: 25 },
  });
}

export interface ScheduledTasks {
  /** Tasks the schedule created, found in the tree. */
  ids: string[];
  /** Fire times that made more than one task. */
  duplicateFireTimes: number[];
  /** Tasks the schedule lists as its last ones that are not in the tree. */
  missingListed: string[];
}

/**
 * Finds the tasks the schedule created: every task in the tree that nobody submitted is read,
 * and those naming the schedule are its. Each fire time must have made exactly one task, and
 * every task the schedule lists as its last must exist (a fire time recorded as fired whose task
 * was lost would show here). The caller adds them to the accepted tasks, so the invariant
 * checker proves each ran to completion exactly once, like the submitted ones.
 */
export async function collectScheduledTasks(
  client: TaskQueueClient,
  readTree: () => Promise<TreeAudit>,
  accepted: ReadonlySet<string>,
  views: Map<string, TaskView | undefined>,
): Promise<ScheduledTasks> {
  // Pause first, read the tree after: a fire is one multi with a versioned write of the schedule's
  // node, so once the pause is committed no fire can land, and every task the schedule lists is
  // in the tree read next. (Read before the pause, a fire in between was listed but not read.)
  await client.pauseSchedule(CHAOS_SCHEDULE);
  const audit = await readTree();
  const ids: string[] = [];
  const byFireTime = new Map<number, number>();
  for (const id of audit.places.keys()) {
    if (accepted.has(id)) continue;
    const view = await client.get(id).catch(() => undefined);
    if (view?.schedule !== CHAOS_SCHEDULE) continue;
    ids.push(id);
    views.set(id, view);
    const at = view.scheduledFor ?? -1;
    byFireTime.set(at, (byFireTime.get(at) ?? 0) + 1);
  }
  const found = new Set(ids);
  const schedule = await client.schedule(CHAOS_SCHEDULE);
  return {
    ids,
    duplicateFireTimes: [...byFireTime].filter(([, n]) => n > 1).map(([at]) => at),
    missingListed: (schedule.lastTasks ?? []).map((t) => t.id).filter((id) => !found.has(id)),
  };
}
