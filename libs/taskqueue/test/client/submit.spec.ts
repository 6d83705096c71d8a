import {
  InvalidTaskError,
  LIMITS,
  PayloadTooLargeError,
  ROOTS,
  TaskNotFoundError,
  paths,
  priorityOf,
  readTask,
} from '@shepherd/taskqueue';
import { LossyTransports, WIRE_OP } from '../../../../test/support/lossy-transport';
import { Namespace } from './support';

const ns = Namespace.perTest();

/** The zxid of a write of our own: the difference of two is the number of txns between. */
async function zxid(): Promise<bigint> {
  return (await ns.zk.setData('/', null)).mzxid;
}

describe('submit and get', () => {
  it('queues a task in /tasks and reads it back from anywhere', async () => {
    const view = await ns.client.submit('echo', { hello: 'world' }, { maxAttempts: 5 });
    expect(view).toMatchObject({
      type: 'echo',
      state: 'queued',
      attempts: 0,
      maxAttempts: 5,
      payload: { hello: 'world' },
    });
    expect(view.history.map((h) => h.event)).toEqual(['queued']);
    expect(await ns.client.get(view.id)).toEqual(view);
    expect(await ns.zk.getAllChildrenNumber(ROOTS.tasks)).toBe(256 + 1);

    await ns.registerWorker('w1');
    await ns.assign(view.id, 'w1');
    await ns.start(view.id);
    expect(await ns.client.get(view.id)).toMatchObject({ state: 'running', worker: 'w1' });
    await ns.complete(view.id, { ok: 1 });
    expect(await ns.client.get(view.id)).toMatchObject({
      state: 'done',
      result: { ok: 1 },
      attempts: 1,
    });
  });

  it('stores and returns the payload as JSON', async () => {
    const view = await ns.client.submit('echo', { f: () => 1, d: new Date(0), u: undefined });
    expect(view.payload).toEqual({ d: '1970-01-01T00:00:00.000Z' });
    expect((await ns.client.get(view.id)).payload).toEqual(view.payload);
  });

  it('answers TaskNotFoundError for unknown and malformed ids', async () => {
    await expect(ns.client.get('task-0000000000000000z')).rejects.toThrow(TaskNotFoundError);
    await expect(ns.client.get('../etc')).rejects.toThrow(TaskNotFoundError);
  });

  it('refuses invalid input before writing anything', async () => {
    await expect(ns.client.submit('bad type!', {})).rejects.toThrow(InvalidTaskError);
    await expect(ns.client.submit('echo', {}, { maxAttempts: 0 })).rejects.toThrow(
      InvalidTaskError,
    );
    await expect(ns.client.submit('echo', { n: 1n })).rejects.toThrow(InvalidTaskError);
    const big = 'x'.repeat(LIMITS.maxPayloadBytes);
    await expect(ns.client.submit('echo', big)).rejects.toThrow(PayloadTooLargeError);
    const many = ns.client.submitMany([
      { type: 'echo', payload: 1 },
      { type: 'echo', payload: big },
    ]);
    await expect(many).rejects.toThrow(PayloadTooLargeError);
    await expect(many).rejects.toThrow(/items\[1\]/);
    expect((await ns.client.counts()).queued).toBe(0);
  });

  it('carries the priority in the id, the record and the view, and refuses a bad one', async () => {
    const view = await ns.client.submit('echo', null, { priority: 42 });
    expect(view.priority).toBe(42);
    expect(priorityOf(view.id)).toBe(42);
    expect((await readTask(ns.zk, view.id))?.record.options.priority).toBe(42);
    expect((await ns.client.get(view.id)).priority).toBe(42);
    expect((await ns.client.submit('echo', null)).priority).toBe(0);
    for (const priority of [1001, -1001, 1.5, '3', null])
      await expect(
        ns.client.submit('echo', null, { priority: priority as number }),
      ).rejects.toThrow(/^priority must be an integer from -1000 to 1000$/);
    await expect(
      ns.client.submitMany([
        { type: 'echo', payload: 1, options: { priority: 1 } },
        { type: 'echo', payload: 2, options: { priority: 2.5 } },
      ]),
    ).rejects.toThrow(/^items\[1\]: priority must be an integer/);
    expect((await ns.client.counts()).queued).toBe(2);
  });

  it('refuses a payload nested too deep to serialize, and goes on serving', async () => {
    // JSON.stringify runs out of stack at a few thousand levels: an InvalidTaskError, not a crash.
    let deep: unknown = null;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    await expect(ns.client.submit('echo', deep)).rejects.toThrow(InvalidTaskError);
    await expect(ns.client.submitMany([{ type: 'echo', payload: deep }])).rejects.toThrow(
      InvalidTaskError,
    );
    expect((await ns.client.counts()).queued).toBe(0);
    expect((await ns.client.submit('echo', 'fine')).state).toBe('queued');
  });
});

describe('trace context without an OpenTelemetry SDK', () => {
  const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

  it('stores none when the submitter has no trace: not a byte more per record', async () => {
    const view = await ns.client.submit('echo', null);
    const stored = await ns.zk.getData(paths.task(view.id));
    expect(JSON.parse(stored.data!.toString())).not.toHaveProperty('tc');
  });

  it('carries a traceparent given with the task (a relayed request) into its record', async () => {
    const view = await ns.client.submit('echo', null, { traceparent, tracestate: 'a=1' });
    expect((await readTask(ns.zk, view.id))?.record.trace).toEqual({
      traceparent,
      tracestate: 'a=1',
    });
    const [many] = await ns.client.submitMany([
      { type: 'echo', payload: 1, options: { traceparent } },
    ]);
    expect((await readTask(ns.zk, many.id))?.record.trace?.traceparent).toBe(traceparent);
    // A header relayed from elsewhere that is not a traceparent: the task goes in untraced.
    const relayed = await ns.client.submit('echo', null, { traceparent: 'x' });
    expect((await readTask(ns.zk, relayed.id))?.record.trace).toBeUndefined();
    const flow = await ns.client.submitFlow({
      tasks: [{ key: 'a', type: 'echo', payload: null }],
      traceparent,
    });
    expect((await readTask(ns.zk, flow.tasks.a))?.record.trace?.traceparent).toBe(traceparent);
  });
});

describe('submitMany', () => {
  it('keeps the order given, in ids too, over several multis (3,000 tasks)', async () => {
    const items = Array.from({ length: 3000 }, (_, i) => ({ type: 'n', payload: { i } }));
    await ns.client.submit('warm-up', null); // lays the tree out first
    const before = await zxid();
    const views = await ns.client.submitMany(items);
    const after = await zxid();
    expect(views.map((v) => (v.payload as { i: number }).i)).toEqual(items.map((_, i) => i));
    const ids = views.map((v) => v.id);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(3000);
    expect((await ns.client.counts()).queued).toBe(3001);
    // 1,000 ops per multi at most: at least 3 multis, and far fewer than one per task.
    const txns = Number(after - before) - 1;
    expect(txns).toBeGreaterThanOrEqual(3);
    expect(txns).toBeLessThan(10);
  });

  it('splits by bytes as well: large payloads go in several multis', async () => {
    const payload = 'p'.repeat(200 * 1024);
    const views = await ns.client.submitMany(
      Array.from({ length: 8 }, () => ({ type: 'big', payload })),
    );
    expect(views).toHaveLength(8);
    expect((await ns.client.counts()).queued).toBe(8);
  });
});

describe('idempotency keys', () => {
  it('returns the first task for the same key, also after it finished', async () => {
    const first = await ns.client.submit('echo', 1, { idempotencyKey: 'order-42' });
    const again = await ns.client.submit('echo', 2, { idempotencyKey: 'order-42' });
    expect(again.id).toBe(first.id);
    expect(again.payload).toBe(1);
    const other = await ns.client.submit('echo', 3, { idempotencyKey: 'order-43' });
    expect(other.id).not.toBe(first.id);

    await ns.registerWorker('w1');
    await ns.assign(first.id, 'w1');
    await ns.complete(first.id, 'ok');
    const late = await ns.client.submit('echo', 4, { idempotencyKey: 'order-42' });
    expect(late).toMatchObject({ id: first.id, state: 'done', result: 'ok' });
    expect((await ns.client.counts()).queued).toBe(1);
  });

  it('return the first task, with its priority, whatever priority comes with the key again', async () => {
    const first = await ns.client.submit('echo', 1, { idempotencyKey: 'p-1', priority: 5 });
    const again = await ns.client.submit('echo', 2, { idempotencyKey: 'p-1', priority: -5 });
    expect(again).toMatchObject({ id: first.id, priority: 5, payload: 1 });
    expect((await ns.client.counts()).queued).toBe(1);
  });

  it('deduplicates inside one submitMany and against earlier tasks', async () => {
    const earlier = await ns.client.submit('echo', 'e', { idempotencyKey: 'k0' });
    const views = await ns.client.submitMany([
      { type: 'echo', payload: 'a', options: { idempotencyKey: 'k1' } },
      { type: 'echo', payload: 'b', options: { idempotencyKey: 'k0' } },
      { type: 'echo', payload: 'c', options: { idempotencyKey: 'k1' } },
      { type: 'echo', payload: 'd' },
    ]);
    expect(views[1].id).toBe(earlier.id);
    expect(views[2].id).toBe(views[0].id);
    expect(views.map((v) => v.payload)).toEqual(['a', 'e', 'a', 'd']);
    expect((await ns.client.counts()).queued).toBe(3);
  });
});

describe('connection loss', () => {
  let lossy: LossyTransports;
  let lossyNs: Namespace;

  beforeEach(async () => {
    lossy = new LossyTransports();
    lossyNs = await Namespace.open(ns.server, { transportFactory: lossy.factory });
    await lossyNs.client.submit('warm-up', null); // lays out the tree first
  });
  afterEach(async () => {
    await lossyNs?.close();
  });

  it.each(['reply', 'request'] as const)(
    'reads back after a multi whose %s was lost and neither loses nor duplicates a task',
    async (mode) => {
      const items = Array.from({ length: 2500 }, (_, i) => ({ type: 'n', payload: i }));
      lossy.arm(WIRE_OP.multi, mode, 1); // the second of three multis
      const views = await lossyNs.client.submitMany(items);
      expect(lossy.lost).toBe(1);
      expect(views.map((v) => v.payload)).toEqual(items.map((_, i) => i));
      expect(new Set(views.map((v) => v.id)).size).toBe(2500);
      expect((await lossyNs.client.counts()).queued).toBe(2501);
    },
  );

  it('keeps an idempotent submission single when its reply is lost', async () => {
    lossy.arm(WIRE_OP.multi);
    const view = await lossyNs.client.submit('echo', 1, { idempotencyKey: 'once' });
    expect(lossy.lost).toBe(1);
    const again = await lossyNs.client.submit('echo', 1, { idempotencyKey: 'once' });
    expect(again.id).toBe(view.id);
    expect((await lossyNs.client.counts()).queued).toBe(2);
  });
});

describe('list', () => {
  it('pages newest first with a cursor, filtered by state and type', async () => {
    const a = await ns.client.submitMany(
      Array.from({ length: 7 }, (_, i) => ({ type: i % 2 ? 'odd' : 'even', payload: i })),
    );
    await ns.registerWorker('w1', { concurrency: 10 });
    await ns.assign(a[1].id, 'w1');
    await ns.assign(a[2].id, 'w1');
    await ns.start(a[2].id);
    await ns.assign(a[3].id, 'w1');
    await ns.complete(a[3].id, 3);
    await ns.client.cancel(a[4].id);

    const all = await ns.client.list();
    expect(all.items.map((v) => v.id)).toEqual([...a].reverse().map((v) => v.id));
    expect(all.nextCursor).toBeUndefined();
    expect(all.items.map((v) => v.state)).toEqual([
      'queued',
      'queued',
      'cancelled',
      'done',
      'running',
      'assigned',
      'queued',
    ]);

    const p1 = await ns.client.list({ limit: 3 });
    expect(p1.items.map((v) => v.id)).toEqual([a[6].id, a[5].id, a[4].id]);
    expect(p1.nextCursor).toBe(a[4].id);
    const p2 = await ns.client.list({ limit: 3, cursor: p1.nextCursor });
    expect(p2.items.map((v) => v.id)).toEqual([a[3].id, a[2].id, a[1].id]);
    const p3 = await ns.client.list({ limit: 3, cursor: p2.nextCursor });
    expect(p3.items.map((v) => v.id)).toEqual([a[0].id]);
    expect(p3.nextCursor).toBeUndefined();

    const ids = async (q: object) => (await ns.client.list(q)).items.map((v) => v.id);
    expect(await ids({ state: 'queued' })).toEqual([a[6].id, a[5].id, a[0].id]);
    expect(await ids({ state: 'assigned' })).toEqual([a[1].id]);
    expect(await ids({ state: 'running' })).toEqual([a[2].id]);
    expect(await ids({ state: 'done' })).toEqual([a[3].id]);
    expect(await ids({ state: 'cancelled' })).toEqual([a[4].id]);
    expect(await ids({ type: 'odd' })).toEqual([a[5].id, a[3].id, a[1].id]);
    expect(await ids({ type: 'even', state: 'queued' })).toEqual([a[6].id, a[0].id]);
    expect(await ids({ state: 'dead' })).toEqual([]);
    await expect(ns.client.list({ limit: 0 })).rejects.toThrow(InvalidTaskError);
  });

  it('pages newest first whatever the priority', async () => {
    const a: string[] = [];
    for (const priority of [0, 1000, -1000, 3, 0, -3]) {
      a.push((await ns.client.submit('echo', priority, { priority })).id);
      await new Promise((r) => setTimeout(r, 2)); // one millisecond apart at least
    }
    const newest = [...a].reverse();
    expect((await ns.client.list()).items.map((v) => v.id)).toEqual(newest);
    const p1 = await ns.client.list({ limit: 4 });
    expect(p1.items.map((v) => v.id)).toEqual(newest.slice(0, 4));
    const p2 = await ns.client.list({ limit: 4, cursor: p1.nextCursor });
    expect(p2.items.map((v) => v.id)).toEqual(newest.slice(4));
    expect(p2.items.map((v) => v.priority)).toEqual([1000, 0]);
  });

  it('lists an empty queue that was never laid out', async () => {
    expect(await ns.client.list()).toEqual({ items: [] });
    expect(await ns.client.counts()).toEqual({
      waiting: 0,
      queued: 0,
      inFlight: 0,
      finished: 0,
      dead: 0,
    });
  });
});
