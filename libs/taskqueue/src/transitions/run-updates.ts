import { paths } from '../layout/paths';
import { TaskRecord, withHistory, withChanges } from '../model/task-record';
import { Transition, TransitionContext, setRecordOp } from './transition';

function assignmentPath(record: TaskRecord): string {
  if (record.worker === undefined) throw new Error(`task ${record.id} has no worker`);
  return paths.assignment(record.worker, record.id);
}

/**
 * Worker: the handler started. Versioned, so it only lands on the assignment the worker read;
 * BadVersion or NoNode means the task was taken back (cancelled or reassigned).
 */
export function startTransition(
  ctx: TransitionContext,
  record: TaskRecord,
  assignVersion: number,
): Transition {
  const next = startedRecord(ctx, record);
  const path = assignmentPath(record);
  return { ops: [setRecordOp(path, next, assignVersion)], record: next, path };
}

/**
 * The record startTransition writes, without encoding it: the worker encodes it only if the
 * write leaves (a handler done in the same turn folds its start into its outcome).
 */
export function startedRecord(ctx: TransitionContext, record: TaskRecord): TaskRecord {
  return withChanges(record, {
    state: 'running',
    startedAt: ctx.now,
    updatedAt: ctx.now,
    history: withHistory(record.history, { at: ctx.now, event: 'started', worker: record.worker }),
  });
}

/** Worker: the handler reported progress (kept on the record, not in its history). */
export function progressTransition(
  ctx: TransitionContext,
  record: TaskRecord,
  assignVersion: number,
  progress: unknown,
): Transition {
  const next = progressedRecord(ctx, record, progress);
  const path = assignmentPath(record);
  return { ops: [setRecordOp(path, next, assignVersion)], record: next, path };
}

/** The record progressTransition writes, not yet encoded. */
export function progressedRecord(
  ctx: TransitionContext,
  record: TaskRecord,
  progress: unknown,
): TaskRecord {
  return withChanges(record, { progress, updatedAt: ctx.now });
}

export { assignmentPath };
