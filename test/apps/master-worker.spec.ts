import { createHash } from 'crypto';
import { Subscription } from 'rxjs';
import { ZooKeeperConnection } from '@shepherd/coordination';
import { ClusterEvent, TaskQueueClient } from '@shepherd/taskqueue';
import { ZkServer } from '@shepherd/zk-server';
import { waitFor } from '../support/wait-for';
import { AppProcess } from './support/app-process';

// The master and worker apps as real processes (their ts-node entries) on an embedded server,
// driven through TaskQueueClient: every sample handler end to end, then a leader handover and
// a worker's graceful drain on SIGTERM.
jest.setTimeout(240_000);

let server: ZkServer;
let connection: ZooKeeperConnection;
let client: TaskQueueClient;
let zkConnect: string;
const apps: AppProcess[] = [];
const events: ClusterEvent[] = [];
let eventsSub: Subscription;

function start(app: 'master' | 'worker', env: NodeJS.ProcessEnv): AppProcess {
  const proc = new AppProcess(app, {
    ZK_CONNECT: zkConnect,
    ZK_SESSION_TIMEOUT_MS: '2000',
    LOG_LEVEL: 'info',
    ...env,
  });
  apps.push(proc);
  return proc;
}

let master1: AppProcess;
let worker: AppProcess;

beforeAll(async () => {
  // tickTime 250: the apps' 2 s session timeout is within the server's [2, 20] tick bounds.
  server = new ZkServer({ port: 0, tickTime: 250 });
  await server.start();
  zkConnect = `${server.connectString}/shepherd`;
  master1 = start('master', { MASTER_ID: 'master-a' });
  worker = start('worker', { WORKER_ID: 'worker-a', WORKER_CONCURRENCY: '4' });
  await Promise.all([
    master1.waitForLog('master started: leading'),
    worker.waitForLog('worker started'),
  ]);
  connection = new ZooKeeperConnection({ connectString: zkConnect, sessionTimeoutMs: 2000 });
  await connection.connect();
  client = new TaskQueueClient({ connection });
  eventsSub = client.events$.subscribe((e) => events.push(e));
});

afterAll(async () => {
  eventsSub?.unsubscribe();
  client?.close();
  await connection?.close();
  await Promise.all(apps.map((a) => a.stop(5_000)));
  await server?.stop();
});

describe('the master and worker apps', () => {
  it('log who they are: the master leads, the worker announces the sample types', async () => {
    const started = await worker.waitForLog('worker started');
    expect(started).toMatchObject({
      name: 'worker',
      workerId: 'worker-a',
      concurrency: 4,
      types: ['echo', 'fail', 'join', 'sha256', 'sleep'],
    });
    expect(await master1.waitForLog('master started: leading')).toMatchObject({
      name: 'master',
      master: 'master-a',
      leader: true,
    });
    expect(await client.workers()).toEqual([
      expect.objectContaining({ id: 'worker-a', concurrency: 4 }),
    ]);
  });

  it('echo returns its payload', async () => {
    const { id } = await client.submit('echo', { hello: 'world', n: [1, 2] });
    const done = await client.wait(id, 60_000);
    expect(done).toMatchObject({
      state: 'done',
      worker: 'worker-a',
      result: { hello: 'world', n: [1, 2] },
    });
  });

  it('sleep waits, and a timeout aborts it', async () => {
    const { id } = await client.submit('sleep', { ms: 300 });
    const slow = await client.submit('sleep', { ms: 60_000 }, { timeoutMs: 300, maxAttempts: 1 });
    expect(await client.wait(id, 60_000)).toMatchObject({ state: 'done', result: { slept: 300 } });
    const timedOut = await client.wait(slow.id, 60_000);
    expect(timedOut.state).toBe('dead');
    expect(timedOut.error?.message).toContain('did not finish within 300 ms');
  });

  it('sha256 hashes rounds times and reports its progress', async () => {
    const rounds = 1_500_000;
    let digest = createHash('sha256').update('shepherd').digest();
    for (let i = 1; i < rounds; i++) digest = createHash('sha256').update(digest).digest();

    const { id } = await client.submit('sha256', { data: 'shepherd', rounds });
    const done = await client.wait(id, 120_000);
    expect(done).toMatchObject({
      state: 'done',
      result: { digest: digest.toString('hex'), rounds },
    });
    const progress = events
      .filter((e) => e.taskId === id && e.type === 'task.progress')
      .map((e) => e.progress as number);
    expect(progress.length).toBeGreaterThan(0);
    for (const p of progress) {
      expect(p).toBeGreaterThan(0);
      expect(p).toBeLessThanOrEqual(1);
    }
  });

  it('fail fails its first attempts and then succeeds, or ends dead past maxAttempts', async () => {
    const retried = await client.submit('fail', { times: 2 }, { maxAttempts: 3, backoffMs: 100 });
    const dead = await client.submit('fail', { times: 5 }, { maxAttempts: 2, backoffMs: 100 });
    expect(await client.wait(retried.id, 60_000)).toMatchObject({
      state: 'done',
      attempts: 3,
      result: { attempt: 3 },
    });
    const gaveUp = await client.wait(dead.id, 60_000);
    expect(gaveUp).toMatchObject({ state: 'dead', attempts: 2 });
    expect(gaveUp.error?.message).toContain('attempt 2 of the first 5 fails on purpose');
    // The stack is not stored (WORKER_ERROR_STACKS is off): it is in the worker's log.
    expect(gaveUp.error).not.toHaveProperty('stack');
    const logged = await waitFor('the failed attempt in the worker log', () =>
      worker.logs.find((l) => l.msg === 'task attempt failed' && l.taskId === dead.id),
    );
    expect(logged).toMatchObject({ level: 40, taskId: dead.id, type: 'fail' });
    expect((logged.err as { stack?: string }).stack).toMatch(/fails on purpose\n\s+at /);
  });

  it('a malformed payload fails the task at once, with the reason', async () => {
    const { id } = await client.submit('sleep', { ms: 'soon' }, { maxAttempts: 5 });
    const failed = await client.wait(id, 60_000);
    expect(failed).toMatchObject({ state: 'failed', attempts: 1 });
    expect(failed.error?.message).toBe(
      'sleep: invalid payload: ms must be an integer (milliseconds)',
    );
  });

  it('SIGTERM to the leader: it resigns, exits 0, and the backup takes over', async () => {
    const master2 = start('master', { MASTER_ID: 'master-b' });
    await master2.waitForLog('master started: standing by');
    const from = master2.logs.length;

    expect(await master1.stop()).toEqual({ code: 0, signal: null });
    expect(master1.logs.map((l) => l.msg)).toEqual(
      expect.arrayContaining(['shutting down', 'stepped down', 'master stopped']),
    );
    // Resigning deletes the election node: no session timeout to wait for.
    expect(await master2.waitForLog('elected leader', 10_000, from)).toMatchObject({
      master: 'master-b',
      leader: true,
    });
    await waitFor('master-b to lead', async () => (await client.masters()).leader === 'master-b');

    const { id } = await client.submit('echo', 'after the handover');
    expect(await client.wait(id, 60_000)).toMatchObject({
      state: 'done',
      result: 'after the handover',
    });
  });

  it('SIGTERM to the worker: it finishes the running task, deregisters and exits 0', async () => {
    const { id } = await client.submit('sleep', { ms: 1500 });
    await waitFor('the sleep task to run', async () => (await client.get(id)).state === 'running');
    expect(await worker.stop()).toEqual({ code: 0, signal: null });
    expect(await client.get(id)).toMatchObject({ state: 'done', result: { slept: 1500 } });
    expect(worker.logs.map((l) => l.msg)).toEqual(
      expect.arrayContaining(['shutting down', 'worker draining', 'worker stopped']),
    );
    expect(await client.workers()).toEqual([]);
  });
});
