import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { ZooKeeperClient } from '@shepherd/zk-client';
import { CoordinatorProcess, testZooCfg } from './coordinator-process';
import { waitFor } from '../support/wait-for';

// The app as an operator runs it: a zoo.cfg, JSON logs, SIGTERM, a restart on the same dataDir.
jest.setTimeout(90000);

let dir: string;
const procs: CoordinatorProcess[] = [];
const clients: ZooKeeperClient[] = [];

function start(args: string[], env?: NodeJS.ProcessEnv): CoordinatorProcess {
  const p = new CoordinatorProcess(args, env);
  procs.push(p);
  return p;
}

async function connect(port: number): Promise<ZooKeeperClient> {
  const client = new ZooKeeperClient(`127.0.0.1:${port}`, { sessionTimeout: 400 });
  clients.push(client);
  await client.connect();
  return client;
}

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'coordinator-'));
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close().catch(() => undefined)));
  await Promise.all(procs.splice(0).map((p) => p.ensureDead()));
  rmSync(dir, { recursive: true, force: true });
});

it('serves, stops cleanly on SIGTERM and finds its data after a restart', async () => {
  const dataDir = path.join(dir, 'data');
  const cfg = path.join(dir, 'zoo.cfg');
  writeFileSync(cfg, testZooCfg(dataDir, ['initLimit=10']));

  const first = start(['--config', cfg, '--maxClientCnxns', '10']);
  const port = await first.port();
  const client = await connect(port);
  await client.create('/shepherd', 'hello');
  await client.create('/shepherd/tasks');
  // The session is left open: the restarted server must expire it (and log that at debug).
  const sessionId = client.sessionId;

  first.kill('SIGTERM');
  expect(await first.exited).toEqual({ code: 0, signal: null });
  const start1 = first.find('starting coordinator');
  expect(start1?.config).toMatchObject({
    configFile: cfg,
    tickTime: 200,
    dataDir,
    clientPort: 0,
    maxClientCnxns: 10,
  });
  expect(first.logs.find((l) => /^initLimit .* is ignored/.test(l.msg))?.level).toBe(40);
  expect(first.find('shutting down')).toMatchObject({ signal: 'SIGTERM' });
  expect(first.find('coordinator stopped')).toBeDefined();
  expect(first.logs.map((l) => l.msg)).not.toContain('server error');
  expect(first.stderr).toBe('');

  const second = start(['--config', cfg], { LOG_LEVEL: 'debug' });
  const port2 = await second.port();
  // A clean stop leaves a clean log: nothing to cut.
  expect(second.find('txn log had a damaged tail')).toBeUndefined();
  expect(second.find('recovered data')?.txnsReplayed).toBeGreaterThanOrEqual(3);
  const reader = await connect(port2);
  expect((await reader.getData('/shepherd')).data?.toString()).toBe('hello');
  expect(await reader.getChildren('/shepherd')).toEqual(['tasks']);
  await waitFor('the old session to expire', () => second.find('session expired'), {
    timeoutMs: 20000,
  });
  expect(second.find('session expired')).toMatchObject({
    level: 20,
    sessionId: `0x${sessionId.toString(16)}`,
  });

  second.kill('SIGINT');
  expect(await second.exited).toEqual({ code: 0, signal: null });
});

it('refuses an ensemble config before opening any port or data file', async () => {
  const dataDir = path.join(dir, 'data');
  const cfg = path.join(dir, 'zoo.cfg');
  writeFileSync(
    cfg,
    testZooCfg(dataDir, ['server.1=127.0.0.1:2222:2223', 'server.2=127.0.0.1:3333:3334']),
  );
  const p = start(['--config', cfg]);
  expect(await p.exited).toEqual({ code: 2, signal: null });
  expect(p.stderr).toMatch(/describes a ZooKeeper ensemble \(server\.1, server\.2\)/);
  expect(p.stderr).toContain('h1:2181,h2:2181,h3:2181/shepherd');
  expect(p.find('invalid configuration')?.level).toBe(60);
  expect(p.find('starting coordinator')).toBeUndefined();
  expect(existsSync(dataDir)).toBe(false);
});

it('exits 2 naming the key on a bad value, and prints usage on --help', async () => {
  const bad = start(['--tickTime', 'soon', '--dataDir', path.join(dir, 'data')]);
  expect(await bad.exited).toEqual({ code: 2, signal: null });
  expect(bad.stderr).toMatch(/Invalid value for --tickTime: "soon" is not an integer/);
  expect(existsSync(path.join(dir, 'data'))).toBe(false);

  const help = start(['--help']);
  expect(await help.exited).toEqual({ code: 0, signal: null });
  expect(help.stdout).toMatch(/^Usage: shepherd coordinator \[zoo.cfg\]/);
  expect(help.stdout).toContain('--autopurge.purgeInterval');
});
