import { Context, context } from '@opentelemetry/api';
import { BadVersionError, NoNodeError } from '@shepherd/zk-protocol';
import { ZooKeeperClient } from '@shepherd/zk-client';
import {
  FlowNotFoundError,
  InvalidTaskError,
  PayloadTooLargeError,
  TaskNotFoundError,
  TaskQueueError,
  TaskStateError,
} from '../errors';
import { ROOTS, paths } from '../layout/paths';
import { LIMITS } from '../model/limits';
import { checkPriority, newTaskRecord, payloadJson } from '../model/submit-options';
import { submitterContext } from '../telemetry/task-trace';
import { endSpan, startFlowSpan, traceOfSpan } from '../telemetry/task-spans';
import { TaskRecord, TaskTrace } from '../model/task-record';
import { TaskState, isTerminal } from '../model/task-state';
import { ensureLayout } from '../store/ensure-layout';
import { readTask } from '../store/task-reader';
import { ClientContext } from '../client/client-options';
import { TaskPage } from '../client/list-query';
import { cancelTask } from '../client/operator-actions';
import { outcomeUnknown, retrying } from '../client/session-retry';
import { TaskIdSequence } from '../client/task-id-sequence';
import { stateIn } from '../client/task-view';
import { pipelined } from '../master/zk-reads';
import { isFlowId, newFlowId } from './flow-id';
import { FLOW_LIMITS } from './flow-limits';
import { DependencyFailurePolicy, FlowRecord, encodeFlow, flowFinished } from './flow-record';
import { readFlow, readMarkers } from './flow-reads';
import { FlowSpec, checkFlowSpec } from './flow-spec';
import { asWaiting, createFlowOps } from './flow-transitions';

/** What submitFlow answers: the flow's id and each task's id by key. */
export interface FlowCreated {
  id: string;
  tasks: Record<string, string>;
}

/** One task of a flow, as getFlow shows it. */
export interface FlowTaskView {
  key: string;
  id: string;
  type: string;
  state: TaskState;
  dependsOn: string[];
}

/**
 * running: some task has not ended; done: every task ended done; failed: every task ended, not
 * all done; cancelled: the flow was cancelled (cancelFlow).
 */
export type FlowState = 'running' | 'done' | 'failed' | 'cancelled';
export const FLOW_STATES: readonly FlowState[] = ['running', 'done', 'failed', 'cancelled'];

export interface FlowView {
  id: string;
  state: FlowState;
  createdAt: number;
  onDependencyFailure: DependencyFailurePolicy;
  cancelled?: { at: number; reason?: string };
  /** In the order they were given. */
  tasks: FlowTaskView[];
}

/** Tries of a flow's create multi after lost replies (each one read back first). */
const MAX_CREATE_TRIES = 5;
/** Tries of the flow record's versioned update (cancel) when it changed meanwhile. */
const MAX_CANCEL_TRIES = 8;
/** Tasks read at once when a flow is shown. */
const READ_WIDTH = 16;
/** Flows read at once when a page of them is listed (each reads its tasks READ_WIDTH wide). */
const LIST_WIDTH = 4;

export const DEFAULT_FLOW_LIST_LIMIT = 20;
export const MAX_FLOW_LIST_LIMIT = 100;

/** What listFlows takes: a page size and where the previous page ended. */
export interface FlowListQuery {
  /** Page size, 1 to 100 (default 20). */
  limit?: number;
  /** The `nextCursor` of the previous page: the id of its last flow. */
  cursor?: string;
}

/** Bytes of an op in a multi, as commitBatch estimates them: header, path, data. */
function opBytes(path: string, data: Buffer | null): number {
  return 64 + Buffer.byteLength(path) + (data?.length ?? 0);
}

/**
 * Creates a flow: every task is checked first, then the flow record and every task are created
 * by one multi, all or nothing (see createFlowOps). InvalidTaskError (or PayloadTooLargeError)
 * for a bad flow or one too large for one multi, naming the task at fault.
 */
export async function submitFlow(
  ctx: ClientContext,
  spec: FlowSpec,
  parent: Context = context.active(),
): Promise<FlowCreated> {
  const checked = checkFlowSpec(spec);
  const now = ctx.clock.now();
  const flowId = newFlowId(now);
  // Every task of the flow continues the flow's span: one trace for the whole flow.
  const span = startFlowSpan(flowId, checked.tasks.length, submitterContext(spec, parent));
  try {
    const created = await createFlow(ctx, checked, flowId, now, traceOfSpan(span));
    span.end();
    return created;
  } catch (err) {
    endSpan(span, err);
    throw err;
  }
}

async function createFlow(
  ctx: ClientContext,
  checked: ReturnType<typeof checkFlowSpec>,
  flowId: string,
  now: number,
  trace: TaskTrace | undefined,
): Promise<FlowCreated> {
  const ids = new TaskIdSequence();
  const records: TaskRecord[] = checked.tasks.map((t, i) => {
    try {
      const id = ids.next(now, checkPriority(t.options.priority));
      const record = newTaskRecord(id, t.type, t.payload, t.options, now);
      record.payload = JSON.parse(payloadJson(t.payload)) as unknown;
      record.flow = { id: flowId, key: t.key, dependsOn: t.dependsOn };
      if (trace !== undefined) record.trace = trace;
      return t.dependsOn.length > 0 ? asWaiting(record, now) : record;
    } catch (err) {
      if (!(err instanceof InvalidTaskError)) throw err;
      const Kind = err.constructor as new (message: string) => InvalidTaskError;
      throw new Kind(`tasks[${i}] (${t.key}): ${err.message}`);
    }
  });
  const flow: FlowRecord = {
    v: 1,
    id: flowId,
    createdAt: now,
    onDependencyFailure: checked.onDependencyFailure,
    tasks: Object.fromEntries(
      checked.tasks.map((t, i) => [
        t.key,
        { id: records[i].id, type: t.type, dependsOn: t.dependsOn },
      ]),
    ),
  };
  const ops = createFlowOps({ acl: ctx.acl, now }, flow, records);
  const bytes = ops.reduce(
    (n, op) => n + (op.type === 'create' ? opBytes(op.path, op.data) : 64),
    0,
  );
  if (bytes > LIMITS.maxMultiBytes)
    throw new PayloadTooLargeError(
      `the flow is about ${bytes} bytes as one multi; the limit is ${LIMITS.maxMultiBytes} ` +
        'bytes for all its tasks together (a flow is created whole, never split)',
    );
  if (ops.length > LIMITS.maxMultiOps)
    throw new InvalidTaskError(
      `the flow needs ${ops.length} operations; the limit is ${LIMITS.maxMultiOps}`,
    );

  await retrying(ctx.connection, ctx.clock, (c) => ensureLayout(c, ctx.acl));
  for (let tries = 0; tries < MAX_CREATE_TRIES; tries++) {
    try {
      await ctx.connection.client.multi(ops);
      break;
    } catch (err) {
      if (!outcomeUnknown(err)) throw err;
      ctx.logger.warn({ err, flow: flowId }, 'submitFlow: reply lost; reading the flow back');
      const found = await retrying(ctx.connection, ctx.clock, (c) => readFlow(c, flowId));
      if (found !== null) break;
      if (tries === MAX_CREATE_TRIES - 1) throw err;
    }
  }
  return {
    id: flowId,
    tasks: Object.fromEntries(Object.entries(flow.tasks).map(([k, t]) => [k, t.id])),
  };
}

function checkFlowId(id: string): void {
  if (!isFlowId(id))
    throw new InvalidTaskError(
      `flow id must be flow- and 17 base-36 characters, not ${String(id)}`,
    );
}

/** The flow with each task's state; FlowNotFoundError; InvalidTaskError for a malformed id. */
export async function getFlow(ctx: ClientContext, id: string): Promise<FlowView> {
  checkFlowId(id);
  return retrying(ctx.connection, ctx.clock, (c) => readFlowView(c, id));
}

/** Checks a flow list query (it may come straight from a URL) and applies the default limit. */
function checkFlowListQuery(query: FlowListQuery = {}): { limit: number; cursor?: string } {
  const limit = query.limit ?? DEFAULT_FLOW_LIST_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_FLOW_LIST_LIMIT)
    throw new InvalidTaskError(`limit must be an integer from 1 to ${MAX_FLOW_LIST_LIMIT}`);
  if (query.cursor !== undefined && !isFlowId(query.cursor))
    throw new InvalidTaskError('cursor must be a flow id (the nextCursor of a previous page)');
  return query.cursor === undefined ? { limit } : { limit, cursor: query.cursor };
}

/**
 * A page of flows, newest first (flow ids sort by creation time), each as getFlow shows it.
 * The names under /flows are listed (ids only), then flows are read a few at a time until the
 * page is full; a flow removed since it was listed (retention) is skipped. InvalidTaskError for
 * a bad limit or cursor.
 */
export async function listFlows(
  ctx: ClientContext,
  query?: FlowListQuery,
): Promise<TaskPage<FlowView>> {
  const q = checkFlowListQuery(query);
  const names = await retrying(ctx.connection, ctx.clock, async (c) => {
    try {
      return await c.getChildren(ROOTS.flows);
    } catch (err) {
      if (err instanceof NoNodeError) return [];
      throw err;
    }
  });
  const ids = names
    .filter((id) => isFlowId(id) && (q.cursor === undefined || id < q.cursor))
    .sort()
    .reverse();
  const items: FlowView[] = [];
  let last = -1;
  for (let i = 0; i < ids.length && items.length < q.limit;) {
    const chunk = ids.slice(i, i + q.limit - items.length);
    const views = await pipelined(chunk, LIST_WIDTH, (id) =>
      retrying(ctx.connection, ctx.clock, async (c) => {
        try {
          return await readFlowView(c, id);
        } catch (err) {
          if (err instanceof FlowNotFoundError) return undefined; // removed since listed
          throw err;
        }
      }),
    );
    views.forEach((view, j) => {
      if (view === undefined) return;
      items.push(view);
      last = i + j;
    });
    i += chunk.length;
  }
  const page: TaskPage<FlowView> = { items };
  if (items.length === q.limit && last < ids.length - 1)
    page.nextCursor = items[items.length - 1].id;
  return page;
}

async function readFlowView(client: ZooKeeperClient, id: string): Promise<FlowView> {
  const stored = await readFlow(client, id);
  if (stored === null) throw new FlowNotFoundError(id);
  const { flow } = stored;
  const markers = await readMarkers(client, id);
  const entries = Object.entries(flow.tasks);
  const states = await pipelined(entries, READ_WIDTH, async ([key, t]): Promise<TaskState> => {
    const marker = markers.get(key);
    if (marker !== undefined) return marker.state;
    const found = await readTask(client, t.id);
    if (found !== null) return stateIn(found.area, found.record);
    // It ended between the two reads: its marker says how.
    const late = (await readMarkers(client, id)).get(key);
    if (late !== undefined) return late.state;
    throw new TaskQueueError(`flow ${id}: task ${t.id} (${key}) could not be found`);
  });
  const tasks: FlowTaskView[] = entries.map(([key, t], i) => ({
    key,
    id: t.id,
    type: t.type,
    state: states[i],
    dependsOn: t.dependsOn,
  }));
  const view: FlowView = {
    id: flow.id,
    state: flowState(flow, states),
    createdAt: flow.createdAt,
    onDependencyFailure: flow.onDependencyFailure,
    tasks,
  };
  if (flow.cancelled !== undefined) view.cancelled = flow.cancelled;
  return view;
}

function flowState(flow: FlowRecord, states: readonly TaskState[]): FlowState {
  if (flow.cancelled !== undefined) return 'cancelled';
  if (!states.every(isTerminal)) return 'running';
  return states.every((s) => s === 'done') ? 'done' : 'failed';
}

/**
 * Cancels a flow: marks the record cancelled (a versioned setData, so a leader's release
 * decided before it fails), then cancels each task that has not ended, wherever it is (waiting,
 * queued, assigned, running). Tasks that end meanwhile are left as they ended. Cancelling a
 * cancelled flow again cancels what is left, if anything; a finished flow is left as it is.
 */
export async function cancelFlow(
  ctx: ClientContext,
  id: string,
  reason?: string,
): Promise<FlowView> {
  checkFlowId(id);
  if (reason !== undefined && typeof reason !== 'string')
    throw new InvalidTaskError('reason must be a string');
  const why = reason?.slice(0, FLOW_LIMITS.maxReasonChars) || undefined;
  let flow: FlowRecord | undefined;
  for (let tries = 0; flow === undefined; tries++) {
    if (tries >= MAX_CANCEL_TRIES)
      throw new TaskQueueError(`could not cancel flow ${id}: it kept changing`);
    flow = await retrying(ctx.connection, ctx.clock, async (c) => {
      const stored = await readFlow(c, id);
      if (stored === null) throw new FlowNotFoundError(id);
      // Already cancelled, or every task ended: nothing to mark.
      if (stored.flow.cancelled !== undefined) return stored.flow;
      if (flowFinished(stored.flow, stored.stat.numChildren)) return stored.flow;
      const next: FlowRecord = { ...stored.flow, cancelled: { at: ctx.clock.now() } };
      if (why !== undefined) next.cancelled!.reason = why;
      try {
        await c.setData(paths.flow(id), encodeFlow(next), stored.stat.version);
        return next;
      } catch (err) {
        // Changed meanwhile (or, after a lost reply, by our own write): read it again.
        if (err instanceof BadVersionError) return undefined;
        if (err instanceof NoNodeError) throw new FlowNotFoundError(id);
        throw err;
      }
    });
  }
  const markers = await retrying(ctx.connection, ctx.clock, (c) => readMarkers(c, id));
  const open = Object.entries(flow.tasks).filter(([key]) => !markers.has(key));
  const taskReason = `flow cancelled${flow.cancelled?.reason ? `: ${flow.cancelled.reason}` : ''}`;
  await pipelined(open, READ_WIDTH, async ([, t]) => {
    try {
      await cancelTask(ctx, t.id, taskReason);
    } catch (err) {
      // Ended (or cancelled by the leader) meanwhile: nothing left to cancel.
      if (err instanceof TaskStateError || err instanceof TaskNotFoundError) return;
      throw err;
    }
  });
  return getFlow(ctx, id);
}
