import { ChildProcess, fork } from 'child_process';
import { join } from 'path';
import { waitFor } from '../../../../test/support/wait-for';
import type { WorkerAppMessage, WorkerAppMode } from './nest/worker-app';
import { Cluster } from './support/cluster';
import { paths } from '@app/taskqueue';

const REPO_ROOT = join(__dirname, '..', '..', '..', '..');
const APP = join(__dirname, 'nest', 'worker-app.ts');

const cluster = new Cluster();
const children: ChildProcess[] = [];

beforeAll(() => cluster.start());
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});
afterAll(() => cluster.stop());

/** Starts worker-app.ts in a child process; resolves when its worker is registered. */
function startApp(mode: WorkerAppMode) {
  const child = fork(APP, [mode], {
    cwd: REPO_ROOT,
    env: { ...process.env, ZK_CONNECT: cluster.server.connectString },
    execArgv: ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register'],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  children.push(child);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout?.resume();
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const ready = new Promise<WorkerAppMessage>((resolve, reject) => {
    child.once('message', (m: WorkerAppMessage) => resolve(m));
    void exited.then((code) => reject(new Error(`the app exited with ${code}\n${stderr}`)));
  });
  return { child, ready, exited };
}

describe.each(['forRoot', 'forRootAsync'] as const)('WorkerModule.%s in a Nest app', (mode) => {
  it('runs @TaskHandler methods and plain handlers, and drains on SIGTERM', async () => {
    const app = startApp(mode);
    const ready = await app.ready;
    const id = ready.workerId;
    expect(id).toBe(mode === 'forRoot' ? 'nest-worker' : 'nest-worker-async');
    expect(ready.types).toEqual(['greet', 'plain', 'slow']);
    const node = await cluster.admin.exists(paths.worker(id));
    expect(node?.ephemeralOwner.toString(16)).toBe(ready.session);

    const greet = await cluster.submitAndAssign(id, 'greet', { name: 'Ada' });
    const plain = await cluster.submitAndAssign(id, 'plain', [1, 2]);
    expect((await cluster.waitForRecord(paths.status(greet))).result).toBe('Hello, Ada');
    expect((await cluster.waitForRecord(paths.status(plain))).result).toEqual({ plain: [1, 2] });

    // SIGTERM while a task runs: the grace period lets it finish, then the session closes.
    const slow = await cluster.submitAndAssign(id, 'slow', null);
    await waitFor('the slow task to start', async () => {
      const r = await cluster.read(paths.assignment(id, slow));
      return r?.record.state === 'running';
    });
    app.child.kill('SIGTERM');
    await app.exited;
    expect((await cluster.read(paths.status(slow)))?.record.result).toBe(`slow ${slow}`);
    expect(await cluster.gone(paths.worker(id))).toBe(true);
  });
});
