import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { CreateMode, OPEN_ACL_UNSAFE } from '@shepherd/zk-protocol';
import { ZooKeeperClient } from '@shepherd/zk-client';
import { LeaderElection, ZooKeeperConnection } from '@shepherd/coordination';
import {
  FenceError,
  TaskQueueClient,
  TaskView,
  assignTransition,
  commitBatch,
  leaderFence,
  readTask,
  workerFence,
} from '@shepherd/taskqueue';
import { expireSession } from '../support/expire-session';
import { RoleProcess } from '../support/taskqueue/role-process';
import { createChroot } from '../support/taskqueue/chroot';
import { Execution, readExecutions } from '../support/taskqueue/exec-log';
import { auditTree, duplicates } from '../support/taskqueue/tree-audit';
import { delay, waitFor } from '../support/wait-for';

/** Where the scenarios run: the embedded coordinator or an Apache ZooKeeper ensemble. */
export interface ScenarioTarget {
  connectString: string;
  /** Session timeout the roles ask for; the server may clamp it. */
  sessionTimeoutMs: number;
  /** Tasks in the backlog case. */
  backlog: number;
}

interface Cluster {
  chroot: string;
  connectString: string;
  client: TaskQueueClient;
  connection: ZooKeeperConnection;
  raw: ZooKeeperClient;
  execLog: string;
  roles: RoleProcess[];
  spawn(role: 'master' | 'worker', id: string, concurrency?: number): RoleProcess;
  executions(): Execution[];
  close(): Promise<void>;
}

let scenarioCount = 0;

async function openCluster(target: ScenarioTarget, name: string): Promise<Cluster> {
  const chroot = `/${name}-${process.pid}-${++scenarioCount}`;
  await createChroot(target.connectString, chroot);
  const connectString = `${target.connectString}${chroot}`;
  const connection = new ZooKeeperConnection({ connectString, sessionTimeoutMs: 10000 });
  const raw = await connection.connect();
  const dir = mkdtempSync(join(tmpdir(), 'shepherd-scenario-'));
  const execLog = join(dir, 'exec.log');
  const roles: RoleProcess[] = [];
  const client = new TaskQueueClient({ connection });
  return {
    chroot,
    connectString,
    client,
    connection,
    raw,
    execLog,
    roles,
    spawn(role, id, concurrency = 4) {
      const p = new RoleProcess({
        role,
        id,
        connectString,
        sessionTimeoutMs: target.sessionTimeoutMs,
        concurrency,
        execLog,
      });
      roles.push(p);
      return p;
    },
    executions() {
      return readExecutions(execLog);
    },
    async close() {
      await Promise.all(roles.map((r) => r.stop()));
      client.close();
      await connection.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function waitAllTerminal(client: TaskQueueClient, ids: string[], timeoutMs: number) {
  return Promise.all(ids.map((id) => client.wait(id, timeoutMs)));
}

/** No task is ever in two places: sampled while the cluster works. */
function watchForDuplicates(cluster: Cluster) {
  const seen: string[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const a = await auditTree(cluster.raw);
      // A task caught mid-move by a non-atomic audit shows up in two places only if it is
      // really there twice; confirm with a second look before counting it.
      for (const [id] of duplicates(a)) {
        const again = await auditTree(cluster.raw);
        const where = again.places.get(id) ?? [];
        if (where.length > 1) seen.push(`${id}: ${where.join(', ')}`);
      }
      await delay(100);
    }
  })();
  return async () => {
    running = false;
    await loop;
    return seen;
  };
}

function completedOnce(views: TaskView[]) {
  for (const v of views) {
    expect(v.state).toBe('done');
    expect(v.history.filter((h) => h.event === 'completed')).toHaveLength(1);
  }
}

/**
 * The fault cases of the master-worker core, with every role in its own process so that
 * `kill -9` and SIGSTOP are real. Written once, run on the embedded coordinator (npm test) and
 * on a 3-server Apache ZooKeeper ensemble (npm run test:interop).
 */
export function describeTaskQueueScenarios(name: string, target: () => ScenarioTarget): void {
  describe(`task queue scenarios on ${name}`, () => {
    let cluster: Cluster | undefined;
    afterEach(async () => {
      await cluster?.close();
      cluster = undefined;
    });

    it('the leading master is killed: a backup takes over, nothing lost or duplicated', async () => {
      const t = target();
      cluster = await openCluster(t, 'leader-killed');
      const m1 = await cluster.spawn('master', 'm1').ready();
      await waitFor('m1 to lead', async () => (await cluster!.client.masters()).leader === 'm1');
      const [m2] = await Promise.all([
        cluster.spawn('master', 'm2').ready(),
        cluster.spawn('worker', 'w1').ready(),
        cluster.spawn('worker', 'w2').ready(),
      ]);
      const stopAudit = watchForDuplicates(cluster);
      const tasks = await cluster.client.submitMany(
        Array.from({ length: 120 }, () => ({ type: 'sleep', payload: { ms: 20 } })),
      );
      await waitFor('some tasks done', async () => (await cluster!.client.counts()).finished >= 20);
      await m1.crash();
      await waitFor('m2 to lead', async () => (await cluster!.client.masters()).leader === m2.id, {
        timeoutMs: t.sessionTimeoutMs * 3,
      });
      const views = await waitAllTerminal(
        cluster.client,
        tasks.map((x) => x.id),
        60000,
      );
      completedOnce(views);
      expect(await stopAudit()).toEqual([]);
    });

    it('a schedule fires every 500 ms across a leader failover: no fire time twice', async () => {
      const t = target();
      cluster = await openCluster(t, 'schedule-failover');
      const m1 = await cluster.spawn('master', 'm1').ready();
      await waitFor('m1 to lead', async () => (await cluster!.client.masters()).leader === 'm1');
      const m2 = await cluster.spawn('master', 'm2').ready();
      const c = cluster.client;
      await c.createSchedule({ name: 'beat', every: 500, task: { type: 'noop', payload: {} } });
      const fired = async () =>
        (await c.list({ limit: 1000 })).items.filter((v) => v.schedule === 'beat');
      await waitFor('3 fire times', async () => (await fired()).length >= 3, { timeoutMs: 15000 });
      await m1.crash();
      await waitFor('m2 to lead', async () => (await c.masters()).leader === m2.id, {
        timeoutMs: t.sessionTimeoutMs * 3,
      });
      const atTakeover = (await fired()).length;
      await waitFor('m2 fires', async () => (await fired()).length >= atTakeover + 3, {
        timeoutMs: 15000,
      });
      await c.pauseSchedule('beat');
      await delay(500);
      const times = (await fired()).map((v) => v.scheduledFor!).sort((a, b) => a - b);
      expect(new Set(times).size).toBe(times.length);
      for (const time of times) expect(time % 500).toBe(0);
      // While no master led, fire times more than MISSED_AFTER_MS late were skipped ('skip').
      const view = await c.schedule('beat');
      expect(view.lastFireAt).toBe(times[times.length - 1]);
    });

    it('a flow across a leader kill: dependents released once by the new leader', async () => {
      const t = target();
      cluster = await openCluster(t, 'flow-failover');
      const c = cluster.client;
      const m1 = await cluster.spawn('master', 'm1').ready();
      await waitFor('m1 to lead', async () => (await c.masters()).leader === 'm1');
      const [m2] = await Promise.all([
        cluster.spawn('master', 'm2').ready(),
        cluster.spawn('worker', 'w1', 8).ready(),
      ]);
      const fan = ['b1', 'b2', 'b3', 'b4'];
      const flow = await c.submitFlow({
        tasks: [
          { key: 'a', type: 'sleep', payload: { ms: 1000 } },
          ...fan.map((key, i) => ({ key, type: 'echo', payload: { i }, dependsOn: ['a'] })),
          { key: 'j', type: 'join', payload: null, dependsOn: fan },
          { key: 'bad', type: 'fail', payload: { times: 5 }, maxAttempts: 1 },
          { key: 'skipped', type: 'echo', payload: {}, dependsOn: ['bad', 'a'] },
          { key: 'also', type: 'echo', payload: {}, dependsOn: ['skipped'] },
        ],
      });
      await waitFor('a running', async () => (await c.get(flow.tasks.a)).state === 'running');
      // The leader dies while a runs: a ends with no leader to release its dependents.
      await m1.crash();
      await waitFor('m2 to lead', async () => (await c.masters()).leader === m2.id, {
        timeoutMs: t.sessionTimeoutMs * 3,
      });
      const ids = ['a', ...fan, 'j'].map((k) => flow.tasks[k]);
      completedOnce(await waitAllTerminal(c, ids, 60000));
      // The join handler of the role processes returns what its dependencies gave it.
      expect((await c.get(flow.tasks.j)).result).toEqual(
        Object.fromEntries(fan.map((k, i) => [k, { i }])),
      );
      for (const key of [...fan, 'j']) {
        const v = await c.get(flow.tasks[key]);
        expect(v.history.filter((h) => h.event === 'queued')).toHaveLength(1);
      }
      const skipped = await c.wait(flow.tasks.skipped, 30000);
      expect(skipped.state).toBe('cancelled');
      expect(skipped.history.at(-1)?.detail).toBe(`dependency bad (${flow.tasks.bad}) ended dead`);
      const also = await c.wait(flow.tasks.also, 30000);
      expect(also.history.at(-1)?.detail).toBe(
        `dependency skipped (${flow.tasks.skipped}) ended cancelled`,
      );
      // Each handler ran once (nothing released twice), none of the cancelled ones ran.
      const starts = cluster.executions().filter((e) => e.event === 'start');
      const started = new Set(starts.map((e) => e.task));
      expect(started.size).toBe(starts.length);
      expect(started.has(flow.tasks.skipped) || started.has(flow.tasks.also)).toBe(false);
      const view = await c.getFlow(flow.id);
      expect(view.state).toBe('failed');
      expect(view.tasks.find((x) => x.key === 'bad')?.state).toBe('dead');
    });

    it('a paused task type waits while others run, and runs once resumed', async () => {
      const t = target();
      cluster = await openCluster(t, 'queue-pause');
      const c = cluster.client;
      await c.setQueue('echo', { paused: true });
      await Promise.all([
        cluster.spawn('master', 'm1').ready(),
        cluster.spawn('worker', 'w1', 4).ready(),
      ]);
      const held = await c.submitMany(
        Array.from({ length: 3 }, () => ({ type: 'echo', payload: {} })),
      );
      const others = await c.submitMany(
        Array.from({ length: 2 }, () => ({ type: 'sleep', payload: { ms: 10 } })),
      );
      await waitAllTerminal(
        c,
        others.map((x) => x.id),
        30000,
      );
      await delay(500);
      for (const x of held) expect((await c.get(x.id)).state).toBe('queued');
      expect(await c.queue('echo')).toMatchObject({ paused: true, workers: 1 });
      await c.setQueue('echo', { paused: false });
      const views = await waitAllTerminal(
        c,
        held.map((x) => x.id),
        30000,
      );
      completedOnce(views);
    });

    it('groupConcurrency: one group runs one at a time across a failover, the others go on', async () => {
      const t = target();
      cluster = await openCluster(t, 'group-limit');
      const c = cluster.client;
      await c.setQueue('sleep', { groupConcurrency: 1 });
      const m1 = await cluster.spawn('master', 'm1').ready();
      await waitFor('m1 to lead', async () => (await c.masters()).leader === 'm1');
      const [m2] = await Promise.all([
        cluster.spawn('master', 'm2').ready(),
        cluster.spawn('worker', 'w1', 6).ready(),
      ]);
      const big = await c.submitMany(
        Array.from({ length: 4 }, () => ({
          type: 'sleep',
          payload: { ms: 400 },
          options: { group: 'big' },
        })),
      );
      const small = await c.submitMany([
        ...Array.from({ length: 4 }, (_, i) => ({
          type: 'sleep',
          payload: { ms: 20 },
          options: { group: `small-${i}` },
        })),
        ...Array.from({ length: 2 }, () => ({ type: 'sleep', payload: { ms: 20 } })),
      ]);
      expect(big[0].group).toBe('big');
      completedOnce(
        await waitAllTerminal(
          c,
          small.map((x) => x.id),
          30000,
        ),
      );
      // The busy group did not hold the others back: most of it is still to run.
      const bigStates = await Promise.all(big.map(async (x) => (await c.get(x.id)).state));
      expect(bigStates.filter((s) => s !== 'done').length).toBeGreaterThanOrEqual(2);
      await m1.crash();
      await waitFor('m2 to lead', async () => (await c.masters()).leader === m2.id, {
        timeoutMs: t.sessionTimeoutMs * 3,
      });
      completedOnce(
        await waitAllTerminal(
          c,
          big.map((x) => x.id),
          60000,
        ),
      );
      // Replaying the worker's start/end log: never two tasks of the group at once.
      const bigIds = new Set(big.map((x) => x.id));
      let running = 0;
      let most = 0;
      for (const e of cluster.executions()) {
        if (!bigIds.has(e.task)) continue;
        if (e.event === 'start') most = Math.max(most, ++running);
        if (e.event === 'end') running--;
      }
      expect(most).toBe(1);
      expect(await c.queue('sleep')).toMatchObject({ groupConcurrency: 1 });
    });

    it('a worker is killed mid-task: its tasks are reassigned and complete once', async () => {
      const t = target();
      cluster = await openCluster(t, 'worker-killed');
      await Promise.all([
        cluster.spawn('master', 'm1').ready(),
        cluster.spawn('worker', 'w1', 4).ready(),
      ]);
      const tasks = await cluster.client.submitMany(
        Array.from({ length: 4 }, () => ({ type: 'sleep', payload: { ms: 60000 } })),
      );
      await waitFor('w1 to run all four', () =>
        cluster!.executions().filter((e) => e.event === 'start').length === 4 ? true : undefined,
      );
      await cluster.spawn('worker', 'w2', 4).ready();
      await cluster.roles[1].crash();
      // The sleeps are long: on w2 they are cancelled once seen running there.
      await waitFor(
        'the four tasks to run on w2',
        async () => {
          const views = await Promise.all(tasks.map((x) => cluster!.client.get(x.id)));
          return views.every((v) => v.worker === 'w2' && v.state === 'running') ? views : undefined;
        },
        { timeoutMs: t.sessionTimeoutMs * 4 },
      );
      for (const x of tasks) {
        const v = await cluster.client.get(x.id);
        expect(v.attempts).toBe(2);
        expect(v.history.map((h) => h.event)).toEqual(
          expect.arrayContaining(['assigned', 'started', 'reassigned', 'assigned', 'started']),
        );
        expect(v.history.find((h) => h.event === 'reassigned')?.worker).toBe('w1');
      }
    });

    it('a frozen worker becomes a zombie: its late completion is rejected', async () => {
      const t = target();
      cluster = await openCluster(t, 'zombie');
      await Promise.all([
        cluster.spawn('master', 'm1').ready(),
        cluster.spawn('worker', 'w1', 2).ready(),
      ]);
      const frozenFor = t.sessionTimeoutMs * 2 + 1000;
      // "stubborn" ignores its AbortSignal and finishes after `ms` whatever happens.
      const [task] = await cluster.client.submitMany([
        { type: 'stubborn', payload: { ms: frozenFor + 1500 }, options: { maxAttempts: 3 } },
      ]);
      await waitFor(
        'w1 to start it',
        () =>
          cluster!.executions().some((e) => e.event === 'start' && e.worker === 'w1') || undefined,
      );
      const w1 = cluster.roles[1];
      w1.signal('SIGSTOP');
      await cluster.spawn('worker', 'w2', 2).ready();
      await waitFor(
        'the task to be reassigned to w2',
        async () => (await cluster!.client.get(task.id)).worker === 'w2' || undefined,
        { timeoutMs: frozenFor * 2 },
      );
      w1.signal('SIGCONT');
      const done = await cluster.client.wait(task.id, frozenFor + 20000);
      // Let the zombie's handler finish and try to complete.
      await waitFor(
        'the zombie to finish its handler',
        () =>
          cluster!.executions().some((e) => e.event === 'end' && e.worker === 'w1') || undefined,
      );
      await delay(500);
      const final = await cluster.client.get(task.id);
      expect(done.state).toBe('done');
      expect(final.worker).toBe('w2');
      expect(final.history.filter((h) => h.event === 'completed')).toEqual([
        expect.objectContaining({ worker: 'w2' }),
      ]);
    });

    it('a frozen leader is deposed: its fenced writes are rejected and work is not duplicated', async () => {
      const t = target();
      cluster = await openCluster(t, 'deposed');
      const m1 = await cluster.spawn('master', 'm1').ready();
      await waitFor('m1 to lead', async () => (await cluster!.client.masters()).leader === 'm1');
      await Promise.all([
        cluster.spawn('master', 'm2').ready(),
        cluster.spawn('worker', 'w1', 8).ready(),
      ]);
      const stopAudit = watchForDuplicates(cluster);
      m1.signal('SIGSTOP');
      const tasks = await cluster.client.submitMany(
        Array.from({ length: 40 }, () => ({ type: 'sleep', payload: { ms: 10 } })),
      );
      await waitFor('m2 to lead', async () => (await cluster!.client.masters()).leader === 'm2', {
        timeoutMs: t.sessionTimeoutMs * 4,
      });
      m1.signal('SIGCONT');
      const more = await cluster.client.submitMany(
        Array.from({ length: 40 }, () => ({ type: 'sleep', payload: { ms: 10 } })),
      );
      const views = await waitAllTerminal(
        cluster.client,
        [...tasks, ...more].map((x) => x.id),
        60000,
      );
      completedOnce(views);
      for (const v of views)
        expect(v.history.filter((h) => h.event === 'assigned')).toHaveLength(1);
      expect(await stopAudit()).toEqual([]);
    });

    it("a deposed master's fenced multi is rejected whole", async () => {
      const t = target();
      cluster = await openCluster(t, 'fence');
      const [task] = await cluster.client.submitMany([{ type: 'echo', payload: 1 }]);
      await cluster.raw.create('/workers/w1', null, { mode: CreateMode.EPHEMERAL });
      await cluster.raw.create('/assign/w1');
      // A master's view: it won the election and read the task.
      const mine = new ZooKeeperClient(cluster.connectString, {
        sessionTimeout: t.sessionTimeoutMs,
      });
      await mine.connect();
      const election = new LeaderElection(mine, { path: '/election', id: 'stale' });
      await election.start();
      expect(election.isLeader).toBe(true);
      const stored = (await readTask(mine, task.id))!;
      const assign = assignTransition(
        { acl: OPEN_ACL_UNSAFE, now: Date.now() },
        stored.record,
        stored.version,
        { workerId: 'w1', session: cluster.raw.sessionId.toString(16) },
      );
      const fence = leaderFence(election.nodePath!);
      // Deposed: its session ends (as after a long pause), its election node goes with it.
      await expireSession(cluster.connectString, mine.sessionId, mine.sessionPassword);
      await waitFor(
        'the election node to go',
        async () => !(await cluster!.raw.exists(fence.path)),
      );
      // The same multi, sent by anyone still holding the stale decision, fails whole.
      await expect(
        commitBatch(cluster.raw, [{ ops: [workerFence('w1'), ...assign.ops], value: 1 }], [fence]),
      ).rejects.toThrow(FenceError);
      expect(await readTask(cluster.raw, task.id)).toMatchObject({ area: 'tasks' });
      expect(await cluster.raw.getChildren('/assign/w1')).toEqual([]);
      await mine.close();
    });

    it('retries, dead-lettering, timeouts, cancellation and idempotency keys', async () => {
      cluster = await openCluster(target(), 'semantics');
      await Promise.all([
        cluster.spawn('master', 'm1').ready(),
        cluster.spawn('worker', 'w1', 4).ready(),
      ]);
      const c = cluster.client;
      const flaky = await c.submit('fail', { times: 1 }, { backoffMs: 50 });
      const hopeless = await c.submit('fail', { times: 10 }, { maxAttempts: 2, backoffMs: 50 });
      const slow = await c.submit('sleep', { ms: 60000 }, { timeoutMs: 300, maxAttempts: 1 });
      const keyed = await c.submit('echo', { n: 1 }, { idempotencyKey: 'order-42' });
      expect((await c.submit('echo', { n: 2 }, { idempotencyKey: 'order-42' })).id).toBe(keyed.id);

      expect(await c.wait(flaky.id, 20000)).toMatchObject({ state: 'done', attempts: 2 });
      const dead = await c.wait(hopeless.id, 20000);
      expect(dead).toMatchObject({ state: 'dead', attempts: 2 });
      const timedOut = await c.wait(slow.id, 20000);
      expect(timedOut.state).toBe('dead');
      expect(timedOut.history.map((h) => h.event)).toContain('timed-out');
      expect(cluster.executions().some((e) => e.event === 'abort' && e.task === slow.id)).toBe(
        true,
      );

      const running = await c.submit('sleep', { ms: 60000 });
      await waitFor(
        'it to run',
        async () => (await c.get(running.id)).state === 'running' || undefined,
      );
      expect((await c.cancel(running.id)).state).toBe('cancelled');
      await waitFor(
        'the handler to be aborted',
        () =>
          cluster!.executions().some((e) => e.event === 'abort' && e.task === running.id) ||
          undefined,
      );
      expect((await c.get(running.id)).state).toBe('cancelled');

      const again = await c.redrive(dead.id);
      expect(again.state).toBe('queued');
      expect((await c.wait(dead.id, 20000)).state).toBe('dead');
      expect((await c.submit('echo', { n: 3 }, { idempotencyKey: 'order-42' })).id).toBe(keyed.id);
    });

    it('runs higher priorities first, each in submit order: at takeover and when busy', async () => {
      cluster = await openCluster(target(), 'priority');
      const c = cluster.client;
      const submit = async (count: number, priority?: number) =>
        (
          await c.submitMany(
            Array.from({ length: count }, (_, n) => ({
              type: 'echo',
              payload: { n },
              options: priority === undefined ? {} : { priority },
            })),
          )
        ).map((v) => v.id);
      const started = () =>
        cluster!
          .executions()
          .filter((e) => e.event === 'start')
          .map((e) => e.task);

      // Queued before any master runs: the leader learns the order from its listing of /tasks.
      const low = await submit(2, -5);
      const high = await submit(2, 5);
      const normal = await submit(2);
      await cluster.spawn('master', 'm1').ready();
      await cluster.spawn('worker', 'w1', 1).ready(); // one slot, no prefetch
      await waitAllTerminal(c, [...low, ...high, ...normal], 30000);
      expect(started()).toEqual([...high, ...normal, ...low]);

      // Submitted while the only slot is busy: the leader learns of them from watch events.
      const [busy] = await c.submitMany([{ type: 'sleep', payload: { ms: 3000 } }]);
      await waitFor('w1 to be busy', () => started().includes(busy.id) || undefined);
      const low2 = await submit(2, -5);
      const high2 = await submit(2, 5);
      const normal2 = await submit(2);
      const views = await waitAllTerminal(c, [busy.id, ...low2, ...high2, ...normal2], 30000);
      completedOnce(views);
      expect(started().slice(6)).toEqual([busy.id, ...high2, ...normal2, ...low2]);
      expect(views.map((v) => v.priority)).toEqual([0, -5, -5, 5, 5, 0, 0]);
    });

    it('a large backlog is accepted, then drained', async () => {
      const t = target();
      cluster = await openCluster(t, 'backlog');
      const c = cluster.client;
      const batch = 5000;
      for (let i = 0; i < t.backlog; i += batch) {
        await c.submitMany(
          Array.from({ length: Math.min(batch, t.backlog - i) }, () => ({
            type: 'noop',
            payload: null,
          })),
        );
      }
      expect((await c.counts()).queued).toBe(t.backlog);
      // A small list cache, listed all through the drain (kept by its watch's notifications,
      // one per finished task), must then page as a listing of the server does.
      const warm = new TaskQueueClient({
        connection: cluster.connection,
        listCache: { size: 500 },
      });
      const cold = new TaskQueueClient({ connection: cluster.connection, listCache: false });
      await warm.list({ state: 'done', limit: 1 });
      await Promise.all([
        cluster.spawn('master', 'm1').ready(),
        cluster.spawn('worker', 'w1', 64).ready(),
        cluster.spawn('worker', 'w2', 64).ready(),
      ]);
      await waitFor(
        `${t.backlog} tasks to finish`,
        async () => {
          await warm.list({ state: 'done', limit: 50 });
          const n = await c.counts();
          return n.queued === 0 && n.inFlight === 0 && n.finished === t.backlog ? n : undefined;
        },
        { timeoutMs: 600000, intervalMs: 1000 },
      );
      const audit = await auditTree(cluster.raw);
      expect(duplicates(audit)).toEqual([]);
      expect(audit.finished).toBe(t.backlog);
      const pages = async (client: TaskQueueClient) => {
        const out: string[] = [];
        let cursor: string | undefined;
        for (let i = 0; i < 4; i++) {
          const page = await client.list({ state: 'done', limit: 300, cursor });
          out.push(...page.items.map((v) => v.id), `next=${page.nextCursor}`);
          cursor = page.nextCursor;
        }
        return out;
      };
      const fromServer = await pages(cold);
      expect(fromServer).toHaveLength(4 * 301);
      expect(await pages(warm)).toEqual(fromServer);
      warm.close();
      cold.close();
    });
  });
}
