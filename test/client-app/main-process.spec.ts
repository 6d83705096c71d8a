import { ChildProcess, spawn } from 'child_process';
import * as path from 'path';
import request from 'supertest';
import { ZkServer } from '@app/zk-server';
import { freePort } from '../support/free-port';
import { waitFor } from '../support/wait-for';
import { startZkServer } from './support/client-app-harness';
import { SseReader } from './support/sse-reader';

// apps/client/src/main.ts as its own process (ts-node, no build): configuration from the
// environment, pino JSON on stdout, and a clean exit on SIGTERM even with an event stream open.

const REPO_ROOT = path.resolve(__dirname, '../..');
const ENTRY = 'apps/client/src/main.ts';

interface Run {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function runClient(env: Record<string, string>): Run {
  const child = spawn(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', ENTRY],
    {
      cwd: REPO_ROOT,
      // Only what the app reads, so the test's own environment cannot change the outcome.
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

let server: ZkServer;
const children: ChildProcess[] = [];

beforeAll(async () => {
  server = await startZkServer();
});
afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await server?.stop();
});

it('exits 2 with every configuration problem named', async () => {
  const run = runClient({ PORT: 'http', API_TOKEN: 'short', ZK_CONNECT: 'a b' });
  children.push(run.child);
  const { code } = await run.exited;
  expect(code).toBe(2);
  expect(run.stderr()).toContain('invalid configuration');
  expect(run.stderr()).toContain('PORT must be an integer');
  expect(run.stderr()).toContain('API_TOKEN must be at least 8 characters');
  expect(run.stderr()).toContain('ZK_CONNECT must look like host:port');
}, 60_000);

it('serves on PORT, logs JSON lines, and exits 0 on SIGTERM with a stream open', async () => {
  const port = await freePort();
  const run = runClient({
    ZK_CONNECT: `${server.connectString}/main-process`,
    ZK_SESSION_TIMEOUT_MS: '2000',
    PORT: String(port),
    LOG_LEVEL: 'info',
  });
  children.push(run.child);
  const url = `http://127.0.0.1:${port}`;
  await Promise.race([
    waitFor('the client app to listen', () => run.stdout().includes('client app listening'), {
      timeoutMs: 60_000,
    }),
    run.exited.then(({ code }) => {
      throw new Error(`the client app exited (${code}):\n${run.stderr()}`);
    }),
  ]);
  const listening = run
    .stdout()
    .split('\n')
    .filter((l) => l.includes('client app listening'))
    .map((l) => JSON.parse(l) as Record<string, unknown>)[0];
  expect(listening).toMatchObject({ level: 30, name: 'client', port, pid: run.child.pid });

  await request(url).get('/health').expect(200);
  await request(url).post('/tasks').send({ type: 'echo' }).expect(202);
  const sse = await SseReader.open(`${url}/events`);
  expect(sse.status).toBe(200);

  const stopping = Date.now();
  run.child.kill('SIGTERM');
  const { code, signal } = await run.exited;
  sse.close();
  expect({ code, signal }).toEqual({ code: 0, signal: null });
  expect(Date.now() - stopping).toBeLessThan(10_000);
}, 90_000);
