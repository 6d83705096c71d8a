import { CreateMode } from '@shepherd/zk-protocol';
import {
  TaskNotFoundError,
  TaskQueueError,
  TaskStateError,
  WaitTimeoutError,
  paths,
} from '@shepherd/taskqueue';
import { LossyTransports, WIRE_OP } from '../../../../test/support/lossy-transport';
import { Namespace } from './support';

const ns = Namespace.perTest();

describe('cancel', () => {
  it('cancels a queued task', async () => {
    const t = await ns.client.submit('echo', 1);
    const view = await ns.client.cancel(t.id, 'not needed');
    expect(view).toMatchObject({ id: t.id, state: 'cancelled' });
    expect(view.history.at(-1)).toMatchObject({ event: 'cancelled', detail: 'not needed' });
    expect(await ns.zk.exists(paths.task(t.id))).toBeNull();
    expect(await ns.client.get(t.id)).toEqual(view);
  });

  it('cancels an assigned and a running task: the assignment is gone', async () => {
    const [a, b] = await ns.client.submitMany([
      { type: 'echo', payload: 'a' },
      { type: 'echo', payload: 'b' },
    ]);
    await ns.registerWorker('w1');
    await ns.assign(a.id, 'w1');
    await ns.assign(b.id, 'w1');
    await ns.start(b.id);
    expect(await ns.client.cancel(a.id)).toMatchObject({ state: 'cancelled', worker: 'w1' });
    expect(await ns.client.cancel(b.id)).toMatchObject({ state: 'cancelled', worker: 'w1' });
    expect(await ns.zk.getChildren(paths.assignRoot('w1'))).toEqual([]);
    expect(await ns.zk.exists(paths.status(a.id))).not.toBeNull();
    // The worker's completion of the cancelled task can no longer land.
    await expect(ns.complete(b.id, 'late')).rejects.toThrow(/not in assign/);
  });

  it('is a TaskStateError (409) on a finished task, TaskNotFoundError on none', async () => {
    const t = await ns.client.submit('echo', 1);
    await ns.registerWorker('w1');
    await ns.assign(t.id, 'w1');
    await ns.complete(t.id, 'r');
    const err = await ns.client.cancel(t.id).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TaskStateError);
    expect(err).toMatchObject({ id: t.id, state: 'done' });
    await expect(ns.client.cancel('task-0000000000000000z')).rejects.toThrow(TaskNotFoundError);
  });

  it('reads back when the reply to its multi is lost', async () => {
    const lossy = new LossyTransports();
    const other = await Namespace.open(ns.server, { transportFactory: lossy.factory });
    try {
      const t = await other.client.submit('echo', 1);
      lossy.arm(WIRE_OP.multi);
      const view = await other.client.cancel(t.id);
      expect(lossy.lost).toBe(1);
      expect(view.state).toBe('cancelled');
      expect(view.history.filter((h) => h.event === 'cancelled')).toHaveLength(1);
    } finally {
      await other.close();
    }
  });
});

describe('redrive', () => {
  it('queues a dead task again with its attempts reset, and refuses others', async () => {
    const t = await ns.client.submit('echo', 1, { maxAttempts: 2, backoffMs: 0 });
    await expect(ns.client.redrive(t.id)).rejects.toThrow(TaskStateError);
    await ns.registerWorker('w1');
    await ns.killTask(t.id, 'w1');
    expect(await ns.client.get(t.id)).toMatchObject({ state: 'dead', attempts: 2 });
    const view = await ns.client.redrive(t.id);
    expect(view).toMatchObject({ id: t.id, state: 'queued', attempts: 0 });
    expect(view.history.at(-1)).toMatchObject({ event: 'redriven', detail: 'dead' });
    expect(await ns.zk.exists(paths.dead(t.id))).toBeNull();
    expect(await ns.zk.exists(paths.task(t.id))).not.toBeNull();
  });

  it('redrives a failed (non-retryable) task', async () => {
    const t = await ns.client.submit('echo', 1);
    await ns.registerWorker('w1');
    await ns.assign(t.id, 'w1');
    await ns.fail(t.id, 'bad input', { nonRetryable: true });
    expect((await ns.client.get(t.id)).state).toBe('failed');
    expect((await ns.client.redrive(t.id)).state).toBe('queued');
  });
});

describe('wait', () => {
  it('resolves when the task completes', async () => {
    const t = await ns.client.submit('echo', 1);
    const done = ns.client.wait(t.id, 5000);
    await ns.registerWorker('w1');
    await ns.assign(t.id, 'w1');
    await ns.start(t.id);
    await ns.complete(t.id, { answer: 42 });
    expect(await done).toMatchObject({ id: t.id, state: 'done', result: { answer: 42 } });
  });

  it('resolves at once for a finished task, and on dead-lettering', async () => {
    const t = await ns.client.submit('echo', 1, { maxAttempts: 1 });
    const dead = ns.client.wait(t.id, 5000);
    await ns.registerWorker('w1');
    await ns.killTask(t.id, 'w1');
    expect(await dead).toMatchObject({ state: 'dead' });
    expect(await ns.client.wait(t.id, 1000)).toMatchObject({ state: 'dead' });
  });

  it('times out, and knows a task that does not exist', async () => {
    const t = await ns.client.submit('echo', 1);
    const started = Date.now();
    const err = await ns.client.wait(t.id, 300).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WaitTimeoutError);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    await expect(ns.client.wait('task-0000000000000000z', 1000)).rejects.toThrow(TaskNotFoundError);
  });

  it('survives a session expiry: the watch moves to the next session', async () => {
    const t = await ns.client.submit('echo', 1);
    const done = ns.client.wait(t.id, 10_000);
    const first = ns.connection.client;
    await ns.expireClientSession();
    await new Promise<void>((resolve) => {
      const sub = ns.connection.sessions$.subscribe((c) => {
        if (c !== first) {
          sub.unsubscribe();
          resolve();
        }
      });
    });
    await ns.registerWorker('w1');
    await ns.assign(t.id, 'w1');
    await ns.complete(t.id, 'after expiry');
    expect(await done).toMatchObject({ state: 'done', result: 'after expiry' });
  });

  it('ends pending waits when the client is closed', async () => {
    const t = await ns.client.submit('echo', 1);
    const pending = ns.client.wait(t.id, 10_000);
    ns.client.close();
    await expect(pending).rejects.toThrow(TaskQueueError);
  });
});

describe('cluster info', () => {
  it('reports workers, masters and counts', async () => {
    const tasks = await ns.client.submitMany(
      Array.from({ length: 5 }, (_, i) => ({ type: 'echo', payload: i })),
    );
    await ns.registerWorker('w1', { concurrency: 3, types: ['echo'] });
    await ns.registerWorker('w2', { draining: true });
    await ns.assign(tasks[0].id, 'w1');
    await ns.assign(tasks[1].id, 'w1');
    await ns.complete(tasks[1].id, null);
    await ns.client.cancel(tasks[2].id);
    expect(await ns.client.counts()).toEqual({
      waiting: 0,
      queued: 2,
      inFlight: 1,
      finished: 2,
      dead: 0,
    });

    expect(await ns.client.workers()).toEqual([
      {
        id: 'w1',
        host: 'test-host',
        pid: 4242,
        concurrency: 3,
        prefetch: 0,
        types: ['echo'],
        since: 1700000000000,
        draining: false,
        running: [tasks[0].id],
      },
      expect.objectContaining({ id: 'w2', draining: true, running: [] }),
    ]);

    expect(await ns.client.masters()).toEqual({ leader: null, candidates: [] });
    const m = ns.workers.get('w2')!;
    const data = (id: string) => JSON.stringify({ id, host: 'h', pid: 1, since: 2 });
    const mode = { mode: CreateMode.EPHEMERAL_SEQUENTIAL };
    const n1 = await m.create('/election/_c_aaa-n_', data('m1'), mode);
    const n2 = await ns.zk.create('/election/_c_bbb-n_', data('m2'), mode);
    expect(await ns.client.masters()).toEqual({
      leader: 'm1',
      candidates: [
        { id: 'm1', node: n1, host: 'h', pid: 1, since: 2 },
        { id: 'm2', node: n2, host: 'h', pid: 1, since: 2 },
      ],
    });
    await m.delete(n1);
    expect((await ns.client.masters()).leader).toBe('m2');
  });
});
