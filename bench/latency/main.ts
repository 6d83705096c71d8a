/**
 * End-to-end latency at a fixed offered load, Shepherd against BullMQ: no-op tasks arriving one
 * by one at each rate (an open loop: a slow peer builds a backlog instead of slowing the
 * arrivals), submit -> start and submit -> done per task, with the same number of worker
 * processes and the same concurrency per worker on each side (bench/throughput's peers):
 *
 * - embedded: Shepherd on the embedded coordinator (its own process, fsync on), one master,
 *   W workers;
 * - ensemble: the same roles on a 3-server Apache ZooKeeper ensemble (Debian's package);
 * - bullmq:   BullMQ on Debian's redis-server (default configuration), W BullMQ workers
 *   (bullmq-fsync: with appendfsync always).
 *
 *   npm run bench:latency [-- --rates 200,1000,3000 --duration 60 --warmup 5 --workers 2
 *                             --concurrency 64 --peers embedded,bullmq --out FILE]
 *
 * Every (peer, rate) gets peer processes started for it alone and stopped once its tasks are
 * drained: one peer's processes at a time on the machine, and no peer carrying the finished
 * tasks of an earlier rate. The peers alternate in order from one rate to the next. The target:
 * at every rate Shepherd sustains, its submit -> done p99 is no worse than BullMQ's.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProgressBar } from '../common/progress';
import {
  BullPeer,
  PeerName,
  PeerSettings,
  ShepherdPeer,
  startBullMQ,
  startEmbedded,
  startOnEnsemble,
} from '../throughput/peers';
import { LatencyArgs, parseLatencyArgs } from './args';
import { LatencyDriver, bullDriver, shepherdDriver } from './drivers';
import { measureCell } from './measure';
import type { LatencyRow } from './summary';
import {
  STEPS_NOTE,
  latencyNote,
  latencyTable,
  rateVerdicts,
  stepsTable,
  withRatios,
} from './table';
import { writeResultsFile } from '../common/results-file';

const USAGE =
  'usage: npm run bench:latency -- [--rates 200,1000,3000] [--duration 60] [--warmup 5] ' +
  '[--workers 2] [--concurrency 64] [--peers embedded,bullmq] [--out FILE]';
/** The drain gets at least this long: a peer that keeps up needs a fraction of a second. */
const MIN_DRAIN_MS = 30_000;

async function startPeer(
  name: PeerName,
  s: PeerSettings,
): Promise<{ peer: ShepherdPeer | BullPeer; driver: LatencyDriver }> {
  if (name === 'embedded' || name === 'ensemble') {
    const peer = name === 'embedded' ? await startEmbedded(s) : await startOnEnsemble(s);
    return { peer, driver: shepherdDriver(peer) };
  }
  const peer = await startBullMQ(s, name === 'bullmq-fsync');
  return { peer, driver: bullDriver(peer) };
}

async function run(args: LatencyArgs): Promise<LatencyRow[]> {
  const workDir = mkdtempSync(join(tmpdir(), 'shepherd-bench-latency-'));
  const perCell = (rate: number) => rate * (args.warmup + args.duration);
  const bar = new ProgressBar(args.rates.reduce((n, r) => n + perCell(r) * args.peers.length, 0));
  const rows: LatencyRow[] = [];
  try {
    for (const [i, rate] of args.rates.entries()) {
      // Alternating order: a machine that gets busier during the run does not favour one peer.
      const order = i % 2 === 0 ? args.peers : [...args.peers].reverse();
      for (const name of order) {
        const label = `${name} @ ${rate}/s`;
        bar.tick(`${label} starting`, 0);
        const dir = join(workDir, `${name}-${rate}`);
        const { peer, driver } = await startPeer(name, {
          workers: args.workers,
          concurrency: args.concurrency,
          workDir: dir,
          profArgs: [],
        });
        try {
          rows.push(
            await measureCell(
              peer,
              driver,
              {
                rate,
                warmupS: args.warmup,
                durationS: args.duration,
                drainTimeoutMs: Math.max(MIN_DRAIN_MS, (args.warmup + args.duration) * 1000),
              },
              bar,
              label,
            ),
          );
        } finally {
          await peer.stop().catch(() => undefined);
          rmSync(dir, { recursive: true, force: true });
        }
      }
    }
    bar.finish();
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
  // Rate by rate, in the order of --peers, whatever order they ran in.
  const place = (r: LatencyRow) =>
    args.rates.indexOf(r.rate) * args.peers.length + args.peers.indexOf(r.peer as PeerName);
  return withRatios(rows.sort((a, b) => place(a) - place(b)));
}

async function main(): Promise<void> {
  let args: LatencyArgs;
  try {
    args = parseLatencyArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`bench:latency: ${err instanceof Error ? err.message : err}\n${USAGE}\n`);
    process.exit(2);
  }
  const rows = await run(args);
  const verdicts = rateVerdicts(rows);
  process.stdout.write(
    `\n${latencyNote(args)}\n\n${latencyTable(rows)}\n\n` +
      `Target: Shepherd's done p99 no worse than BullMQ's at each rate Shepherd sustains.\n` +
      `${verdicts.map((v) => v.line).join('\n')}\n` +
      `\n${STEPS_NOTE}\n\n${stepsTable(rows)}\n`,
  );
  writeResultsFile(args.out, args, {
    peersStarted: 'fresh for each (peer, rate), one peer at a time',
    rows,
    verdicts,
  });
  process.stdout.write(`\nwrote ${args.out}\n`);
}

main().catch((err) => {
  process.stderr.write(`bench:latency failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
