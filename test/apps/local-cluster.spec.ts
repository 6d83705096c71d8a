import { existsSync, mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { createServer } from 'net';
import { join } from 'path';
import { ZooKeeperConnection } from '@shepherd/coordination';
import { TaskQueueClient } from '@shepherd/taskqueue';
import { CommonEnv, connectionOptions, loadEnv } from '../../apps/app-kit/src';
import { LocalCluster, LocalClusterOptions } from '../../apps/up/src/local-cluster';
import { ruok } from '../../apps/up/src/probes';
import { freePorts } from '../support/free-port';
import { delay, waitFor } from '../support/wait-for';
import {
  AppProcess,
  REPO_ROOT,
  TS_NODE_ARGS,
  appEntry,
  childPids,
  isAlive,
  waitForBanner,
} from './support/app-process';

// `npm start`'s launcher on the apps' ts-node entries, with 1 master and 1 worker: first the
// LocalCluster class in this process (without the client app), then the launcher's own entry
// as a process with the client app, as `npm start` runs it.
jest.setTimeout(300_000);

const dirs: string[] = [];
function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'shepherd-launcher-'));
  dirs.push(dir);
  return join(dir, 'data');
}
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A LocalCluster of the apps' ts-node entries (1 master, 1 worker, no client app). */
async function sourceCluster(extra: Partial<LocalClusterOptions> = {}) {
  const [zkPort, port] = await freePorts(2);
  const lines: string[] = [];
  const dir = dataDir();
  const cluster = new LocalCluster({
    entries: {
      coordinator: appEntry('coordinator'),
      master: appEntry('master'),
      worker: appEntry('worker'),
    },
    nodeArgs: TS_NODE_ARGS,
    cwd: REPO_ROOT,
    zkPort,
    port,
    masters: 1,
    workers: 1,
    dataDir: dir,
    sessionTimeoutMs: 4000,
    output: (line) => lines.push(line),
    startTimeoutMs: 240_000,
    ...extra,
  });
  return { cluster, lines, dir, zkPort };
}

describe('LocalCluster', () => {
  let cluster: LocalCluster | undefined;
  afterEach(async () => cluster?.stop());

  it('starts in order, runs tasks, reports a child that dies, and stops every child', async () => {
    const { cluster: started, lines, dir, zkPort } = await sourceCluster();
    cluster = started;

    const addresses = await cluster.start();
    expect(addresses).toEqual({ zkConnect: `127.0.0.1:${zkPort}/shepherd`, baseUrl: undefined });
    const ready = lines.indexOf(
      `shepherd    | coordinator ready on 127.0.0.1:${zkPort} (data in ${dir})`,
    );
    const firstMaster = lines.findIndex((l) => l.startsWith('master-1    |'));
    expect(ready).toBeGreaterThanOrEqual(0);
    expect(firstMaster).toBeGreaterThan(ready);
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^master-1 {4}\| info {2}master started: leading master=master-1/),
        expect.stringMatching(/^worker-1 {4}\| info {2}worker started workerId=worker-1/),
      ]),
    );
    // Nest's per-module start-up lines are left out.
    expect(lines.filter((l) => l.includes('dependencies initialized'))).toEqual([]);

    const connection = new ZooKeeperConnection({ connectString: addresses.zkConnect });
    await connection.connect();
    const client = new TaskQueueClient({ connection });
    try {
      const { id } = await client.submit('echo', { via: 'local cluster' });
      expect(await client.wait(id, 60_000)).toMatchObject({
        state: 'done',
        worker: 'worker-1',
        result: { via: 'local cluster' },
      });
    } finally {
      client.close();
      await connection.close();
    }

    // kill -9 a worker: reported, the others keep running.
    const pids = cluster.pids;
    expect(Object.keys(pids).sort()).toEqual(['coordinator', 'master-1', 'worker-1']);
    process.kill(pids['worker-1']!, 'SIGKILL');
    await waitFor('the death to be reported', () =>
      lines.find((l) => l.includes('worker-1 killed by SIGKILL, unexpectedly')),
    );
    expect(cluster.unexpectedExits).toEqual([{ name: 'worker-1', code: null, signal: 'SIGKILL' }]);
    await delay(500);
    expect(isAlive(pids['master-1']!)).toBe(true);
    expect(await ruok('127.0.0.1', zkPort)).toBe(true);

    await cluster.stop();
    for (const [name, pid] of Object.entries(pids))
      expect([name, isAlive(pid!)]).toEqual([name, false]);
    const stopping = lines.filter((l) => l.includes('| stopping '));
    expect(stopping).toEqual([
      expect.stringContaining('stopping master-1'),
      expect.stringContaining('stopping coordinator'),
    ]);
    expect(lines[lines.length - 1]).toBe('shepherd    | all stopped');
    expect(cluster.unexpectedExits).toHaveLength(1);
  });

  it('runs over TLS with a throwaway CA: no plain port, every app on the certificates', async () => {
    const { cluster: started, lines, dir, zkPort } = await sourceCluster({ tls: true });
    cluster = started;
    const addresses = await cluster.start();
    const tls = addresses.tls!;
    expect(tls.dir).toBe(join(dir, 'tls'));
    expect(lines).toContainEqual(
      `shepherd    | coordinator ready on 127.0.0.1:${zkPort} over TLS (certificates in ${tls.dir}) (data in ${dir})`,
    );
    // A plain client gets nothing: the coordinator has no plain port.
    expect(await ruok('127.0.0.1', zkPort, 1000)).toBe(false);

    // A client of the user's, with the files the banner names.
    const env = {
      ZK_CONNECT: addresses.zkConnect,
      ZK_TLS_CA: tls.ca,
      ZK_TLS_CERT: tls.clientCert,
      ZK_TLS_KEY: tls.clientKey,
    };
    const connection = new ZooKeeperConnection(connectionOptions(loadEnv(CommonEnv, env)));
    await connection.connect();
    const client = new TaskQueueClient({ connection });
    try {
      expect(await connection.client.whoAmI()).toContainEqual({
        authScheme: 'x509',
        user: 'CN=shepherd-app,O=Shepherd',
      });
      const { id } = await client.submit('echo', { via: 'tls' });
      expect(await client.wait(id, 60_000)).toMatchObject({
        state: 'done',
        worker: 'worker-1',
        result: { via: 'tls' },
      });
    } finally {
      client.close();
      await connection.close();
    }
  });

  it('refuses a port that is taken, before starting anything', async () => {
    const [port] = await freePorts(1);
    const holder = createServer().listen(port);
    await new Promise((r) => holder.once('listening', r));
    try {
      cluster = new LocalCluster({
        entries: { coordinator: 'none.js', master: 'none.js', worker: 'none.js' },
        zkPort: port,
        port: port + 1,
        masters: 1,
        workers: 1,
        dataDir: dataDir(),
        output: () => undefined,
      });
      await expect(cluster.start()).rejects.toThrow(
        `port ${port} (ZK_PORT) is in use: stop what holds it or choose another ZK_PORT`,
      );
      expect(cluster.pids).toEqual({});
    } finally {
      holder.close();
    }
  });
});

describe('shepherd up / npm start (the launcher entry as a process)', () => {
  const clientBuilt = existsSync(appEntry('client'));

  it('brings up the cluster with the client app, prints the URLs, and stops on SIGTERM', async () => {
    expect(clientBuilt).toBe(true);
    const [zkPort, port] = await freePorts(2);
    const token = 'launcher-test-token';
    const launcher = new AppProcess('up', {
      ZK_PORT: String(zkPort),
      PORT: String(port),
      MASTERS: '1',
      WORKERS: '1',
      DATA_DIR: dataDir(),
      API_TOKEN: token,
      LOG_LEVEL: 'info',
      ZK_SESSION_TIMEOUT_MS: undefined,
      ZK_AUTH: undefined,
    });
    let children: number[] = [];
    try {
      await waitForBanner(launcher);
      const base = `http://localhost:${port}`;
      expect(launcher.stdout).toContain(
        [
          'Shepherd is up: the coordinator, 1 master, 1 worker, the client app.',
          '',
          `  Dashboard      ${base}/`,
          `  API docs       ${base}/docs`,
          `  Submit a task  curl -X POST ${base}/tasks -H 'Content-Type: application/json' ` +
            `-H 'Authorization: Bearer ${token}' ` +
            `-d '{"type":"sha256","payload":{"data":"hello","rounds":1000000}}'`,
          `  More workers   ZK_CONNECT=127.0.0.1:${zkPort}/shepherd npx shepherd worker --samples`,
          '',
          'Ctrl-C stops everything.',
        ].join('\n'),
      );

      // The REST API is up, with the token passed through.
      const auth = { authorization: `Bearer ${token}` };
      expect((await fetch(`${base}/health`)).status).toBe(200);
      expect((await fetch(`${base}/workers`)).status).toBe(401);
      const submitted = await fetch(`${base}/tasks`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'echo', payload: { hello: 'cluster' } }),
      });
      expect(submitted.status).toBe(202);
      const { id } = (await submitted.json()) as { id: string };
      const done = await fetch(`${base}/tasks/${id}?wait=30`, { headers: auth });
      expect(await done.json()).toMatchObject({
        state: 'done',
        worker: 'worker-1',
        result: { hello: 'cluster' },
      });
      expect(launcher.stdout).toMatch(/^client +\| info /m);

      children = childPids(launcher.pid);
      expect(children).toHaveLength(4); // coordinator, master, worker, client

      expect(await launcher.stop(60_000)).toEqual({ code: 0, signal: null });
      for (const pid of children) expect(isAlive(pid)).toBe(false);
      const stopping = launcher.stdout.split('\n').filter((l) => l.includes('| stopping '));
      expect(stopping).toEqual([
        'shepherd    | stopping worker-1, client',
        'shepherd    | stopping master-1',
        'shepherd    | stopping coordinator',
      ]);
      expect(launcher.stdout.trimEnd().endsWith('shepherd    | all stopped')).toBe(true);
    } finally {
      await launcher.stop(5_000);
      // The apps run in their own process groups: a launcher killed here would leave them.
      for (const pid of children) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
    }
  });
});
