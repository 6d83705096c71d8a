import { Subscription, firstValueFrom, skip } from 'rxjs';
import { CreateMode, NoWatcherError, WatcherType } from '@shepherd/zk-protocol';
import { ClusterEvent, TaskQueueClient } from '@shepherd/taskqueue';
import { waitFor } from '../../../../test/support/wait-for';
import { Namespace } from './support';

let seen: ClusterEvent[];
let sub: Subscription | undefined;

// Declared before the namespace's hooks, so it runs before the namespace closes.
afterEach(() => sub?.unsubscribe());
const ns = Namespace.perTest();
beforeEach(async () => {
  await ns.client.submit('warm-up', null); // lays the tree out before we listen
  seen = [];
});

/** Subscribes, and waits until the recursive watch is set (a probe worker is seen). */
async function listen(): Promise<void> {
  sub = ns.client.events$.subscribe((e) => seen.push(e));
  const probe = await ns.registerWorker('probe');
  await waitFor('the watch to be set', () => seen.some((e) => e.type === 'worker.joined'));
  await probe.close();
  await waitFor('the probe to leave', () => seen.some((e) => e.type === 'worker.left'));
  seen.length = 0;
}

const brief = (e: ClusterEvent) => [e.type, e.taskId ?? e.workerId ?? e.masterId].join(' ');

async function seenUntil(what: string, n: number): Promise<string[]> {
  await waitFor(what, () => seen.length >= n, { timeoutMs: 5000 }).catch((err: Error) => {
    throw new Error(`${err.message}; seen: ${seen.map(brief).join(', ')}`);
  });
  return seen.map(brief);
}

describe('events$', () => {
  it('reports a task life and workers in order', async () => {
    await listen();
    const t = await ns.client.submit('echo', 1);
    await ns.registerWorker('w1');
    await ns.assign(t.id, 'w1');
    await ns.start(t.id);
    await ns.complete(t.id, 'ok');
    await ns.workers.get('w1')!.close();
    expect(await seenUntil('six events', 6)).toEqual([
      `task.queued ${t.id}`,
      'worker.joined w1',
      `task.assigned ${t.id}`,
      `task.started ${t.id}`,
      `task.completed ${t.id}`,
      'worker.left w1',
    ]);
    expect(seen[0]).toMatchObject({ taskType: 'echo', state: 'queued', attempts: 0 });
    expect(seen[4]).toMatchObject({ taskType: 'echo', workerId: 'w1', attempts: 1 });
  });

  it('reports retries, dead-lettering, cancellation and redrive', async () => {
    await listen();
    const [a, b] = await ns.client.submitMany([
      { type: 'echo', payload: 'a', options: { maxAttempts: 2, backoffMs: 0 } },
      { type: 'echo', payload: 'b' },
    ]);
    await ns.registerWorker('w1');
    await ns.assign(a.id, 'w1');
    await ns.fail(a.id, 'first');
    await ns.assign(a.id, 'w1');
    await ns.fail(a.id, 'second');
    await ns.client.cancel(b.id, 'changed my mind');
    await ns.client.redrive(a.id);
    expect(await seenUntil('the events', 10)).toEqual([
      `task.queued ${a.id}`,
      `task.queued ${b.id}`,
      'worker.joined w1',
      `task.assigned ${a.id}`,
      `task.failed ${a.id}`,
      `task.queued ${a.id}`,
      `task.assigned ${a.id}`,
      `task.dead ${a.id}`,
      `task.cancelled ${b.id}`,
      `task.queued ${a.id}`,
    ]);
    expect(seen.find((e) => e.type === 'task.failed')).toMatchObject({ detail: 'first' });
    expect(seen.find((e) => e.type === 'task.cancelled')).toMatchObject({
      detail: 'changed my mind',
    });
  });

  it('reports progress, reassignment after a lost worker and a new leader', async () => {
    await listen();
    const t = await ns.client.submit('echo', 1);
    const w = await ns.registerWorker('w1');
    await ns.assign(t.id, 'w1');
    await ns.start(t.id);
    await ns.progress(t.id, { pct: 50 });
    await ns.recover(t.id, 'w1');
    const mode = { mode: CreateMode.EPHEMERAL_SEQUENTIAL };
    await w.create('/election/_c_a-n_', JSON.stringify({ id: 'm1' }), mode);
    await ns.zk.create('/election/_c_b-n_', JSON.stringify({ id: 'm2' }), mode);
    await w.close(); // m1 resigns with its session
    const events = await seenUntil('the events', 9);
    expect(events.slice(0, 7)).toEqual([
      `task.queued ${t.id}`,
      'worker.joined w1',
      `task.assigned ${t.id}`,
      `task.started ${t.id}`,
      `task.progress ${t.id}`,
      `task.reassigned ${t.id}`,
      'master.elected m1',
    ]);
    // The closed session's ephemerals go in one step, in no particular order.
    expect(events.slice(7).sort()).toEqual(['master.elected m2', 'worker.left w1']);
    expect(seen[4].progress).toEqual({ pct: 50 });
  });

  it('is shared, stops with the last subscriber and watches again on a new session', async () => {
    const other: ClusterEvent[] = [];
    await listen();
    const second = ns.client.events$.subscribe((e) => other.push(e));
    const first = ns.connection.client;
    const next = firstValueFrom(ns.connection.sessions$.pipe(skip(1)));
    await ns.expireClientSession();
    expect(await next).not.toBe(first);
    // The new session's watch is set after the session comes up; wait for it to see a probe.
    await waitFor('events on the new session', async () => {
      await ns.registerWorker(`p${Date.now()}`);
      return seen.some((e) => e.type === 'worker.joined');
    });
    seen.length = 0;
    other.length = 0;
    const t = await ns.client.submit('echo', 1);
    await waitFor('both subscribers', () => seen.length > 0 && other.length > 0);
    expect(seen.map(brief)).toEqual([`task.queued ${t.id}`]);
    expect(other.map(brief)).toEqual([`task.queued ${t.id}`]);

    sub?.unsubscribe();
    second.unsubscribe();
    sub = undefined;
    seen.length = 0;
    await ns.client.submit('echo', 2);
    await new Promise((r) => setTimeout(r, 200));
    expect(seen).toEqual([]);
    // The last unsubscribe removed the recursive watch from the session.
    await expect(ns.connection.client.checkWatches('/', WatcherType.Any)).rejects.toThrow(
      NoWatcherError,
    );
  });
});

describe('taskEvents$ (the arrivals only)', () => {
  it('reports what events$ does about tasks arriving and ending, nothing else, in order', async () => {
    sub = ns.client.taskEvents$.subscribe((e) => seen.push(e));
    await ns.client.whenWatching('tasks');
    const [a, b] = await ns.client.submitMany([
      { type: 'echo', payload: 'a', options: { maxAttempts: 2, backoffMs: 0 } },
      { type: 'echo', payload: 'b' },
    ]);
    const c = await ns.client.submit('echo', 'c');
    await ns.registerWorker('w1');
    await ns.assign(a.id, 'w1');
    await ns.fail(a.id, 'first');
    await ns.assign(a.id, 'w1');
    await ns.fail(a.id, 'second');
    await ns.client.cancel(b.id, 'changed my mind');
    await ns.assign(c.id, 'w1');
    await ns.start(c.id);
    await ns.progress(c.id, { pct: 50 });
    await ns.recover(c.id, 'w1');
    await ns.assign(c.id, 'w1');
    await ns.complete(c.id, 'ok');
    expect(await seenUntil('the arrivals', 9)).toEqual([
      `task.queued ${a.id}`,
      `task.queued ${b.id}`,
      `task.queued ${c.id}`,
      `task.failed ${a.id}`,
      `task.queued ${a.id}`,
      `task.dead ${a.id}`,
      `task.cancelled ${b.id}`,
      `task.reassigned ${c.id}`,
      `task.completed ${c.id}`,
    ]);
    await new Promise((r) => setTimeout(r, 100));
    expect(seen).toHaveLength(9);
    expect(seen[8]).toMatchObject({ taskType: 'echo', workerId: 'w1', state: 'done' });
  });

  it('whenWatching rejects with no subscriber, and the watches go with the last one', async () => {
    await expect(ns.client.whenWatching('tasks')).rejects.toThrow(/no subscriber/);
    await expect(ns.client.whenWatching('cluster')).rejects.toThrow(/no subscriber/);
    sub = ns.client.taskEvents$.subscribe((e) => seen.push(e));
    await ns.client.whenWatching('tasks');
    const client = ns.connection.client;
    for (const root of ['/tasks', '/status', '/dead'])
      await expect(client.checkWatches(root, WatcherType.Any)).resolves.toBeUndefined();
    // The whole layout is not watched by this stream.
    await expect(client.checkWatches('/', WatcherType.Any)).rejects.toThrow(NoWatcherError);
    sub.unsubscribe();
    sub = undefined;
    await expect(ns.client.whenWatching('tasks')).rejects.toThrow(/no subscriber/);
    for (const root of ['/tasks', '/status', '/dead'])
      await waitFor(`the watch on ${root} removed`, () =>
        client.checkWatches(root, WatcherType.Any).then(
          () => false,
          (err: unknown) => err instanceof NoWatcherError,
        ),
      );
  });
});

describe('own submissions', () => {
  it('a stream tells its own client’s submissions on arrival without reading them; others are read', async () => {
    sub = ns.client.taskEvents$.subscribe((e) => seen.push(e));
    await ns.client.whenWatching('tasks');
    const zk = ns.connection.client;
    const reads = jest.spyOn(zk, 'getData');
    try {
      const mine = await ns.client.submitMany([
        { type: 'echo', payload: 1 },
        { type: 'resize', payload: 2 },
      ]);
      const other = new TaskQueueClient({ connection: ns.connection });
      const theirs = await other.submit('thumb', 3);
      other.close();
      await seenUntil('three arrivals', 3);
      expect(seen).toEqual([
        expect.objectContaining({ type: 'task.queued', taskId: mine[0].id, taskType: 'echo' }),
        expect.objectContaining({ type: 'task.queued', taskId: mine[1].id, taskType: 'resize' }),
        expect.objectContaining({ type: 'task.queued', taskId: theirs.id, taskType: 'thumb' }),
      ]);
      expect(seen[0]).toEqual({
        type: 'task.queued',
        at: expect.any(Number),
        taskId: mine[0].id,
        state: 'queued',
        taskType: 'echo',
        attempts: 0,
      });
      const readIds = reads.mock.calls.map(([path]) => path.slice(path.lastIndexOf('/') + 1));
      expect(readIds).toContain(theirs.id);
      expect(readIds).not.toContain(mine[0].id);
      expect(readIds).not.toContain(mine[1].id);
    } finally {
      reads.mockRestore();
    }
  });
});
