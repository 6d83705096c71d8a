import { ZooKeeperClient } from '@shepherd/zk-client';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ProgressBar } from '../common/progress';
import { markdownTable } from '../common/table';
import { CoordinatorProcess } from './coordinator-process';
import { jvmHeapUsedAfterGcBytes, readRssBytes } from './proc-stats';
import { BigHeapZooKeeper } from './zookeeper';

/** What the memory and restart check found for one server. */
export interface MemoryServerResult {
  znodes: number;
  loadSeconds: number;
  loadOpsPerSec: number;
  /** 2 s after the load. */
  rssMB: number;
  /** After SETTLE_MS more of idling (V8's memory reducer compacts an idle heap). */
  rssSettledMB: number;
  /**
   * ZooKeeper only: JVM heap in use after a full GC (jcmd GC.run, jstat), at the idle moment;
   * undefined without the JDK's tools.
   */
  jvmHeapUsedAfterGcMB?: number;
  /** Coordinator only: its V8 heap in use at those two moments and after the restart. */
  heapUsedMB?: number;
  heapUsedSettledMB?: number;
  /** Coordinator only: V8 heap reserved, and Buffers outside it (e.g. snapshot chunks). */
  heapTotalSettledMB?: number;
  externalSettledMB?: number;
  heapUsedAfterRestartMB?: number;
  /** Coordinator only: Buffers outside the V8 heap after the restart (e.g. the snapshot read). */
  externalAfterRestartMB?: number;
  /** From spawning the restarted process to the first successful getData. */
  restartToServingMs: number;
  rssAfterRestartMB: number;
  /** Coordinator only: recovery + listen, timed inside the child. */
  recoveryMs?: number;
  txnsReplayed?: number;
}

export interface MemoryResult {
  coordinator: MemoryServerResult;
  zookeeper?: MemoryServerResult | { error: string };
  zookeeperHeap: string;
}

const PER_PARENT = 1000;
const LOAD_CONNECTIONS = 8;
const LOAD_IN_FLIGHT = 1024;
const ZK_HEAP = '2g';
const MB = 1024 * 1024;
const SETTLE_MS = 15000;

const leafPath = (i: number) => `/mem/p${Math.floor(i / PER_PARENT)}/n${i % PER_PARENT}`;
const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Creates `count` znodes of `payload` under /mem, 1000 per parent (a million children under one
 * parent would be a different test: a getChildren over jute.maxbuffer), pipelined over several
 * connections with many requests in flight.
 */
async function load(name: string, connectString: string, count: number, payload: Buffer) {
  const clients = Array.from(
    { length: LOAD_CONNECTIONS },
    () => new ZooKeeperClient(connectString, { sessionTimeout: 30000 }),
  );
  await Promise.all(clients.map((c) => c.connect()));
  await clients[0].create('/mem');
  const parents = Math.ceil(count / PER_PARENT);
  for (let p = 0; p < parents; p += 64)
    await Promise.all(
      Array.from({ length: Math.min(64, parents - p) }, (_, k) =>
        clients[k % clients.length].create(`/mem/p${p + k}`),
      ),
    );
  const bar = new ProgressBar(count);
  const label = `${name}: creating ${count} znodes of ${payload.length} bytes`;
  let next = 0;
  const t0 = performance.now();
  const lane = async (): Promise<void> => {
    while (next < count) {
      const i = next++;
      await clients[i % clients.length].create(leafPath(i), payload);
      if (i % 1000 === 999) bar.tick(label, 1000);
    }
  };
  await Promise.all(Array.from({ length: LOAD_IN_FLIGHT }, lane));
  const loadSeconds = (performance.now() - t0) / 1000;
  bar.tick(label, count % 1000);
  bar.finish();
  await Promise.all(clients.map((c) => c.close()));
  return { loadSeconds, loadOpsPerSec: count / loadSeconds };
}

/** Retries connect + getData(path) with fresh clients until one succeeds. */
async function waitServing(connectString: () => string, path: string, timeoutMs = 300000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const client = new ZooKeeperClient(connectString(), {
      sessionTimeout: 30000,
      connectTimeout: 1000,
    });
    try {
      await client.connect();
      await client.getData(path);
      await client.close();
      return;
    } catch (err) {
      await client.close().catch(() => {});
      if (Date.now() > deadline) throw err;
      await delay(20);
    }
  }
}

async function coordinatorCheck(count: number, payload: Buffer, dir: string, script: string) {
  const proc = new CoordinatorProcess(dir, script);
  await proc.start();
  try {
    const loaded = await load('coordinator', proc.connectString, count, payload);
    await delay(2000);
    const rssMB = readRssBytes(proc.pid) / MB;
    const heap = await proc.memoryUsage();
    await delay(SETTLE_MS);
    const rssSettledMB = readRssBytes(proc.pid) / MB;
    const heapSettled = await proc.memoryUsage();
    await proc.kill();
    process.stderr.write('coordinator: SIGKILLed, restarting on the same dataDir\n');
    const t0 = performance.now();
    const started = await proc.start();
    await waitServing(() => proc.connectString, leafPath(count - 1));
    const restartToServingMs = performance.now() - t0;
    const rssAfterRestartMB = readRssBytes(proc.pid) / MB;
    const heapAfterRestart = await proc.memoryUsage();
    return {
      znodes: count,
      ...loaded,
      rssMB,
      rssSettledMB,
      heapUsedMB: heap.heapUsed / MB,
      heapUsedSettledMB: heapSettled.heapUsed / MB,
      heapTotalSettledMB: heapSettled.heapTotal / MB,
      externalSettledMB: heapSettled.external / MB,
      heapUsedAfterRestartMB: heapAfterRestart.heapUsed / MB,
      externalAfterRestartMB: heapAfterRestart.external / MB,
      restartToServingMs,
      rssAfterRestartMB,
      recoveryMs: started.startMs,
      txnsReplayed: started.txnsReplayed,
    };
  } finally {
    await proc.kill();
  }
}

async function zookeeperCheck(count: number, payload: Buffer, dir: string) {
  const zk = new BigHeapZooKeeper(dir, ZK_HEAP);
  await zk.start();
  try {
    await waitServing(() => zk.connectString, '/', 120000);
    const loaded = await load('zookeeper', zk.connectString, count, payload);
    await delay(2000);
    const rssMB = readRssBytes(zk.pid) / MB;
    await delay(SETTLE_MS);
    const rssSettledMB = readRssBytes(zk.pid) / MB;
    const heapBytes = jvmHeapUsedAfterGcBytes(zk.pid);
    await zk.kill();
    process.stderr.write('zookeeper: SIGKILLed, restarting on the same dataDir\n');
    const t0 = performance.now();
    await zk.start();
    await waitServing(() => zk.connectString, leafPath(count - 1));
    const restartToServingMs = performance.now() - t0;
    const rssAfterRestartMB = readRssBytes(zk.pid) / MB;
    return {
      znodes: count,
      ...loaded,
      rssMB,
      rssSettledMB,
      jvmHeapUsedAfterGcMB: heapBytes === undefined ? undefined : heapBytes / MB,
      restartToServingMs,
      rssAfterRestartMB,
    };
  } finally {
    await zk.kill();
  }
}

/**
 * The memory and restart targets: `count` znodes of 100 bytes in the coordinator, its
 * RSS (target <= 400 MB), then SIGKILL and a restart on the same dataDir, timed until a getData
 * of the last znode succeeds (target <= 10 s). Apache ZooKeeper gets the same treatment for
 * context (its RSS mostly reflects the JVM heap it was allowed, -Xmx2g here).
 */
export async function runMemoryCheck(
  count: number,
  payload: Buffer,
  dir: string,
  /** The transpiled coordinator child (compile-child.ts). */
  script: string,
): Promise<MemoryResult> {
  mkdirSync(dir, { recursive: true });
  const coordinator = await coordinatorCheck(count, payload, join(dir, 'coordinator'), script);
  const result: MemoryResult = { coordinator, zookeeperHeap: ZK_HEAP };
  try {
    result.zookeeper = await zookeeperCheck(count, payload, join(dir, 'zookeeper'));
  } catch (err) {
    result.zookeeper = { error: err instanceof Error ? err.message : String(err) };
  }
  return result;
}

/** MB, and the bytes per znode they make. */
function live(mb: number, znodes: number): string {
  return `${mb.toFixed(0)} (${((mb * MB) / znodes).toFixed(0)})`;
}

/** The memory table, with the targets checked for the coordinator. */
export function memoryReport(m: MemoryResult): string {
  const c = m.coordinator;
  const z = m.zookeeper && 'rssMB' in m.zookeeper ? m.zookeeper : undefined;
  const cell = (f: (r: MemoryServerResult) => string) => [f(c), z ? f(z) : 'n/a'];
  const rows = [
    ['znodes of 100 bytes', ...cell((r) => String(r.znodes))],
    ['load (8 connections, 1024 in flight) ops/s', ...cell((r) => r.loadOpsPerSec.toFixed(0))],
    ['RSS 2 s after load, MB', ...cell((r) => r.rssMB.toFixed(0))],
    [
      `RSS ${SETTLE_MS / 1000 + 2} s after load (idle), MB`,
      ...cell((r) => r.rssSettledMB.toFixed(0)),
    ],
    [
      'V8 heap used after load (2 s / idle), MB',
      `${c.heapUsedMB?.toFixed(0)} / ${c.heapUsedSettledMB?.toFixed(0)}`,
      'n/a',
    ],
    [
      'V8 heap total / external Buffers (idle), MB',
      `${c.heapTotalSettledMB?.toFixed(0)} / ${c.externalSettledMB?.toFixed(0)}`,
      'n/a',
    ],
    [
      'live data: coordinator V8 heap used + Buffers outside it (idle); ZooKeeper JVM heap used after a full GC, MB (bytes per znode)',
      `${live(c.heapUsedSettledMB! + c.externalSettledMB!, c.znodes)}`,
      z?.jvmHeapUsedAfterGcMB === undefined ? 'n/a' : live(z.jvmHeapUsedAfterGcMB, z.znodes),
    ],
    [
      'SIGKILL + restart until getData succeeds, s',
      ...cell((r) => (r.restartToServingMs / 1000).toFixed(2)),
    ],
    ['RSS after restart, MB', ...cell((r) => r.rssAfterRestartMB.toFixed(0))],
    [
      'V8 heap / external after restart, MB',
      `${c.heapUsedAfterRestartMB?.toFixed(0)} / ${c.externalAfterRestartMB?.toFixed(0)}`,
      'n/a',
    ],
  ];
  const error =
    m.zookeeper && 'error' in m.zookeeper ? `\nZooKeeper failed: ${m.zookeeper.error}` : '';
  return (
    `Memory and restart (ZooKeeper: -Xmx${m.zookeeperHeap}, SerialGC, for context)\n\n` +
    markdownTable(['', 'coordinator', 'ZooKeeper'], rows) +
    `\n\ncoordinator in-process recovery: ${(c.recoveryMs ?? 0).toFixed(0)} ms, ` +
    `${c.txnsReplayed} txns replayed from the log after the newest snapshot\n` +
    `targets: RSS <= 400 MB: ${c.rssMB <= 400 ? 'met' : 'MISSED'} (idle: ` +
    `${c.rssSettledMB <= 400 ? 'met' : 'MISSED'}); ` +
    `restart <= 10 s: ${c.restartToServingMs <= 10000 ? 'met' : 'MISSED'}${error}`
  );
}
