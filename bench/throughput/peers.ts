import { ZooKeeperConnection } from '@shepherd/coordination';
import { TaskQueueClient } from '@shepherd/taskqueue';
import { Queue } from 'bullmq';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { httpStatus, ruok } from '../../apps/up/src/probes';
import { freePorts } from '../../test/support/free-port';
import { OtlpReceiver } from '../../test/support/otel/otlp-receiver';
import { startEnsemble } from '../../test/support/zk-harness';
import { ZOOKEEPER_JVM_AS_PACKAGED } from '../common/zookeeper-jvm';
import { Child, TS_NODE_ARGS } from './child';

export type PeerName = 'embedded' | 'embedded-otel' | 'ensemble' | 'bullmq' | 'bullmq-fsync';
export const PEER_NAMES: PeerName[] = [
  'embedded',
  'embedded-otel',
  'ensemble',
  'bullmq',
  'bullmq-fsync',
];

export interface PeerSettings {
  workers: number;
  concurrency: number;
  workDir: string;
  /** Node flags for the peer's Node processes, e.g. --cpu-prof. */
  profArgs: string[];
  /**
   * Shepherd peers: more master processes beside the leader, standing by in the election
   * (bench:scaling measures what they cost the leader). Default 0.
   */
  standbyMasters?: number;
  /** Shepherd peers: more environment of the master and worker processes. */
  roleEnv?: Record<string, string>;
}

/** A peer, started: its processes by role (for CPU accounting) and how to reach it. */
export interface Peer {
  name: PeerName;
  label: string;
  processes: { role: string; pid: number }[];
  stop(): Promise<void>;
}

export interface ShepherdPeer extends Peer {
  kind: 'shepherd';
  client: TaskQueueClient;
  /** The client app's base URL once startRest() has started it. */
  restUrl?: string;
  startRest(): Promise<void>;
  /** A peer that traces every task (embedded-otel); none when absent. */
  tracing?: PeerTracing;
}

/** How a traced peer's tasks carry a trace, and what its processes exported. */
export interface PeerTracing {
  /** A new sampled W3C traceparent: every task of one submit call continues it. */
  traceparent(): string;
  /** Spans received so far by the name's first word: assign, process... */
  spans(): Record<string, number>;
}

export interface BullPeer extends Peer {
  kind: 'bullmq';
  queue: Queue;
  redisVersion: string;
}

const ROLE_ENTRY = 'test/support/taskqueue/role-main.ts';
export const BULL_QUEUE = 'bench-throughput';
const SESSION_TIMEOUT_MS = 4000;

function node(profArgs: string[], entry: string, args: string[] = []): string[] {
  return [...profArgs, ...TS_NODE_ARGS, entry, ...args];
}

async function stopAll(children: Child[]): Promise<void> {
  await Promise.all(children.map((c) => c.stop()));
}

/**
 * A leading master and `workers` worker processes (the library roles, no-op handler), then the
 * standby masters if any.
 */
async function startShepherdRoles(zk: string, s: PeerSettings, children: Child[]): Promise<void> {
  const env = (role: string, id: string) => ({
    ROLE: role,
    ID: id,
    ZK: zk,
    CONCURRENCY: String(s.concurrency),
    SESSION_TIMEOUT_MS: String(SESSION_TIMEOUT_MS),
    EXEC_LOG: '',
    // No OpenTelemetry SDK unless the peer asks for one, whatever the calling shell exports.
    OTEL_SDK_DISABLED: 'true',
    ...s.roleEnv,
  });
  const child = (name: string, role: string, id: string) =>
    new Child({
      name,
      command: process.execPath,
      args: node(s.profArgs, ROLE_ENTRY),
      env: env(role, id),
      readyLine: /^ready$/m,
    });
  const roles = [
    child('master', 'master', 'master-1'),
    ...Array.from({ length: s.workers }, (_, i) => child('worker', 'worker', `worker-${i + 1}`)),
  ];
  children.push(...roles);
  await Promise.all(roles.map((r) => r.ready()));
  // Started once master-1 leads, so the leader is the same with or without them; their own
  // role name keeps their CPU apart from the leader's.
  const standbys = Array.from({ length: s.standbyMasters ?? 0 }, (_, i) =>
    child('standby', 'master', `master-${i + 2}`),
  );
  children.push(...standbys);
  await Promise.all(standbys.map((r) => r.ready()));
}

async function shepherdOn(
  name: PeerName,
  label: string,
  zk: string,
  s: PeerSettings,
  children: Child[],
  stopServer: () => Promise<void>,
): Promise<ShepherdPeer> {
  try {
    await startShepherdRoles(zk, s, children);
    const connection = new ZooKeeperConnection({ connectString: zk, sessionTimeoutMs: 30_000 });
    await connection.connect();
    const client = new TaskQueueClient({ connection });
    const peer: ShepherdPeer = {
      kind: 'shepherd',
      name,
      label,
      client,
      processes: children.map((c) => ({ role: c.name, pid: c.pid })),
      // Started only for the REST runs: idle, it still watches the queue (stats, events), which
      // would cost the library runs CPU on a 2-core machine.
      async startRest() {
        const [port] = await freePorts(1);
        const app = new Child({
          name: 'client-app',
          command: process.execPath,
          args: node(s.profArgs, 'apps/client/src/main.ts'),
          env: { ZK_CONNECT: zk, PORT: String(port), LOG_LEVEL: 'warn', OTEL_SDK_DISABLED: 'true' },
        });
        children.push(app);
        const url = `http://127.0.0.1:${port}`;
        await app.ready(async () => (await httpStatus(`${url}/health`)) === 200);
        peer.restUrl = url;
        peer.processes.push({ role: app.name, pid: app.pid });
      },
      async stop() {
        client.close();
        await connection.close();
        await stopAll(children.filter((c) => c.name !== 'coordinator'));
        await stopServer();
      },
    };
    return peer;
  } catch (err) {
    await stopAll(children);
    await stopServer();
    throw err;
  }
}

/** Shepherd on the embedded coordinator: the coordinator app in its own process, fsync on. */
export function startEmbedded(s: PeerSettings): Promise<ShepherdPeer> {
  return embeddedPeer('embedded', 'Shepherd, embedded coordinator', s);
}

async function embeddedPeer(name: PeerName, label: string, s: PeerSettings): Promise<ShepherdPeer> {
  const [port] = await freePorts(1);
  const dataDir = join(s.workDir, 'coordinator');
  mkdirSync(dataDir, { recursive: true });
  const coordinator = new Child({
    name: 'coordinator',
    command: process.execPath,
    args: node(s.profArgs, 'apps/coordinator/src/main.ts', [
      '--clientPort',
      String(port),
      '--dataDir',
      dataDir,
      '--4lw.commands.whitelist',
      'ruok',
    ]),
  });
  await coordinator.ready(() => ruok('127.0.0.1', port));
  return shepherdOn(name, label, `127.0.0.1:${port}`, s, [coordinator], () => coordinator.stop());
}

/** A sampled W3C traceparent with random ids (version 00, flags 01). */
function sampledTraceparent(): string {
  return `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-01`;
}

/**
 * Shepherd on the embedded coordinator as `embedded`, with the OpenTelemetry SDK registered in
 * its master and worker processes (the apps' startTelemetry), exporting over OTLP/HTTP to a
 * receiver in this process; every task it is given carries a sampled trace context, so the
 * master records an assign span and the worker a process span per task. The client app (REST
 * runs) registers none: like the library submitter (this process), it passes the context on
 * without a send span of its own.
 */
export async function startEmbeddedOtel(s: PeerSettings): Promise<ShepherdPeer> {
  const receiver = new OtlpReceiver();
  const endpoint = await receiver.start();
  // The receiver keeps what it gets: counted and let go as it comes, it holds a second's worth.
  const counts: Record<string, number> = {};
  const drain = (): void => {
    for (const span of receiver.spans.splice(0)) {
      const kind = span.name.split(' ')[0];
      counts[kind] = (counts[kind] ?? 0) + 1;
    }
    receiver.points.splice(0);
  };
  const timer = setInterval(drain, 1000).unref();
  const roleEnv = {
    ...s.roleEnv,
    OTEL_SDK_DISABLED: 'false',
    OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
    // Spans leave every 200 ms (or every 512), not after the default 5 s: the receiver counts
    // them before the peer stops.
    OTEL_BSP_SCHEDULE_DELAY: '200',
  };
  let peer: ShepherdPeer;
  try {
    peer = await embeddedPeer(
      'embedded-otel',
      'Shepherd, embedded coordinator, OpenTelemetry SDK on, every task traced',
      { ...s, roleEnv },
    );
  } catch (err) {
    clearInterval(timer);
    await receiver.stop();
    throw err;
  }
  const stopPeer = peer.stop;
  peer.stop = async () => {
    // The roles flush what they hold as they stop (SIGTERM): count it, then stop listening.
    await stopPeer();
    clearInterval(timer);
    drain();
    await receiver.stop();
  };
  peer.tracing = {
    traceparent: sampledTraceparent,
    spans: () => {
      drain();
      return { ...counts };
    },
  };
  return peer;
}

/** Shepherd on a 3-server Apache ZooKeeper ensemble (Debian's package). */
export async function startOnEnsemble(s: PeerSettings): Promise<ShepherdPeer> {
  const ensemble = await startEnsemble(3, { jvmArgs: ZOOKEEPER_JVM_AS_PACKAGED });
  const peer = await shepherdOn(
    'ensemble',
    'Shepherd, ZooKeeper ensemble of 3',
    ensemble.connectString,
    s,
    [],
    () => ensemble.stop(),
  );
  // The JVMs' CPU counts as the coordination service's.
  for (const server of ensemble.servers) {
    const pid = server.pid;
    if (typeof pid === 'number') peer.processes.push({ role: 'coordinator', pid });
  }
  return peer;
}

/**
 * Redis settings of the durable BullMQ peer: every write is in the append-only file and
 * fsynced before Redis answers, as every Shepherd state change is in the coordinator's log.
 * Redis' default (the target's peer) keeps no append-only file and snapshots now and then,
 * so a crash of Redis loses the jobs of the last minutes.
 */
const REDIS_FSYNC_ARGS = ['--appendonly', 'yes', '--appendfsync', 'always'];

/**
 * BullMQ on Redis: Debian's redis-server with its default configuration, apart from where it
 * listens (a free loopback port) and its working directory (with `durable`, also
 * REDIS_FSYNC_ARGS); `workers` BullMQ worker processes.
 */
export async function startBullMQ(s: PeerSettings, durable = false): Promise<BullPeer> {
  const [port] = await freePorts(1);
  const dir = join(s.workDir, 'redis');
  mkdirSync(dir, { recursive: true });
  const children: Child[] = [];
  const redis = new Child({
    name: 'redis',
    command: 'redis-server',
    args: [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      dir,
      '--daemonize',
      'no',
      ...(durable ? REDIS_FSYNC_ARGS : []),
    ],
    readyLine: /Ready to accept connections/,
  });
  children.push(redis);
  try {
    await redis.ready();
    const connection = { host: '127.0.0.1', port };
    const queue = new Queue(BULL_QUEUE, { connection });
    await queue.waitUntilReady();
    const redisVersion = /version=(\d[\w.]*)/.exec(redis.log)?.[1] ?? 'unknown';
    const workers = Array.from(
      { length: s.workers },
      () =>
        new Child({
          name: 'worker',
          command: process.execPath,
          args: node(s.profArgs, 'bench/throughput/bullmq-worker.ts'),
          env: {
            QUEUE: BULL_QUEUE,
            REDIS_PORT: String(port),
            CONCURRENCY: String(s.concurrency),
          },
          readyLine: /^ready$/m,
        }),
    );
    children.push(...workers);
    await Promise.all(workers.map((w) => w.ready()));
    return {
      kind: 'bullmq',
      name: durable ? 'bullmq-fsync' : 'bullmq',
      label: durable
        ? `BullMQ on Redis ${redisVersion}, appendfsync always`
        : `BullMQ on Redis ${redisVersion}`,
      queue,
      redisVersion,
      processes: children.map((c) => ({
        role: c.name === 'redis' ? 'coordinator' : c.name,
        pid: c.pid,
      })),
      async stop() {
        await stopAll(workers);
        await queue.close();
        await redis.stop();
      },
    };
  } catch (err) {
    await stopAll(children);
    throw err;
  }
}
