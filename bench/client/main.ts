/**
 * Client benchmark: ops/s and p50/p99 latency of create, getData, setData,
 * getChildren and delete, for Shepherd's client and node-zookeeper-client, against
 * the same Apache ZooKeeper server in the same run, with 1 and 64 requests in
 * flight.
 *
 *   npm run bench:client [-- --ops 10000 --rounds 7 --connect 127.0.0.1:2181]
 *
 * Both clients are connected side by side and take turns op by op (who goes first
 * alternates), so drift on a shared, noisy machine hits both alike. Each round
 * gives one paired ratio per op; the table reports medians over rounds.
 *
 * Without --connect it starts a standalone Apache ZooKeeper (Debian's package)
 * on a free loopback port and stops it afterwards.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { BENCH_OPS, BenchDriver } from './driver';
import { NodeZookeeperClientDriver } from './nzk-driver';
import { clientTable, Measurements } from './report';
import { runOp } from './run-op';
import { ShepherdDriver } from './shepherd-driver';
import { summarise } from '../common/stats';
import { machineInfo } from '../common/machine';
import { ProgressBar } from '../common/progress';
import { startBenchServer } from '../common/zk-server';

interface Args {
  ops: number;
  rounds: number;
  inFlight: number[];
  connect?: string;
  out: string;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { ops: 10000, rounds: 7, inFlight: [1, 64], out: 'bench/results/client.json' };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (flag === '--ops') args.ops = Number(value);
    else if (flag === '--rounds') args.rounds = Number(value);
    else if (flag === '--in-flight') args.inFlight = value.split(',').map(Number);
    else if (flag === '--connect') args.connect = value;
    else if (flag === '--out') args.out = value;
    else throw new Error(`unknown flag ${flag}`);
  }
  if (!(args.ops > 0) || !(args.rounds > 0) || args.inFlight.some((n) => !(n > 0)))
    throw new Error('--ops, --rounds and --in-flight must be positive numbers');
  return args;
}

const payload = Buffer.alloc(64, 0x61);

/** Both clients connected, each with its own subtree of `count` node paths. */
async function connectBoth(connectString: string, tag: string, count: number) {
  const drivers: BenchDriver[] = [new ShepherdDriver(), new NodeZookeeperClientDriver()];
  return Promise.all(
    drivers.map(async (driver, i) => {
      await driver.connect(connectString);
      const root = `/bench-client-${process.pid}-${tag}-${i}`;
      await driver.create(root, Buffer.alloc(0));
      const paths = Array.from({ length: count }, (_, n) => `${root}/n${n}`);
      return { driver, root, paths };
    }),
  );
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const server = args.connect ? undefined : await startBenchServer();
  const connectString = args.connect ?? server!.connectString;
  const measurements: Measurements = new Map();
  const total = args.rounds * args.inFlight.length * 2 * BENCH_OPS.length * args.ops;
  const bar = new ProgressBar(total);
  try {
    // One unmeasured pass so both clients and the server's JIT are warm before round 1.
    for (const side of await connectBoth(connectString, 'warmup', Math.min(args.ops, 5000))) {
      for (const op of BENCH_OPS) await runOp(side.driver, op, side.paths, 64, payload, () => {});
      await side.driver.delete(side.root);
      await side.driver.close();
    }
    for (let round = 0; round < args.rounds; round++) {
      for (const inFlight of args.inFlight) {
        const sides = await connectBoth(connectString, `${round}-${inFlight}`, args.ops);
        for (const [k, op] of BENCH_OPS.entries()) {
          const order = (round + k) % 2 === 0 ? sides : [...sides].reverse();
          for (const { driver, paths } of order) {
            const label = `round ${round + 1}/${args.rounds} ${driver.name} ${op} x${inFlight}`;
            const run = await runOp(driver, op, paths, inFlight, payload, (n) =>
              bar.tick(label, n),
            );
            const key = `${driver.name}|${inFlight}|${op}` as const;
            const summary = summarise(run.latencies, run.elapsedNs, run.cpuUs);
            measurements.set(key, [...(measurements.get(key) ?? []), summary]);
          }
        }
        for (const { driver, root } of sides) {
          await driver.delete(root);
          await driver.close();
        }
      }
    }
  } finally {
    bar.finish();
    await server?.stop();
  }

  const names = [new ShepherdDriver().name, new NodeZookeeperClientDriver().name] as const;
  const { table, rows } = clientTable(measurements, names, args.inFlight);
  process.stdout.write(
    `\nApache ZooKeeper ${server?.version ?? '(external)'}, ${args.ops} ops per op and round, ` +
      `${args.rounds} rounds; medians over rounds; ratio = median of the per-round ` +
      `shepherd / node-zookeeper-client ops/s\n\n${table}\n`,
  );
  mkdirSync(dirname(args.out), { recursive: true });
  const raw = Object.fromEntries(measurements);
  const when = new Date().toISOString();
  writeFileSync(
    args.out,
    JSON.stringify(
      { args, server: server?.version, when, machine: machineInfo(), rows, raw },
      null,
      2,
    ),
  );
  process.stdout.write(`\nwrote ${args.out}\n`);
}

main().catch((err) => {
  process.stderr.write(`bench:client failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
