import { createHash } from 'crypto';
import { ACL, CreateMode } from '@shepherd/zk-protocol';
import { TransactionOp } from '@shepherd/zk-client';
import { paths } from '../layout/paths';
import { TaskRecord } from '../model/task-record';
import { encodeRecord } from '../model/record-codec';
import { isTerminal } from '../model/task-state';

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

/**
 * The task moves to another area: `record` is created at `path`, where it was is deleted. A
 * flow task that ends (done, failed, dead, cancelled) also creates its flow's marker
 * /flows/<flowId>/<key> in the same multi: the leader's FlowRunner watches for it to release or
 * cancel the dependents, and a marker exists exactly when the task is terminal.
 */
export function moveTransition(
  ctx: TransitionContext,
  record: TaskRecord,
  path: string,
  deleteFrom: TransactionOp,
): Transition {
  const ops = [createRecordOp(ctx, path, record), deleteFrom];
  if (record.flow !== undefined && isTerminal(record.state))
    ops.push(createOp(ctx, flowMarkerPath(record.flow), flowMarkerData(record)));
  return { ops, record, path };
}

/** The marker of a flow task: /flows/<flowId>/<key>. */
export function flowMarkerPath(flow: { id: string; key: string }): string {
  return paths.flowMarker(flow.id, flow.key);
}

/** A flow marker's data: the state the task ended in, and its id. */
export function flowMarkerData(record: TaskRecord): Buffer {
  return Buffer.from(JSON.stringify({ state: record.state, taskId: record.id }));
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
