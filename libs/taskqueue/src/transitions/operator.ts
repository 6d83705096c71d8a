import { paths } from '../layout/paths';
import { TaskRecord, withHistory, withChanges } from '../model/task-record';
import {
  Transition,
  TransitionContext,
  deleteOp,
  flowMarkerPath,
  keyHash,
  moveTransition,
} from './transition';

/**
 * Client: cancel a queued, assigned or running task. The record moves to /status as cancelled,
 * deleting the version read from `fromPath`. A worker running it sees its assignment deleted,
 * aborts the handler, and its completion (if any) fails on the missing assignment.
 */
export function cancelTransition(
  ctx: TransitionContext,
  record: TaskRecord,
  fromPath: string,
  version: number,
  reason?: string,
): Transition {
  const next = withChanges(record, {
    state: 'cancelled',
    finishedAt: ctx.now,
    updatedAt: ctx.now,
    history: withHistory(record.history, {
      at: ctx.now,
      event: 'cancelled',
      worker: record.worker,
      detail: reason,
    }),
  });
  return moveTransition(ctx, next, paths.status(record.id), deleteOp(fromPath, version));
}

/**
 * Client: put a dead or failed task back in the queue, with its attempts reset; its id, history
 * and idempotency key stay. A flow task's marker goes in the same multi (it is no longer
 * terminal); dependents already cancelled because of it stay cancelled.
 */
export function redriveTransition(
  ctx: TransitionContext,
  record: TaskRecord,
  fromPath: string,
  version: number,
): Transition {
  const next = withChanges(record, {
    state: 'queued',
    attempts: 0,
    notBefore: undefined,
    finishedAt: undefined,
    startedAt: undefined,
    progress: undefined,
    result: undefined,
    updatedAt: ctx.now,
    history: withHistory(record.history, { at: ctx.now, event: 'redriven', detail: record.state }),
  });
  const move = moveTransition(ctx, next, paths.task(record.id), deleteOp(fromPath, version));
  if (record.flow !== undefined) move.ops.push(deleteOp(flowMarkerPath(record.flow)));
  return move;
}

/**
 * Master (leader): retention. Removes a terminal record and its idempotency key together, so
 * a key never points at a pruned task. The caller adds leaderFence.
 */
export function pruneTransition(record: TaskRecord, version: number): Transition {
  const path = paths.status(record.id);
  const ops = [deleteOp(path, version)];
  const key = record.options.idempotencyKey;
  if (key !== undefined) ops.push(deleteOp(paths.key(keyHash(key))));
  return { ops, record, path };
}
