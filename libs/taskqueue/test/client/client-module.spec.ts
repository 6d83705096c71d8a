import { fork } from 'child_process';
import { join } from 'path';
import { ZooKeeperClient } from '@app/zk-client';
import { ZkServer } from '@app/zk-server';
import { paths } from '@app/taskqueue';
import type { ClientAppMode, ClientAppReport } from './nest/client-app';
import { startServer } from './support';

const REPO_ROOT = join(__dirname, '..', '..', '..', '..');
const APP = join(__dirname, 'nest', 'client-app.ts');

/** Runs the Nest apps of nest/client-app.ts in a child process (see there for why). */
function runApps(modes: ClientAppMode[], connectString: string): Promise<ClientAppReport[]> {
  const child = fork(APP, modes, {
    cwd: REPO_ROOT,
    env: { ...process.env, ZK_CONNECT: connectString },
    execArgv: ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register'],
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    let report: ClientAppReport[] | undefined;
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('message', (m: ClientAppReport[]) => (report = m));
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (code === 0 && report) resolve(report);
      else reject(new Error(`the Nest app exited with ${code}\n${stderr}`));
    });
  });
}

let server: ZkServer;
let zk: ZooKeeperClient;

beforeAll(async () => {
  server = await startServer();
  zk = new ZooKeeperClient(server.connectString);
  await zk.connect();
});
afterAll(async () => {
  await zk?.close();
  await server?.stop();
});

describe('TaskQueueClientModule', () => {
  it('forRoot and forRootAsync provide a client over ZooKeeperModule, closed with the app', async () => {
    const modes = ['forRoot', 'forRootAsync'] as const;
    for (const mode of modes) await zk.create(`/${mode}`);
    const reports = await runApps([...modes], server.connectString);
    expect(reports.map((r) => r.mode)).toEqual(modes);
    for (const report of reports) {
      expect(report).toEqual({
        mode: report.mode,
        id: expect.stringMatching(/^task-/),
        state: 'queued',
        payload: { from: 'nest', mode: report.mode },
        sameClient: true,
        loggerFromFactory: report.mode === 'forRootAsync',
        pendingWait: 'TaskQueueError',
      });
      expect(await zk.exists(`/${report.mode}${paths.task(report.id)}`)).not.toBeNull();
    }
  }, 30_000);
});
