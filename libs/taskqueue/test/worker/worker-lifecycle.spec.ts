import { CreateMode, OPEN_ACL_UNSAFE } from '@shepherd/zk-protocol';
import { Transport, TransportFactory, isConnected, tcpTransportFactory } from '@shepherd/zk-client';
import { expireSession } from '../../../../test/support/expire-session';
import { LossyTransports, WIRE_OP } from '../../../../test/support/lossy-transport';
import { delay, waitFor } from '../../../../test/support/wait-for';
import { CompletionBatcher } from '../../src/worker/completion-batcher';
import { SILENT_LOGGER } from '../../src/worker/worker-options';
import { Cluster, ctx, gate } from './support/cluster';
import {
  TaskAbortError,
  commitBatch,
  completeTransition,
  paths,
  recoverTransition,
} from '@shepherd/taskqueue';

const cluster = Cluster.perTest();

/** A handler that runs until the test opens `release` (or its signal fires, if `honour`). */
function blocking(honour: boolean) {
  const release = gate<unknown>();
  const started: string[] = [];
  const reasons: unknown[] = [];
  const handler = (t: { id: string; signal: AbortSignal }) => {
    started.push(t.id);
    return new Promise((resolve, reject) => {
      void release.promise.then(resolve);
      t.signal.addEventListener('abort', () => {
        reasons.push(t.signal.reason);
        if (honour) reject(t.signal.reason as Error);
      });
    });
  };
  return { release, started, reasons, handler };
}

describe('Worker: shutdown', () => {
  it('drains: hands back what has not started at once, the rest after the grace period', async () => {
    const h = blocking(false);
    const connection = cluster.connection();
    const worker = await cluster.worker({
      id: 'drain-1',
      connection,
      handlers: { job: h.handler },
    });
    const running = await cluster.submitAndAssign('drain-1', 'job', 'a');
    await waitFor('the first task to start', () => h.started.length === 1);
    const waiting = await cluster.submitAndAssign('drain-1', 'job', 'b');
    await waitFor('the second task to be read', () => worker.stats().queued === 1);

    const stopping = worker.stop({ graceMs: 400 });
    // Not started: handed back at once, while the first one still has its grace period.
    const back = await cluster.waitForRecord(paths.task(waiting), 'hand-back', 300);
    expect(back).toMatchObject({ state: 'queued', attempts: 0 });
    expect(back.history.at(-1)).toMatchObject({ event: 'handed-back', worker: 'drain-1' });
    const info = await cluster.admin.getData(paths.worker('drain-1'));
    expect(JSON.parse(String(info.data))).toMatchObject({ draining: true });
    expect(await cluster.read(paths.task(running))).toBeNull();

    await stopping;
    expect(h.reasons).toHaveLength(1);
    expect(h.reasons[0]).toMatchObject({ kind: 'shutdown' });
    const second = await cluster.read(paths.task(running));
    expect(second?.record).toMatchObject({ state: 'queued', attempts: 0 });
    expect(second?.record.history.map((e) => e.event)).toEqual([
      'queued',
      'assigned',
      'started',
      'handed-back',
    ]);
    expect(h.started).toEqual([running]);
    expect(await cluster.gone(paths.worker('drain-1'))).toBe(true);
    expect(await cluster.admin.getChildren(paths.assignRoot('drain-1'))).toEqual([]);
    expect(worker.stats()).toMatchObject({ handedBack: 2, completed: 0 });
  });

  it('lets running handlers finish within the grace period', async () => {
    const h = blocking(false);
    const worker = await cluster.worker({ id: 'drain-2', handlers: { job: h.handler } });
    const id = await cluster.submitAndAssign('drain-2', 'job', null);
    await waitFor('start', () => h.started.length === 1);
    const stopping = worker.stop({ graceMs: 5000 });
    await delay(100);
    h.release.open('finished in time');
    await stopping;
    expect((await cluster.read(paths.status(id)))?.record).toMatchObject({
      state: 'done',
      result: 'finished in time',
    });
    expect(h.reasons).toEqual([]);
  });

  it('on a shared connection, removes /workers/<id> and leaves the session open', async () => {
    const connection = cluster.connection();
    const worker = await cluster.worker({
      id: 'shared-1',
      connection,
      closeConnection: false,
      handlers: { job: () => 1 },
    });
    await worker.stop();
    expect(await cluster.gone(paths.worker('shared-1'))).toBe(true);
    expect(connection.isConnected()).toBe(true);
    await expect(worker.start()).rejects.toThrow(/stopped/);
  });
});

describe('Worker: sessions', () => {
  it('aborts running handlers on session expiry and registers again with the new session', async () => {
    const h = blocking(true);
    const connection = cluster.connection();
    const worker = await cluster.worker({
      id: 'exp-1',
      connection,
      concurrency: 2,
      handlers: { job: h.handler, echo: (t) => t.payload },
    });
    const oldSession = worker.session;
    const id = await cluster.submitAndAssign('exp-1', 'job', null);
    await waitFor('start', () => h.started.length === 1);

    const victim = connection.client;
    await expireSession(cluster.server.connectString, victim.sessionId, victim.sessionPassword);
    await waitFor('the handler to be aborted', () => h.reasons.length === 1, { timeoutMs: 5000 });
    expect(h.reasons[0]).toBeInstanceOf(TaskAbortError);
    expect(h.reasons[0]).toMatchObject({ kind: 'session-lost' });

    const newSession = await waitFor(
      'a new registration',
      async () => {
        const stat = await cluster.admin.exists(paths.worker('exp-1'));
        const owner = stat?.ephemeralOwner.toString(16);
        return owner !== undefined && owner !== oldSession && owner === worker.session && owner;
      },
      { timeoutMs: 5000, intervalMs: 20 },
    );
    expect(worker.stats()).toMatchObject({ registrations: 2, sessionAborts: 1 });
    // The old incarnation's assignment is left for the master; this incarnation does not run it.
    const stale = await cluster.read(paths.assignment('exp-1', id));
    expect(stale?.record.workerSession).toBe(oldSession);
    expect(h.started).toEqual([id]);

    const fresh = await cluster.submitAndAssign('exp-1', 'echo', 'again');
    const done = await cluster.waitForRecord(paths.status(fresh));
    expect(done).toMatchObject({ result: 'again', workerSession: newSession });
    expect(h.started).toEqual([id]);
  });

  it('waits for an older incarnation to let go of /workers/<id>', async () => {
    const older = await cluster.client();
    await older.create(paths.worker('dup-1'), null, { mode: CreateMode.EPHEMERAL });
    const worker = cluster.newWorker({ id: 'dup-1', handlers: { job: () => 1 } });
    let registered = false;
    const starting = worker.start().then(() => (registered = true));
    await delay(300);
    expect(registered).toBe(false);
    expect(worker.session).toBeUndefined();
    await older.close();
    await starting;
    const stat = await cluster.admin.exists(paths.worker('dup-1'));
    expect(stat?.ephemeralOwner.toString(16)).toBe(worker.session);
  });

  it('stop() ends a start() still waiting for an older incarnation', async () => {
    const older = await cluster.client();
    await older.create(paths.worker('dup-2'), null, { mode: CreateMode.EPHEMERAL });
    const worker = cluster.newWorker({ id: 'dup-2', handlers: { job: () => 1 } });
    const starting = worker.start();
    await delay(100);
    await worker.stop();
    await expect(starting).rejects.toThrow(/stopped/);
    const stat = await cluster.admin.exists(paths.worker('dup-2'));
    expect(stat?.ephemeralOwner).toBe(older.sessionId);
  });
});

/** Connections that can be cut and kept from coming back until resumed. */
function cuttable() {
  const live = new Set<Transport>();
  let paused = false;
  const factory: TransportFactory = (address) => {
    // While paused, every attempt goes to a port nobody listens on.
    const t = tcpTransportFactory(paused ? { host: '127.0.0.1', port: 1 } : address);
    live.add(t);
    return t;
  };
  return {
    factory,
    cut() {
      paused = true;
      for (const t of live) t.close();
      live.clear();
    },
    resume() {
      paused = false;
    },
  };
}

describe('Worker: disconnections', () => {
  it('picks up an assignment made while it was disconnected (the watch does not replay it)', async () => {
    const net = cuttable();
    const connection = cluster.connection({ transportFactory: net.factory });
    const started: string[] = [];
    await cluster.worker({
      id: 'gap-1',
      connection,
      handlers: { job: (t: { id: string }) => void started.push(t.id) },
    });
    await delay(200); // its first listing is done: only the reconnect can bring the task
    net.cut();
    await waitFor('the worker to notice', () => !isConnected(connection.client.state));
    const id = await cluster.submitAndAssign('gap-1', 'job', null);
    await delay(100);
    net.resume();
    await cluster.waitForRecord(paths.status(id));
    expect(started).toEqual([id]);
  });
});

describe('Worker: lost replies', () => {
  async function lossyWorker(id: string) {
    const lossy = new LossyTransports();
    const connection = cluster.connection({ transportFactory: lossy.factory });
    const h = blocking(false);
    const landings: unknown[] = [];
    const logger = {
      ...SILENT_LOGGER,
      info: (o: object) => 'landing' in o && landings.push(o.landing),
    };
    const worker = await cluster.worker({ id, connection, logger, handlers: { job: h.handler } });
    return { lossy, h, worker, landings };
  }

  it.each(['reply', 'request'] as const)(
    'reads back a completion whose %s was lost, and stores it exactly once',
    async (mode) => {
      const { lossy, h, worker, landings } = await lossyWorker(`lost-${mode}`);
      const id = await cluster.submitAndAssign(`lost-${mode}`, 'job', null);
      await waitFor('start', () => h.started.length === 1);
      lossy.arm(WIRE_OP.multi, mode);
      h.release.open({ mode });
      const done = await cluster.waitForRecord(paths.status(id));
      await waitFor('the outcome to be known', () => worker.stats().completed === 1);
      expect(lossy.lost).toBe(1);
      // Read back before anything was sent again: it landed, or it did not and was resent.
      expect(landings).toEqual([mode === 'reply' ? 'applied' : 'not-applied']);
      expect(done).toMatchObject({ state: 'done', result: { mode } });
      expect((await cluster.read(paths.status(id)))?.version).toBe(0);
      expect(worker.stats()).toMatchObject({ completed: 1, rejected: 0 });
      expect(await cluster.gone(paths.assignment(`lost-${mode}`, id))).toBe(true);
    },
  );

  it('reads back a start whose reply was lost, and goes on', async () => {
    const { lossy, h, worker } = await lossyWorker('lost-start');
    lossy.arm(WIRE_OP.setData, 'reply');
    const id = await cluster.submitAndAssign('lost-start', 'job', null);
    await waitFor('start', () => h.started.length === 1, { timeoutMs: 5000 });
    h.release.open('ok');
    const done = await cluster.waitForRecord(paths.status(id));
    expect(lossy.lost).toBe(1);
    expect(done.history.filter((e) => e.event === 'started')).toHaveLength(1);
    expect(worker.stats().completed).toBe(1);
  });

  it('a completion of an assignment taken back meanwhile is rejected whole', async () => {
    const worker = await cluster.worker({ id: 'fence-1', handlers: { job: () => 1 } });
    await worker.stop({ graceMs: 0 });
    // Play the worker's part by hand: the assignment it read, then the master takes it back.
    const owner = await cluster.client();
    await owner.create(paths.worker('fence-1'), null, { mode: CreateMode.EPHEMERAL });
    const id = await cluster.submitAndAssign('fence-1', 'job', null);
    const path = paths.assignment('fence-1', id);
    const { stat } = await cluster.admin.getData(path);
    const held = await cluster.read(path);
    if (!held) throw new Error('no assignment');
    await commitBatch(cluster.admin, [
      { ops: recoverTransition(ctx(), held.record, held.version, 'fence-1').ops, value: id },
    ]);
    const batcher = new CompletionBatcher(owner, SILENT_LOGGER);
    const verdict = await batcher.submit(
      completeTransition({ acl: OPEN_ACL_UNSAFE, now: Date.now() }, held.record, stat.version, 1),
      { path, version: stat.version, czxid: stat.czxid },
    );
    expect(verdict).toBe('rejected');
    expect(await cluster.read(paths.status(id))).toBeNull();
    expect((await cluster.read(paths.task(id)))?.record.history.at(-1)?.event).toBe('reassigned');
  });
});
