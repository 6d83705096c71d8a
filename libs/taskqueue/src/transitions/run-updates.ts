import { paths } from '../layout/paths';
import { TaskRecord, withHistory } from '../model/task-record';
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
  const next: TaskRecord = {
    ...record,
    state: 'running',
    startedAt: ctx.now,
    updatedAt: ctx.now,
    history: withHistory(record.history, { at: ctx.now, event: 'started', worker: record.worker }),
  };
  const path = assignmentPath(record);
  return { ops: [setRecordOp(path, next, assignVersion)], record: next, path };
}

/** Worker: the handler reported progress (kept on the record, not in its history). */
export function progressTransition(
  ctx: TransitionContext,
  record: TaskRecord,
  assignVersion: number,
  progress: unknown,
): Transition {
  const next: TaskRecord = { ...record, progress, updatedAt: ctx.now };
  const path = assignmentPath(record);
  return { ops: [setRecordOp(path, next, assignVersion)], record: next, path };
}

export { assignmentPath };
