import {
  BUCKETS,
  FlowNotFoundError,
  LAYOUT_VERSION,
  ensureLayout,
  InvalidTaskError,
  LIMITS,
  NonRetryableError,
  PayloadTooLargeError,
  ROOTS,
  TaskContext,
  TaskQueueClient,
  TaskView,
  Worker,
  paths,
} from '@shepherd/taskqueue';
import { TestCluster } from '../master/support/cluster';
import { delay, waitFor } from '../../../../test/support/wait-for';

// Flows end to end on the embedded coordinator: a real client, master(s) and worker.

const cluster = TestCluster.perTest();

/** Every handler run, by task id: what the handler saw. */
const seen = new Map<string, TaskContext[]>();

const handlers = {
  step: (t: TaskContext) => {
    seen.set(t.id, [...(seen.get(t.id) ?? []), t]);
    return { step: (t.payload as { n: number }).n, got: t.dependencies };
  },
  boom: (t: TaskContext) => {
    seen.set(t.id, [...(seen.get(t.id) ?? []), t]);
    throw new NonRetryableError('boom');
  },
  big: (t: TaskContext) => 'x'.repeat((t.payload as { bytes: number }).bytes),
  join: (t: TaskContext) => {
    seen.set(t.id, [...(seen.get(t.id) ?? []), t]);
    return { dependencies: t.dependencies, failedDependencies: t.failedDependencies };
  },
  sleep: (t: TaskContext) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => resolve({ slept: true }), (t.payload as { ms: number }).ms);
      t.signal.addEventListener('abort', () => {
        clearTimeout(timer);
        reject(t.signal.reason as Error);
      });
    }),
};

async function client(): Promise<TaskQueueClient> {
  return new TaskQueueClient({ connection: await cluster.connection() });
}

const workers: Worker[] = [];
afterEach(async () => {
  for (const w of workers.splice(0)) await w.stop({ graceMs: 0 }).catch(() => undefined);
  seen.clear();
});

async function startWorker(id = 'w1'): Promise<Worker> {
  const worker = new Worker({
    id,
    connection: await cluster.connection(),
    concurrency: 4,
    handlers,
    shutdownGraceMs: 0,
    closeConnection: false,
  });
  await worker.start();
  workers.push(worker);
  return worker;
}

async function startMaster(id = 'm1') {
  const master = await cluster.master(id);
  await master.start();
  await waitFor(`${id} leads`, () => master.isLeader);
  return master;
}

const terminal = (c: TaskQueueClient, ids: string[]) =>
  Promise.all(ids.map((id) => c.wait(id, 20_000)));
const events = (v: TaskView) => v.history.map((h) => h.event);

/** Names under a bucketed area, every bucket. */
async function namesIn(root: string): Promise<string[]> {
  const out: string[] = [];
  for (const b of (await cluster.admin.getChildren(root)).sort())
    out.push(...(await cluster.admin.getChildren(`${root}/${b}`)));
  return out;
}

describe('flows', () => {
  it('runs a diamond a -> (b, c) -> d in order; d sees the results of b and c', async () => {
    const c = await client();
    const flow = await c.submitFlow({
      tasks: [
        { key: 'a', type: 'step', payload: { n: 1 } },
        { key: 'b', type: 'step', payload: { n: 2 }, dependsOn: ['a'] },
        { key: 'c', type: 'step', payload: { n: 3 }, dependsOn: ['a'], priority: 5 },
        { key: 'd', type: 'join', payload: null, dependsOn: ['b', 'c'] },
      ],
    });
    expect(flow.id).toMatch(/^flow-[0-9a-z]{17}$/);
    expect(Object.keys(flow.tasks).sort()).toEqual(['a', 'b', 'c', 'd']);
    // Before any master: a is queued, the others wait, and are listed and counted as waiting.
    const before = await c.getFlow(flow.id);
    expect(before).toMatchObject({ id: flow.id, state: 'running', onDependencyFailure: 'cancel' });
    expect(before.tasks.map((t) => [t.key, t.state, t.dependsOn])).toEqual([
      ['a', 'queued', []],
      ['b', 'waiting', ['a']],
      ['c', 'waiting', ['a']],
      ['d', 'waiting', ['b', 'c']],
    ]);
    const d0 = await c.get(flow.tasks.d);
    expect(d0).toMatchObject({ state: 'waiting', flow: { id: flow.id, key: 'd' } });
    expect(events(d0)).toEqual(['waiting']);
    expect((await c.counts()).waiting).toBe(3);
    const listed = await c.list({ state: 'waiting' });
    expect(listed.items.map((v) => v.id).sort()).toEqual(
      [flow.tasks.b, flow.tasks.c, flow.tasks.d].sort(),
    );
    expect((await c.get(flow.tasks.c)).priority).toBe(5);

    await startMaster();
    await startWorker();
    const views = await terminal(c, Object.values(flow.tasks));
    for (const v of views) expect(v.state).toBe('done');
    const byKey = Object.fromEntries(views.map((v) => [v.flow!.key, v]));
    expect(byKey.b.result).toEqual({ step: 2, got: { a: { step: 1, got: {} } } });
    expect(byKey.d.result).toEqual({
      dependencies: {
        b: { step: 2, got: { a: { step: 1, got: {} } } },
        c: { step: 3, got: { a: { step: 1, got: {} } } },
      },
      failedDependencies: {},
    });
    // Order: d started after b and c finished, b and c after a.
    const started = (v: TaskView) => v.startedAt!;
    expect(started(byKey.b)).toBeGreaterThanOrEqual(byKey.a.finishedAt!);
    expect(started(byKey.d)).toBeGreaterThanOrEqual(
      Math.max(byKey.b.finishedAt!, byKey.c.finishedAt!),
    );
    expect(events(byKey.d)).toEqual(['waiting', 'queued', 'assigned', 'started', 'completed']);
    const after = await c.getFlow(flow.id);
    expect(after.state).toBe('done');
    // Cancelling a finished flow changes nothing.
    expect(await c.cancelFlow(flow.id, 'too late')).toEqual(after);
    expect(after.tasks.every((t) => t.state === 'done')).toBe(true);
    // One marker per ended task.
    expect((await cluster.admin.getChildren(paths.flow(flow.id))).sort()).toEqual([
      'a',
      'b',
      'c',
      'd',
    ]);
    c.close();
  });

  it('a failed dependency cancels its dependents transitively, with the reason', async () => {
    const c = await client();
    await startMaster();
    await startWorker();
    const flow = await c.submitFlow({
      tasks: [
        { key: 'a', type: 'boom', payload: null },
        { key: 'b', type: 'step', payload: { n: 2 }, dependsOn: ['a'] },
        { key: 'c', type: 'step', payload: { n: 3 }, dependsOn: ['b'] },
        { key: 'x', type: 'step', payload: { n: 4 } },
      ],
    });
    const [a, b, cc, x] = await terminal(
      c,
      ['a', 'b', 'c', 'x'].map((k) => flow.tasks[k]),
    );
    expect(a.state).toBe('failed');
    expect(x.state).toBe('done');
    expect(b.state).toBe('cancelled');
    expect(b.history.at(-1)).toMatchObject({
      event: 'cancelled',
      detail: `dependency a (${flow.tasks.a}) ended failed`,
    });
    expect(cc.state).toBe('cancelled');
    expect(cc.history.at(-1)?.detail).toBe(`dependency b (${flow.tasks.b}) ended cancelled`);
    expect(seen.has(flow.tasks.b) || seen.has(flow.tasks.c)).toBe(false);
    expect((await c.getFlow(flow.id)).state).toBe('failed');
    c.close();
  });

  it("onDependencyFailure 'run' runs the dependents with failedDependencies", async () => {
    const c = await client();
    await startMaster();
    await startWorker();
    const flow = await c.submitFlow({
      onDependencyFailure: 'run',
      tasks: [
        { key: 'bad', type: 'boom', payload: null },
        { key: 'good', type: 'step', payload: { n: 1 } },
        { key: 'end', type: 'join', payload: null, dependsOn: ['bad', 'good'] },
      ],
    });
    const end = await c.wait(flow.tasks.end, 20_000);
    expect(end.state).toBe('done');
    expect(end.result).toEqual({
      dependencies: { good: { step: 1, got: {} } },
      failedDependencies: {
        bad: { state: 'failed', error: { name: 'NonRetryableError', message: 'boom' } },
      },
    });
    const view = await c.getFlow(flow.id);
    expect(view).toMatchObject({ onDependencyFailure: 'run', state: 'failed' });
    c.close();
  });

  it('a task whose payload and dependency results exceed the limit ends failed', async () => {
    const c = await client();
    await startMaster();
    await startWorker();
    const flow = await c.submitFlow({
      tasks: [
        { key: 'a', type: 'big', payload: { bytes: 200 * 1024 } },
        { key: 'b', type: 'step', payload: 'y'.repeat(350 * 1024), dependsOn: ['a'] },
        { key: 'c', type: 'step', payload: null, dependsOn: ['b'] },
      ],
    });
    const b = await c.wait(flow.tasks.b, 20_000);
    expect(b.state).toBe('failed');
    expect(b.error).toMatchObject({ name: 'DependenciesTooLargeError' });
    expect(b.error?.message).toMatch(/the limit is 524288 bytes/);
    expect(seen.has(flow.tasks.b)).toBe(false);
    const cc = await c.wait(flow.tasks.c, 20_000);
    expect(cc.history.at(-1)?.detail).toBe(`dependency b (${flow.tasks.b}) ended failed`);
    c.close();
  });

  it('cancelFlow cancels the waiting, queued and running tasks; finished ones stay', async () => {
    const c = await client();
    await startMaster();
    await startWorker();
    const flow = await c.submitFlow({
      tasks: [
        { key: 'quick', type: 'step', payload: { n: 1 } },
        { key: 'slow', type: 'sleep', payload: { ms: 30_000 } },
        { key: 'after', type: 'step', payload: { n: 2 }, dependsOn: ['slow', 'quick'] },
        // No worker handles it: it stays queued.
        { key: 'orphan', type: 'nobody', payload: null },
      ],
    });
    await c.wait(flow.tasks.quick, 20_000);
    await waitFor('slow running', async () => (await c.get(flow.tasks.slow)).state === 'running');
    const view = await c.cancelFlow(flow.id, 'changed my mind');
    expect(view.state).toBe('cancelled');
    expect(view.cancelled).toMatchObject({ at: expect.any(Number), reason: 'changed my mind' });
    expect(Object.fromEntries(view.tasks.map((t) => [t.key, t.state]))).toEqual({
      quick: 'done',
      slow: 'cancelled',
      after: 'cancelled',
      orphan: 'cancelled',
    });
    const slow = await c.get(flow.tasks.slow);
    expect(slow.history.at(-1)?.detail).toBe('flow cancelled: changed my mind');
    await delay(300);
    expect(seen.has(flow.tasks.after)).toBe(false);
    // Again: nothing left to cancel, same answer.
    expect((await c.cancelFlow(flow.id)).state).toBe('cancelled');
    await expect(c.getFlow('flow-0000000000000000z')).rejects.toBeInstanceOf(FlowNotFoundError);
    await expect(c.cancelFlow('flow-0000000000000000z')).rejects.toBeInstanceOf(FlowNotFoundError);
    await expect(c.getFlow('nope')).rejects.toBeInstanceOf(InvalidTaskError);
    c.close();
  });

  it('retention removes finished flows past the age limit, never an unfinished one', async () => {
    const c = await client();
    const master = await cluster.master('m1', {
      retention: { maxAgeMs: 300, intervalMs: 200, maxCount: 1_000_000 },
    });
    await master.start();
    await waitFor('m1 leads', () => master.isLeader);
    await startWorker();
    const finished = await c.submitFlow({
      tasks: [
        { key: 'a', type: 'step', payload: { n: 1 } },
        { key: 'b', type: 'step', payload: { n: 2 }, dependsOn: ['a'] },
      ],
    });
    const open = await c.submitFlow({
      tasks: [
        { key: 'slow', type: 'sleep', payload: { ms: 2_000 } },
        { key: 'after', type: 'step', payload: { n: 3 }, dependsOn: ['slow'] },
      ],
    });
    await terminal(c, [finished.tasks.b]);
    await waitFor('the finished flow to go', () =>
      c.getFlow(finished.id).then(
        () => false,
        (err: unknown) => err instanceof FlowNotFoundError,
      ),
    );
    // Past the age limit too, but its tasks are not done: it stays, and it still runs.
    expect((await c.getFlow(open.id)).state).toBe('running');
    const [after] = await terminal(c, [open.tasks.after]);
    expect(after.state).toBe('done');
    c.close();
  });

  it('a plain cancel of a waiting task cancels its dependents', async () => {
    const c = await client();
    await startMaster();
    const flow = await c.submitFlow({
      tasks: [
        { key: 'a', type: 'nobody', payload: null },
        { key: 'b', type: 'step', payload: null, dependsOn: ['a'] },
        { key: 'c', type: 'step', payload: null, dependsOn: ['b'] },
      ],
    });
    const b = await c.cancel(flow.tasks.b, 'not needed');
    expect(b.state).toBe('cancelled');
    const cView = await c.wait(flow.tasks.c, 10_000);
    expect(cView.history.at(-1)?.detail).toBe(`dependency b (${flow.tasks.b}) ended cancelled`);
    expect((await c.get(flow.tasks.a)).state).toBe('queued');
    c.close();
  });

  it('listFlows pages the flows newest first, each as getFlow shows it', async () => {
    const c = await client();
    // No /flows at all (a tree laid out before flows): an empty page.
    await cluster.admin.delete(ROOTS.flows);
    expect(await c.listFlows()).toEqual({ items: [] });
    const ids: string[] = [];
    for (let n = 0; n < 3; n++) {
      const flow = await c.submitFlow({
        tasks: [
          { key: 'a', type: 'step', payload: { n } },
          { key: 'b', type: 'step', payload: { n }, dependsOn: ['a'] },
        ],
      });
      ids.push(flow.id);
      await delay(3); // ids sort by creation time, to the millisecond
    }
    // A name under /flows that is not a flow id is not listed.
    await cluster.admin.create(`${ROOTS.flows}/not-a-flow`);
    const newest = [...ids].reverse();

    const all = await c.listFlows();
    expect(all.items.map((f) => f.id)).toEqual(newest);
    expect(all.nextCursor).toBeUndefined();
    expect(all.items[0]).toEqual(await c.getFlow(newest[0]));
    expect(all.items[0].tasks.map((t) => [t.key, t.state])).toEqual([
      ['a', 'queued'],
      ['b', 'waiting'],
    ]);

    const first = await c.listFlows({ limit: 2 });
    expect(first.items.map((f) => f.id)).toEqual(newest.slice(0, 2));
    expect(first.nextCursor).toBe(newest[1]);
    const second = await c.listFlows({ limit: 2, cursor: first.nextCursor });
    expect(second.items.map((f) => f.id)).toEqual(newest.slice(2));
    expect(second.nextCursor).toBeUndefined();
    // A full last page has no cursor either: nothing is left after it.
    expect((await c.listFlows({ limit: 3 })).nextCursor).toBeUndefined();
    // A cancelled flow is listed with its state.
    await c.cancelFlow(ids[1], 'enough');
    const listed = await c.listFlows({ limit: 1, cursor: newest[0] });
    expect(listed.items.map((f) => [f.id, f.state])).toEqual([[ids[1], 'cancelled']]);

    for (const query of [{ limit: 0 }, { limit: 101 }, { limit: 1.5 }, { cursor: 'nope' }]) {
      const err = await c.listFlows(query).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(InvalidTaskError);
      expect((err as Error).message).toMatch(/limit must be an integer from 1 to 100|cursor/);
    }
    c.close();
  });

  it('an invalid flow creates nothing (all or nothing), with a clear message', async () => {
    const c = await client();
    const bad = async (spec: unknown, message: RegExp, kind = InvalidTaskError) => {
      const err = await c.submitFlow(spec as never).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(kind);
      expect((err as Error).message).toMatch(message);
    };
    const t = (key: string, dependsOn?: string[]) => ({
      key,
      type: 'step',
      payload: {},
      dependsOn,
    });
    await bad({ tasks: [t('a', ['b']), t('b', ['a'])] }, /cycle: a -> b -> a/);
    await bad({ tasks: [t('a', ['zz'])] }, /tasks\[0\] \(a\) depends on unknown key "zz"/);
    await bad({ tasks: [t('a'), t('a')] }, /tasks\[1\]: duplicate key "a"/);
    await bad({ tasks: [t('a', ['a'])] }, /tasks\[0\] \(a\) depends on itself/);
    await bad({ tasks: [] }, /1 to 500 tasks/);
    await bad({ tasks: [t('a'), { key: 'b', type: 'bad type' }] }, /tasks\[1\] \(b\): type/);
    await bad({ tasks: [t('a'), { ...t('b'), maxAttempts: 0 }] }, /tasks\[1\] \(b\): maxAttempts/);
    await bad({ tasks: [t('a')], onDependencyFailure: 'maybe' }, /onDependencyFailure/);
    const big = 'x'.repeat(LIMITS.maxPayloadBytes - 100);
    await bad(
      {
        tasks: [
          { ...t('a'), payload: big },
          { ...t('b'), payload: big },
        ],
      },
      /as one multi/,
      PayloadTooLargeError,
    );
    expect(await cluster.admin.getChildren(ROOTS.flows).catch(() => [])).toEqual([]);
    expect(await namesIn(ROOTS.tasks)).toEqual([]);
    expect(await namesIn(ROOTS.waiting)).toEqual([]);
    c.close();
  });

  it('a dependency ending while no master leads is released by the next leader, once', async () => {
    const c = await client();
    const m1 = await startMaster('m1');
    const fake = await cluster.worker('fw', { types: ['step'], concurrency: 2 });
    const flow = await c.submitFlow({
      tasks: [
        { key: 'a', type: 'step', payload: { n: 1 } },
        { key: 'b', type: 'step', payload: { n: 2 }, dependsOn: ['a'] },
      ],
    });
    await waitFor('a assigned', async () => (await fake.assignments()).includes(flow.tasks.a));
    await m1.stop();
    await fake.complete(flow.tasks.a, { a: 'result' });
    await delay(500);
    expect((await c.get(flow.tasks.b)).state).toBe('waiting');
    // Two candidates take over together: one leads and releases b.
    const m2 = await cluster.master('m2');
    const m3 = await cluster.master('m3');
    await Promise.all([m2.start(), m3.start()]);
    await waitFor('b assigned', async () => (await fake.assignments()).includes(flow.tasks.b));
    const { record } = await fake.record(flow.tasks.b);
    expect(record.dependencies).toEqual({ a: { a: 'result' } });
    // The leader is expired before b ends; the next one must not release it again.
    const leader = await cluster.leaderOf([m2, m3]);
    await cluster.expire(leader);
    await cluster.leaderOf([m2, m3]);
    await fake.complete(flow.tasks.b, 'done');
    const b = await c.wait(flow.tasks.b, 10_000);
    expect(b.state).toBe('done');
    expect(events(b).filter((e) => e === 'queued')).toHaveLength(1);
    expect(events(b)).toEqual(['waiting', 'queued', 'assigned', 'completed']);
    expect((await c.getFlow(flow.id)).state).toBe('done');
    c.close();
  });

  it('a tree laid out before flows gets /waiting (with its buckets) and /flows', async () => {
    const admin = cluster.admin;
    for (const b of BUCKETS) await admin.delete(`${ROOTS.waiting}/${b}`);
    await admin.delete(ROOTS.waiting);
    await admin.delete(ROOTS.flows);
    const marker = await admin.getData(ROOTS.layout);
    await ensureLayout(admin);
    expect((await admin.getChildren(ROOTS.waiting)).length).toBe(256);
    expect(await admin.exists(ROOTS.flows)).not.toBeNull();
    const after = await admin.getData(ROOTS.layout);
    expect(after.stat.version).toBe(marker.stat.version);
    expect(JSON.parse(String(after.data))).toMatchObject({ version: LAYOUT_VERSION });
    // And flows work on it.
    const c = await client();
    await startMaster();
    await startWorker();
    const flow = await c.submitFlow({
      tasks: [
        { key: 'a', type: 'step', payload: { n: 1 } },
        { key: 'b', type: 'step', payload: { n: 2 }, dependsOn: ['a'] },
      ],
    });
    expect((await c.wait(flow.tasks.b, 20_000)).state).toBe('done');
    c.close();
  });
});
