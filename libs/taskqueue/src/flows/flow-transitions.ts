import { TransactionOp } from '@shepherd/zk-client';
import { paths } from '../layout/paths';
import {
  FailedDependency,
  TaskError,
  TaskRecord,
  withHistory,
  withChanges,
} from '../model/task-record';
import { cancelTransition } from '../transitions/operator';
import {
  Transition,
  TransitionContext,
  checkOp,
  createOp,
  createRecordOp,
  deleteOp,
  moveTransition,
} from '../transitions/transition';
import { FlowRecord, encodeFlow } from './flow-record';

/**
 * Client: create a flow, one multi: `create /flows/<id>` (the record), and for each task
 * `create /tasks/<b>/<id>` (no dependencies: queued) or `create /waiting/<b>/<id>` (waiting).
 * All or nothing.
 */
export function createFlowOps(
  ctx: TransitionContext,
  flow: FlowRecord,
  records: readonly TaskRecord[],
): TransactionOp[] {
  return [
    createOp(ctx, paths.flow(flow.id), encodeFlow(flow)),
    ...records.map((r) =>
      createRecordOp(ctx, r.state === 'waiting' ? paths.waiting(r.id) : paths.task(r.id), r),
    ),
  ];
}

/** A new record (from newTaskRecord) as a waiting flow task. */
export function asWaiting(record: TaskRecord, now: number): TaskRecord {
  return { ...record, state: 'waiting', history: [{ at: now, event: 'waiting' }] };
}

/**
 * The fence of a FlowRunner move besides the leader's: the flow record at the version read,
 * so a move decided before the flow was cancelled fails and is decided again.
 */
export function flowCheck(flowId: string, version: number): TransactionOp {
  return checkOp(paths.flow(flowId), version);
}

/**
 * Leader: every dependency ended, the task is released to /tasks with the results it receives.
 * A delay (delayMs) counts from here: the not-before time keeps its distance from creation.
 */
export function promoteTransition(
  ctx: TransitionContext,
  record: TaskRecord,
  version: number,
  dependencies: Record<string, unknown>,
  failedDependencies: Record<string, FailedDependency>,
  /** The dependencies' last attempts (traceparents), for a traced task's spans to link to. */
  links: string[] = [],
): Transition {
  const delay = record.notBefore !== undefined ? record.notBefore - record.createdAt : 0;
  const next = withChanges(record, {
    state: 'queued',
    dependencies,
    notBefore: delay > 0 ? ctx.now + delay : undefined,
    updatedAt: ctx.now,
    history: withHistory(record.history, {
      at: ctx.now,
      event: 'queued',
      detail: 'dependencies ended',
    }),
  });
  if (Object.keys(failedDependencies).length > 0) next.failedDependencies = failedDependencies;
  if (record.trace !== undefined && links.length > 0)
    next.trace = { ...record.trace, dependencies: links };
  return moveTransition(
    ctx,
    next,
    paths.task(record.id),
    deleteOp(paths.waiting(record.id), version),
  );
}

/** Leader: a dependency ended not done (or the flow was cancelled): the waiting task is cancelled. */
export function cancelWaitingTransition(
  ctx: TransitionContext,
  record: TaskRecord,
  version: number,
  reason: string,
): Transition {
  return cancelTransition(ctx, record, paths.waiting(record.id), version, reason);
}

/** Leader: the task cannot be given its input (too large): it ends failed, without running. */
export function failWaitingTransition(
  ctx: TransitionContext,
  record: TaskRecord,
  version: number,
  error: TaskError,
): Transition {
  const next = withChanges(record, {
    state: 'failed',
    error,
    finishedAt: ctx.now,
    updatedAt: ctx.now,
    history: withHistory(record.history, { at: ctx.now, event: 'failed', detail: error.message }),
  });
  return moveTransition(
    ctx,
    next,
    paths.status(record.id),
    deleteOp(paths.waiting(record.id), version),
  );
}
