/**
 * Coordinator benchmark: the embedded coordinator (libs/zk-server, in a child process with a
 * dataDir, fsync on) against Apache ZooKeeper 3.8 standalone (Debian's, forceSync=yes, dataDir
 * on the same file system), both started in this run on this machine and driven by the same
 * client (@shepherd/zk-client) with the same load. Prints ops/s and p50/p99 for create, setData,
 * getData, getChildren and multi (see workload.ts) with 1 and 8 connections and 1 and 64
 * requests in flight, and the ratio coordinator / ZooKeeper. Then (unless --skip-memory) the
 * memory and restart check: 1,000,000 znodes of 100 bytes, RSS, SIGKILL, time to serve again.
 *
 *   npm run bench:coordinator [-- --ops 5000 --rounds 5 --connections 1,8 --in-flight 1,64
 *                                 --znodes 1000000 --skip-memory --memory-only --cpu-prof DIR
 *                                 --tls]
 *
 * --tls: both servers on a secureClientPort only (ZooKeeper: Netty, PEM stores,
 * ssl.clientAuth=need; the coordinator: the same key store and trust store), every client
 * over TLS with a client certificate; the memory check is skipped.
 *
 * Paired rounds: in each round and configuration both servers run each op back to back (who
 * goes first alternates), and the ratio is the median of the per-round ratios.
 */
import { ClientTlsOptions, ZooKeeperClient } from '@shepherd/zk-client';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { machineInfo } from '../common/machine';
import { ProgressBar } from '../common/progress';
import { summarise } from '../common/stats';
import { compileChild } from './compile-child';
import { CoordinatorProcess } from './coordinator-process';
import { memoryReport, runMemoryCheck, MemoryResult } from './memory';
import { readCpuUs } from './proc-stats';
import { startZooKeeper } from './zookeeper';
import { coordinatorTable, key, Measurements, TableRow } from './report';
import { COORDINATOR_OPS, deleteAll, runWorkload, WRITE_OPS } from './workload';

interface Args {
  ops: number;
  rounds: number;
  inFlight: number[];
  connections: number[];
  znodes: number;
  skipMemory: boolean;
  memoryOnly: boolean;
  cpuProf?: string;
  tls: boolean;
  out: string;
}

function parseArgs(argv: string[]): Args {
  const args: Args = {
    ops: 5000,
    rounds: 5,
    inFlight: [1, 64],
    connections: [1, 8],
    znodes: 1_000_000,
    skipMemory: false,
    memoryOnly: false,
    tls: false,
    out: '',
  };
  const list = (v: string) => v.split(',').map(Number);
  const setters: Record<string, (v: string) => void> = {
    '--ops': (v) => (args.ops = Number(v)),
    '--rounds': (v) => (args.rounds = Number(v)),
    '--in-flight': (v) => (args.inFlight = list(v)),
    '--connections': (v) => (args.connections = list(v)),
    '--znodes': (v) => (args.znodes = Number(v)),
    '--cpu-prof': (v) => (args.cpuProf = resolve(v)),
    '--out': (v) => (args.out = v),
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === '--skip-memory') args.skipMemory = true;
    else if (flag === '--memory-only') args.memoryOnly = true;
    else if (flag === '--tls') args.tls = true;
    else if (setters[flag] && i + 1 < argv.length) setters[flag](argv[++i]);
    else throw new Error(`unknown flag or missing value: ${flag}`);
  }
  if (args.tls) args.skipMemory = true;
  args.out ||= args.tls ? 'bench/results/coordinator-tls.json' : 'bench/results/coordinator.json';
  const counts = [args.ops, args.rounds, args.znodes, ...args.inFlight, ...args.connections];
  if (counts.some((n) => !(n > 0) || !Number.isInteger(n)))
    throw new Error('--ops, --rounds, --znodes, --in-flight, --connections: positive integers');
  return args;
}

const payload = Buffer.alloc(100, 0x61);
const COORDINATOR = 'coordinator';
const ZOOKEEPER = 'zookeeper';

interface Target {
  name: string;
  connectString: string;
  pid: number;
  tls?: ClientTlsOptions;
}

interface Side {
  target: Target;
  clients: ZooKeeperClient[];
  root: string;
  paths: string[];
}

async function openSide(target: Target, connections: number, tag: string, count: number) {
  const clients = Array.from(
    { length: connections },
    () => new ZooKeeperClient(target.connectString, { sessionTimeout: 30000, tls: target.tls }),
  );
  await Promise.all(clients.map((c) => c.connect()));
  const root = `/bench-coordinator-${tag}`;
  await clients[0].create(root);
  const paths = Array.from({ length: count }, (_, n) => `${root}/n${n}`);
  return { target, clients, root, paths };
}

async function closeSide(side: Side): Promise<void> {
  await deleteAll(side.clients, side.paths, side.root);
  await Promise.all(side.clients.map((c) => c.close()));
}

async function runThroughput(args: Args, targets: Target[]): Promise<Measurements> {
  const measurements: Measurements = new Map();
  const configs = args.connections.flatMap((c) => args.inFlight.map((f) => [c, f] as const));
  const total = args.rounds * configs.length * targets.length * COORDINATOR_OPS.length * args.ops;
  // One unmeasured pass so the coordinator's JIT, the JVM's and the clients are warm.
  for (const target of targets) {
    const side = await openSide(target, 8, 'warmup', Math.min(args.ops, 5000));
    for (const op of COORDINATOR_OPS)
      await runWorkload(side.clients, op, side.paths, 64, payload, () => {});
    await closeSide(side);
  }
  const bar = new ProgressBar(total);
  try {
    for (let round = 0; round < args.rounds; round++) {
      for (const [conns, inFlight] of configs) {
        const sides = await Promise.all(
          targets.map((t) => openSide(t, conns, `${round}-${conns}-${inFlight}`, args.ops)),
        );
        for (const [k, op] of COORDINATOR_OPS.entries()) {
          const order = (round + k + conns + inFlight) % 2 === 0 ? sides : [...sides].reverse();
          for (const { target, clients, paths } of order) {
            const label = `round ${round + 1}/${args.rounds} ${target.name} ${op} c${conns} x${inFlight}`;
            const cpu0 = readCpuUs(target.pid);
            const run = await runWorkload(clients, op, paths, inFlight, payload, (n) =>
              bar.tick(label, n),
            );
            const cpuUs = readCpuUs(target.pid) - cpu0;
            const summary = summarise(run.latencies, run.elapsedNs, cpuUs);
            const result = { ...summary, serverCpuUsPerOp: summary.cpuUsPerOp };
            const k2 = key(target.name, conns, inFlight, op);
            measurements.set(k2, [...(measurements.get(k2) ?? []), result]);
          }
        }
        for (const side of sides) await closeSide(side);
      }
    }
  } finally {
    bar.finish();
  }
  return measurements;
}

function targetsLine(rows: TableRow[], tls: boolean): string {
  const min = (rs: TableRow[]) => Math.min(...rs.map((r) => r.ratio));
  const writes = rows.filter((r) => WRITE_OPS.has(r.op));
  const all = min(rows);
  const w = min(writes);
  // The targets are the plain-TCP ones; over TLS the table is a comparison, not a gate.
  if (tls) return `lowest ratio, all rows: ${all.toFixed(2)}; write rows: ${w.toFixed(2)}`;
  return (
    `lowest ratio, all rows: ${all.toFixed(2)} (target >= 1.0: ${all >= 1 ? 'met' : 'MISSED'}); ` +
    `lowest ratio, write rows: ${w.toFixed(2)} (target >= 1.5: ${w >= 1.5 ? 'met' : 'MISSED'})`
  );
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const workDir = mkdtempSync(join(tmpdir(), 'shepherd-bench-coordinator-'));
  const output: Record<string, unknown> = {
    args,
    when: new Date().toISOString(),
    machine: machineInfo(),
  };
  let memory: MemoryResult | undefined;
  try {
    const script = compileChild(join(workDir, 'child'));
    if (!args.memoryOnly) {
      const nodeArgs = args.cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${args.cpuProf}`] : [];
      const zk = await startZooKeeper(args.tls);
      // Over TLS the coordinator serves ZooKeeper's own key store and trusts the same CA.
      const stores = zk.tls && {
        key: readFileSync(zk.tls.keyStore, 'utf8'),
        cert: readFileSync(zk.tls.keyStore, 'utf8'),
        ca: readFileSync(zk.tls.trustStore, 'utf8'),
      };
      const coordinator = new CoordinatorProcess(
        join(workDir, 'coordinator'),
        script,
        nodeArgs,
        stores,
      );
      try {
        await coordinator.start();
        const targets: Target[] = [
          {
            name: COORDINATOR,
            connectString: coordinator.connectString,
            pid: coordinator.pid,
            tls: zk.tls,
          },
          { name: ZOOKEEPER, connectString: zk.connectString, pid: zk.pid, tls: zk.tls },
        ];
        const measurements = await runThroughput(args, targets);
        const { table, rows } = coordinatorTable(
          measurements,
          [COORDINATOR, ZOOKEEPER],
          args.connections,
          args.inFlight,
        );
        process.stdout.write(
          `\nCoordinator vs Apache ZooKeeper ${zk.version} standalone, fsync on for both, ` +
            `${args.tls ? 'every client over TLS (client certificates, clientAuth=need), ' : ''}` +
            `${args.ops} ops per op, configuration and round, ${args.rounds} rounds, ` +
            `100-byte payloads; medians over rounds; ratio = median of the per-round ` +
            `coordinator / ZooKeeper ops/s; multi = create p/m + setData p + delete p/m\n\n` +
            `${table}\n\n${targetsLine(rows, args.tls)}\n`,
        );
        Object.assign(output, {
          zookeeper: zk.version,
          rows,
          raw: Object.fromEntries(measurements),
        });
      } finally {
        await coordinator.stop();
        await zk.stop();
      }
    }
    if (!args.skipMemory) {
      memory = await runMemoryCheck(args.znodes, payload, join(workDir, 'memory'), script);
      output.memory = memory;
      process.stdout.write(`\n${memoryReport(memory)}\n`);
    }
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
  mkdirSync(dirname(args.out), { recursive: true });
  writeFileSync(args.out, JSON.stringify(output, null, 2));
  process.stdout.write(`\nwrote ${args.out}\n`);
}

main().catch((err) => {
  process.stderr.write(
    `bench:coordinator failed: ${err instanceof Error ? err.stack : String(err)}\n`,
  );
  process.exit(1);
});
