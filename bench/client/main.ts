/**
 * Client benchmark: ops/s and p50/p99 latency of create, getData, setData,
 * getChildren and delete, for Shepherd's client and node-zookeeper-client, against
 * the same Apache ZooKeeper server in the same run, with 1 and 64 requests in
 * flight. Rounds alternate which client goes first; the table reports medians.
 *
 *   npm run bench:client [-- --ops 5000 --rounds 3 --connect 127.0.0.1:2181]
 *
 * Without --connect it starts a standalone Apache ZooKeeper (Debian's package)
 * on a free loopback port and stops it afterwards.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BENCH_OPS, BenchDriver, BenchOp } from './driver';
import { NodeZookeeperClientDriver } from './nzk-driver';
import { runOp } from './run-op';
import { ShepherdDriver } from './shepherd-driver';
import { median, summarise, Summary } from '../common/stats';
import { ProgressBar } from '../common/progress';
import { markdownTable } from '../common/table';
import { startBenchServer } from '../common/zk-server';

interface Args {
  ops: number;
  rounds: number;
  inFlight: number[];
  connect?: string;
  out: string;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { ops: 5000, rounds: 3, inFlight: [1, 64], out: 'bench/results/client.json' };
  for (let i = 0; i < argv.length; i++) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (flag === '--ops') args.ops = Number(value);
    else if (flag === '--rounds') args.rounds = Number(value);
    else if (flag === '--in-flight') args.inFlight = value.split(',').map(Number);
    else if (flag === '--connect') args.connect = value;
    else if (flag === '--out') args.out = value;
    else continue;
    i++;
  }
  if (!(args.ops > 0) || !(args.rounds > 0) || args.inFlight.some((n) => !(n > 0)))
    throw new Error('--ops, --rounds and --in-flight must be positive numbers');
  return args;
}

type Key = `${string}|${number}|${BenchOp}`;

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const server = args.connect ? undefined : await startBenchServer();
  const connectString = args.connect ?? server!.connectString;
  const payload = Buffer.alloc(64, 0x61);
  const makers: (() => BenchDriver)[] = [
    () => new ShepherdDriver(),
    () => new NodeZookeeperClientDriver(),
  ];
  const names = makers.map((m) => m().name);
  const results = new Map<Key, Summary[]>();
  const total = args.rounds * args.inFlight.length * makers.length * BENCH_OPS.length * args.ops;
  const bar = new ProgressBar(total);
  try {
    // One unmeasured pass per client so both are JIT-compiled before the first round.
    for (const make of makers) {
      const driver = make();
      await driver.connect(connectString);
      const root = `/bench-client-${process.pid}-warmup-${names.indexOf(driver.name)}`;
      await driver.create(root, Buffer.alloc(0));
      const paths = Array.from({ length: Math.min(args.ops, 1000) }, (_, i) => `${root}/n${i}`);
      for (const op of BENCH_OPS) await runOp(driver, op, paths, 64, payload, () => undefined);
      await driver.delete(root);
      await driver.close();
    }
    for (let round = 0; round < args.rounds; round++) {
      for (const inFlight of args.inFlight) {
        // Alternate who goes first so neither always meets a warmer server.
        const order = round % 2 === 0 ? makers : [...makers].reverse();
        for (const make of order) {
          const driver = make();
          await driver.connect(connectString);
          const root = `/bench-client-${process.pid}-${round}-${inFlight}-${names.indexOf(driver.name)}`;
          await driver.create(root, Buffer.alloc(0));
          const paths = Array.from({ length: args.ops }, (_, i) => `${root}/n${i}`);
          for (const op of BENCH_OPS) {
            const label = `round ${round + 1}/${args.rounds} ${driver.name} ${op} x${inFlight}`;
            const { latencies, elapsedNs, cpuUs } = await runOp(
              driver,
              op,
              paths,
              inFlight,
              payload,
              (n) => bar.tick(label, n),
            );
            const key: Key = `${driver.name}|${inFlight}|${op}`;
            results.set(key, [...(results.get(key) ?? []), summarise(latencies, elapsedNs, cpuUs)]);
          }
          await driver.delete(root);
          await driver.close();
        }
      }
    }
  } finally {
    bar.finish();
    await server?.stop();
  }

  const med = (name: string, inFlight: number, op: BenchOp) => {
    const runs = results.get(`${name}|${inFlight}|${op}`)!;
    return {
      opsPerSec: median(runs.map((r) => r.opsPerSec)),
      p50Ms: median(runs.map((r) => r.p50Ms)),
      p99Ms: median(runs.map((r) => r.p99Ms)),
      cpuUsPerOp: median(runs.map((r) => r.cpuUsPerOp)),
    };
  };
  const [ours, peer] = names;
  const rows = args.inFlight.flatMap((inFlight) =>
    BENCH_OPS.map((op) => {
      const a = med(ours, inFlight, op);
      const b = med(peer, inFlight, op);
      return [
        op,
        inFlight,
        a.opsPerSec.toFixed(0),
        b.opsPerSec.toFixed(0),
        (a.opsPerSec / b.opsPerSec).toFixed(2),
        `${a.p50Ms.toFixed(2)} / ${a.p99Ms.toFixed(2)}`,
        `${b.p50Ms.toFixed(2)} / ${b.p99Ms.toFixed(2)}`,
        `${a.cpuUsPerOp.toFixed(1)} / ${b.cpuUsPerOp.toFixed(1)}`,
      ];
    }),
  );
  const table = markdownTable(
    [
      'op',
      'in flight',
      'shepherd ops/s',
      'node-zookeeper-client ops/s',
      'ratio',
      'shepherd p50 / p99 ms',
      'node-zookeeper-client p50 / p99 ms',
      'client CPU µs/op (shepherd / nzk)',
    ],
    rows,
  );
  process.stdout.write(
    `\nApache ZooKeeper ${server?.version ?? '(external)'}, ${args.ops} ops per op and round, ` +
      `median of ${args.rounds} rounds, ratio = shepherd / node-zookeeper-client\n\n${table}\n`,
  );
  mkdirSync(join(args.out, '..'), { recursive: true });
  writeFileSync(
    args.out,
    JSON.stringify(
      { args, server: server?.version, when: new Date().toISOString(), rows, raw: [...results] },
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
