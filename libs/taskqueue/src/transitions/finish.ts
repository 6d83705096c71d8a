import { paths } from '../layout/paths';
import { retryDelayMs } from '../model/backoff';
import { TaskError, TaskRecord, withHistory, withChanges } from '../model/task-record';
import { assignmentPath } from './run-updates';
import { Transition, TransitionContext, deleteOp, moveTransition } from './transition';

/**
 * Worker: the handler returned. One multi writes the terminal record and removes the
 * assignment, deleting exactly the assignment version the worker holds: if the master or a
 * cancel already took the task back, the delete fails, the whole multi with it, and no second
 * completion record can appear (exactly-once completion).
 */
export function completeTransition(
  ctx: TransitionContext,
  record: TaskRecord,
  assignVersion: number,
  result: unknown,
): Transition {
  const next = withChanges(record, {
    state: 'done',
    result: result === undefined ? null : result,
    error: undefined,
    // Progress is throttled, so the last value written may be stale; a finished task has none.
    progress: undefined,
    finishedAt: ctx.now,
    updatedAt: ctx.now,
    history: withHistory(record.history, {
      at: ctx.now,
      event: 'completed',
      worker: record.worker,
    }),
  });
  return moveTransition(
    ctx,
    next,
    paths.status(record.id),
    deleteOp(assignmentPath(record), assignVersion),
  );
}

export interface FailureKind {
  /** The attempt ran out of time (its AbortSignal fired). */
  timedOut?: boolean;
  /** The handler threw NonRetryableError: fail now, whatever attempts are left. */
  nonRetryable?: boolean;
}

/**
 * Worker: the handler threw or timed out. With attempts left the task goes back to /tasks with
 * a not-before time (exponential backoff); past maxAttempts it goes to /dead; a non-retryable
 * error ends it `failed` in /status.
 */
export function failTransition(
  ctx: TransitionContext,
  record: TaskRecord,
  assignVersion: number,
  error: TaskError,
  kind: FailureKind = {},
): Transition {
  const worker = record.worker;
  let history = withHistory(record.history, {
    at: ctx.now,
    event: kind.timedOut ? 'timed-out' : 'failed',
    worker,
    detail: error.message,
  });
  const from = deleteOp(assignmentPath(record), assignVersion);
  const base = withChanges(record, { error, progress: undefined, updatedAt: ctx.now });
  if (kind.nonRetryable) {
    const next = withChanges(base, { state: 'failed', finishedAt: ctx.now, history });
    return moveTransition(ctx, next, paths.status(record.id), from);
  }
  if (record.attempts >= record.options.maxAttempts) return toDead(ctx, base, history, from);
  const delay = retryDelayMs(record.options.backoffMs, record.attempts);
  history = withHistory(history, {
    at: ctx.now,
    event: 'retry-scheduled',
    detail: `in ${delay} ms`,
  });
  const next = withChanges(base, {
    state: 'queued',
    notBefore: delay > 0 ? ctx.now + delay : undefined,
    history,
  });
  return moveTransition(ctx, next, paths.task(record.id), from);
}

/** The attempts are spent: /dead keeps the task for inspection and redrive. */
export function toDead(
  ctx: TransitionContext,
  base: TaskRecord,
  history: TaskRecord['history'],
  from: ReturnType<typeof deleteOp>,
): Transition {
  const next = withChanges(base, {
    state: 'dead',
    finishedAt: ctx.now,
    history: withHistory(history, {
      at: ctx.now,
      event: 'dead',
      detail: `${base.attempts} of ${base.options.maxAttempts} attempts used`,
    }),
  });
  return moveTransition(ctx, next, paths.dead(base.id), from);
}
