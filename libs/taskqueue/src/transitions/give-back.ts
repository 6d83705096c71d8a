import { paths } from '../layout/paths';
import { TaskRecord, withHistory, withChanges } from '../model/task-record';
import { assignmentPath } from './run-updates';
import { toDead } from './finish';
import { Transition, TransitionContext, deleteOp, moveTransition } from './transition';

/**
 * Worker, shutting down: hand a task it will not finish back to /tasks, so the master reassigns
 * it at once instead of after the session timeout. The interrupted attempt is not counted: the
 * task did nothing wrong.
 */
export function handBackTransition(
  ctx: TransitionContext,
  record: TaskRecord,
  assignVersion: number,
  reason = 'worker shutting down',
): Transition {
  const next = withChanges(record, {
    state: 'queued',
    attempts: Math.max(0, record.attempts - 1),
    progress: undefined,
    updatedAt: ctx.now,
    history: withHistory(record.history, {
      at: ctx.now,
      event: 'handed-back',
      worker: record.worker,
      detail: reason,
    }),
  });
  return moveTransition(
    ctx,
    next,
    paths.task(record.id),
    deleteOp(assignmentPath(record), assignVersion),
  );
}

/**
 * Master: the worker holding the task is gone (its /workers node disappeared, or belongs to a
 * newer incarnation). The crash counts as the attempt already counted at assignment; with
 * attempts left the task is queued again at once, otherwise it goes to /dead. The caller adds
 * leaderFence.
 */
export function recoverTransition(
  ctx: TransitionContext,
  record: TaskRecord,
  assignVersion: number,
  workerId: string,
  reason = 'worker lost',
): Transition {
  const from = deleteOp(paths.assignment(workerId, record.id), assignVersion);
  const history = withHistory(record.history, {
    at: ctx.now,
    event: 'reassigned',
    worker: workerId,
    detail: reason,
  });
  const base = withChanges(record, {
    progress: undefined,
    updatedAt: ctx.now,
    error: { message: `${reason}: ${workerId} (attempt ${record.attempts})` },
  });
  if (record.attempts >= record.options.maxAttempts) return toDead(ctx, base, history, from);
  const next = withChanges(base, { state: 'queued', history });
  return moveTransition(ctx, next, paths.task(record.id), from);
}
