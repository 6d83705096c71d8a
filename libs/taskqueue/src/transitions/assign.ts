import { paths } from '../layout/paths';
import { TaskRecord, withHistory, withChanges } from '../model/task-record';
import { Transition, TransitionContext, deleteOp, moveTransition } from './transition';

export interface AssignTarget {
  workerId: string;
  /** The worker incarnation's session id (hex), from its /workers node's ephemeralOwner. */
  session: string;
}

/**
 * Master: move a queued task to a worker. The attempt is counted here, so a crash of the worker
 * while it runs counts too. `taskVersion` is the version the master read: if the task changed
 * since, the multi fails instead of assigning a stale copy. The caller adds leaderFence and
 * workerFence.
 */
export function assignTransition(
  ctx: TransitionContext,
  record: TaskRecord,
  taskVersion: number,
  target: AssignTarget,
): Transition {
  const attempts = record.attempts + 1;
  const next = withChanges(record, {
    state: 'assigned',
    attempts,
    updatedAt: ctx.now,
    worker: target.workerId,
    workerSession: target.session,
    notBefore: undefined,
    progress: undefined,
    history: withHistory(record.history, {
      at: ctx.now,
      event: 'assigned',
      worker: target.workerId,
      detail: `attempt ${attempts} of ${record.options.maxAttempts}`,
    }),
  });
  return moveTransition(
    ctx,
    next,
    paths.assignment(target.workerId, record.id),
    deleteOp(paths.task(record.id), taskVersion),
  );
}
