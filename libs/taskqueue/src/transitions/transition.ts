import { createHash } from 'crypto';
import { ACL, CreateMode } from '@shepherd/zk-protocol';
import { TransactionOp } from '@shepherd/zk-client';
import { TaskRecord, encodeRecord } from '../model/task-record';

/** What every transition needs besides the task: the ACL for new znodes and the time. */
export interface TransitionContext {
  acl: ACL[];
  now: number;
}

/**
 * One state change of a task: the operations of its multi and the record it leaves behind at
 * `path`. Callers add fences (leaderFence, workerFence) and may batch several transitions in
 * one multi; all of a transition's ops commit together or not at all.
 */
export interface Transition {
  ops: TransactionOp[];
  record: TaskRecord;
  path: string;
}

export function createOp(ctx: TransitionContext, path: string, data: Buffer): TransactionOp {
  return { type: 'create', path, data, options: { acl: ctx.acl, mode: CreateMode.PERSISTENT } };
}

export function createRecordOp(ctx: TransitionContext, path: string, record: TaskRecord) {
  return createOp(ctx, path, encodeRecord(record));
}

/** The task moves to another area: `record` is created at `path`, where it was is deleted. */
export function moveTransition(
  ctx: TransitionContext,
  record: TaskRecord,
  path: string,
  deleteFrom: TransactionOp,
): Transition {
  return { ops: [createRecordOp(ctx, path, record), deleteFrom], record, path };
}

export function deleteOp(path: string, version = -1): TransactionOp {
  return { type: 'delete', path, version };
}

export function setRecordOp(path: string, record: TaskRecord, version: number): TransactionOp {
  return { type: 'setData', path, data: encodeRecord(record), version };
}

export function checkOp(path: string, version = -1): TransactionOp {
  return { type: 'check', path, version };
}

/** Name of an idempotency key's znode: the key may hold any character, the name may not. */
export function keyHash(idempotencyKey: string): string {
  return createHash('sha256').update(idempotencyKey, 'utf8').digest('hex').slice(0, 40);
}
