import { Context, context } from '@opentelemetry/api';
import { KeeperError, NoNodeError, NodeExistsError } from '@shepherd/zk-protocol';
import { InvalidTaskError, TaskQueueError } from '../errors';
import { paths } from '../layout/paths';
import { SubmitOptions, checkPriority, newTaskRecord, payloadJson } from '../model/submit-options';
import { TaskRecord } from '../model/task-record';
import { commitBatch } from '../store/batch-committer';
import { ensureLayout } from '../store/ensure-layout';
import { bytesOf } from '../store/read-many';
import { readTask } from '../store/task-reader';
import { submitTransition } from '../transitions/submit';
import { keyHash } from '../transitions/transition';
import { endSpan, renameMessage, startSendSpan, traceOfSpan } from '../telemetry/task-spans';
import { submitterContext } from '../telemetry/task-trace';
import { ClientContext } from './client-options';
import { outcomeUnknown, retrying } from './session-retry';
import { TaskIdSequence } from './task-id-sequence';
import { TaskView, toTaskView, viewOfStored } from './task-view';

export interface SubmitItem {
  type: string;
  payload: unknown;
  options?: SubmitOptions;
}

/** One task on its way in; `index` is its place in the caller's list. */
interface Pending {
  index: number;
  record: TaskRecord;
}

/** Commit rounds before giving up: each round settles every item or retries it. */
const MAX_ROUNDS = 10;
/** Read-backs in flight at once after a lost reply. */
const READ_BACK_CONCURRENCY = 64;

/**
 * Puts new tasks in /tasks, as many per multi as the size limits allow (commitBatch), each item
 * atomic with its idempotency key.
 *
 * - An item rejected with NodeExists on its key was submitted before: the key names the first
 *   task, which is returned instead (also when that task has finished).
 * - ConnectionLoss (or expiry) mid-batch leaves unknown which multis landed. Ids are made here,
 *   before the create, so every item still pending is looked up by id: found means submitted,
 *   absent means submit again, which cannot make a duplicate.
 */
export class TaskSubmitter {
  private readonly ids = new TaskIdSequence();
  private layout: Promise<void> | undefined;

  constructor(private readonly ctx: ClientContext) {}

  /**
   * Submits `items`. Each task's trace continues `parent` (the caller's active OpenTelemetry
   * context, taken before the first await) or the item's own `traceparent`; its send span
   * ends when the task is in the tree.
   */
  async submit(
    items: readonly SubmitItem[],
    prefixErrors: boolean,
    parent: Context = context.active(),
  ): Promise<TaskView[]> {
    const now = this.ctx.clock.now();
    // Everything is checked before anything is written: a bad item fails the whole call (and
    // makes no span: nothing was sent).
    const records = items.map((item, i) => {
      try {
        return this.record(item, now);
      } catch (err) {
        if (!prefixErrors || !(err instanceof InvalidTaskError)) throw err;
        const Kind = err.constructor as new (message: string) => InvalidTaskError;
        throw new Kind(`items[${i}]: ${err.message}`);
      }
    });
    const spans = records.map((record, i) => {
      const span = startSendSpan(
        record.type,
        record.id,
        submitterContext(items[i].options ?? {}, parent),
      );
      const trace = traceOfSpan(span);
      if (trace !== undefined) record.trace = trace;
      return span;
    });
    try {
      const views = await this.store(records);
      // An idempotency key answered by an earlier task (or, all but never, an id taken anew
      // after a collision): the span names the task that is.
      views.forEach((view, i) => {
        if (view.id !== records[i].id)
          renameMessage(spans[i], view.id, records[i].options.idempotencyKey !== undefined);
        spans[i].end();
      });
      return views;
    } catch (err) {
      for (const span of spans) endSpan(span, err);
      throw err;
    }
  }

  private async store(records: TaskRecord[]): Promise<TaskView[]> {
    if (records.length === 0) return [];
    await this.ensureLayout();

    // Before the creates are sent: this client's event streams then know them on arrival.
    for (const record of records) this.ctx.own.note(record.id, record.type);
    const views = new Array<TaskView>(records.length);
    let pending: Pending[] = records.map((record, index) => ({ index, record }));
    let unknown = false;
    for (let round = 0; pending.length > 0; round++) {
      if (round >= MAX_ROUNDS)
        throw new TaskQueueError(`${pending.length} task(s) not submitted after ${round} rounds`);
      if (unknown) {
        pending = await this.readBack(pending, views);
        unknown = false;
        if (pending.length === 0) break;
      }
      const tctx = { acl: this.ctx.acl, now: this.ctx.clock.now() };
      const batch = pending.map((p) => ({ ops: submitTransition(tctx, p.record).ops, value: p }));
      try {
        const outcome = await commitBatch(this.ctx.connection.client, batch);
        for (const p of outcome.committed) views[p.index] = toTaskView(p.record, 'tasks');
        pending = await this.settleRejected(outcome.rejected, views);
      } catch (err) {
        if (!outcomeUnknown(err)) throw err;
        this.ctx.logger.warn(
          { err, pending: pending.length },
          'submit: reply lost; reading the tasks back before retrying',
        );
        unknown = true;
      }
    }
    return views;
  }

  private record(item: SubmitItem, now: number): TaskRecord {
    if (item === null || typeof item !== 'object')
      throw new InvalidTaskError('a submission must be an object { type, payload, options? }');
    const options = item.options ?? {};
    if (options === null || typeof options !== 'object')
      throw new InvalidTaskError('options must be an object');
    // The id carries the priority, so it is checked first.
    const id = this.ids.next(now, checkPriority(options.priority));
    const record = newTaskRecord(id, item.type, item.payload, options, now);
    // What is stored is the payload's JSON; the view returned must be the same thing.
    record.payload = JSON.parse(payloadJson(item.payload)) as unknown;
    return record;
  }

  /** Creates the layout once per client: a queue nobody has started yet still takes tasks. */
  private ensureLayout(): Promise<void> {
    this.layout ??= retrying(this.ctx.connection, this.ctx.clock, (c) =>
      ensureLayout(c, this.ctx.acl),
    ).catch((err: unknown) => {
      this.layout = undefined;
      throw err;
    });
    return this.layout;
  }

  /** After a lost reply: which of `pending` are in the tree? Returns those that are not. */
  private async readBack(pending: Pending[], views: TaskView[]): Promise<Pending[]> {
    const absent: Pending[] = [];
    for (let i = 0; i < pending.length; i += READ_BACK_CONCURRENCY) {
      const slice = pending.slice(i, i + READ_BACK_CONCURRENCY);
      const found = await Promise.all(
        slice.map((p) =>
          retrying(this.ctx.connection, this.ctx.clock, (c) => readTask(c, p.record.id)),
        ),
      );
      slice.forEach((p, j) => {
        const stored = found[j];
        if (stored) views[p.index] = viewOfStored(stored);
        else absent.push(p);
      });
    }
    return absent;
  }

  /** Rejected items: answered from their idempotency key, or returned to be submitted again. */
  private async settleRejected(
    rejected: { value: Pending; error: KeeperError }[],
    views: TaskView[],
  ): Promise<Pending[]> {
    const again: Pending[] = [];
    await Promise.all(
      rejected.map(async ({ value: p, error }) => {
        const key = p.record.options.idempotencyKey;
        if (error instanceof NodeExistsError && key !== undefined && error.path === keyPath(key)) {
          const first = await this.byKey(key);
          // The key vanished in between (the first task was pruned): the key is free again.
          if (first) views[p.index] = first;
          else again.push(p);
          return;
        }
        if (error instanceof NodeExistsError && error.path === paths.task(p.record.id)) {
          // Another submitter made the same id (8 random base-36 characters per millisecond
          // make this all but impossible); a task id is only ever one task, so take a new one.
          const id = this.ids.next(this.ctx.clock.now(), p.record.options.priority);
          again.push({ index: p.index, record: { ...p.record, id } });
          return;
        }
        throw error;
      }),
    );
    return again.sort((a, b) => a.index - b.index);
  }

  /** The task an idempotency key names, or undefined when the key is not there. */
  private byKey(key: string): Promise<TaskView | undefined> {
    return retrying(this.ctx.connection, this.ctx.clock, async (client) => {
      let id: string;
      try {
        id = bytesOf((await client.getData(keyPath(key))).data).toString('utf8');
      } catch (err) {
        if (err instanceof NoNodeError) return undefined;
        throw err;
      }
      const stored = await readTask(client, id);
      // Keys and tasks are created and pruned in the same multi, so this means a damaged tree.
      if (!stored)
        throw new TaskQueueError(`idempotency key ${JSON.stringify(key)} names missing task ${id}`);
      return viewOfStored(stored);
    });
  }
}

function keyPath(idempotencyKey: string): string {
  return paths.key(keyHash(idempotencyKey));
}
