import request from 'supertest';
import { ZkServer } from '@shepherd/zk-server';
import { AppProcess } from '../apps/support/app-process';
import { freePort } from '../support/free-port';
import { startZkServer } from './support/client-app-harness';
import { SseReader } from '../support/sse-reader';

// apps/client/src/main.ts as its own process (ts-node, no build): configuration from the
// environment, pino JSON on stdout, and a clean exit on SIGTERM even with an event stream open.

let server: ZkServer;
const runs: AppProcess[] = [];

/** The client app with PATH and `env` only: the test's environment cannot change the outcome. */
function runClient(env: Record<string, string>): AppProcess {
  const run = new AppProcess('client', env, { inheritEnv: false });
  runs.push(run);
  return run;
}

beforeAll(async () => {
  server = await startZkServer();
});
afterAll(async () => {
  for (const r of runs) r.signal('SIGKILL');
  await server?.stop();
});

it('exits 2 with every configuration problem named', async () => {
  const run = runClient({ PORT: 'http', API_TOKEN: 'short', ZK_CONNECT: 'a b' });
  const { code } = await run.exited;
  expect(code).toBe(2);
  expect(run.stderr).toContain('invalid configuration');
  expect(run.stderr).toContain('PORT must be an integer');
  expect(run.stderr).toContain('API_TOKEN must be at least 8 characters');
  expect(run.stderr).toContain('ZK_CONNECT must look like host:port');
}, 60_000);

it('serves on PORT, logs JSON lines, and exits 0 on SIGTERM with a stream open', async () => {
  const port = await freePort();
  const run = runClient({
    ZK_CONNECT: `${server.connectString}/main-process`,
    ZK_SESSION_TIMEOUT_MS: '2000',
    PORT: String(port),
    LOG_LEVEL: 'info',
  });
  const url = `http://127.0.0.1:${port}`;
  const listening = await run.waitForLog('client app listening', 60_000);
  expect(listening).toMatchObject({ level: 30, name: 'client', port, pid: run.pid });

  await request(url).get('/health').expect(200);
  await request(url).post('/tasks').send({ type: 'echo' }).expect(202);
  const sse = await SseReader.open(`${url}/events`);
  expect(sse.status).toBe(200);

  const stopping = Date.now();
  run.signal('SIGTERM');
  const { code, signal } = await run.exited;
  sse.close();
  expect({ code, signal }).toEqual({ code: 0, signal: null });
  expect(Date.now() - stopping).toBeLessThan(10_000);
}, 90_000);
