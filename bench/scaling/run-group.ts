/** Runs one group of bench:scaling: its peers started, warmed up, measured, stopped. */
import { join } from 'node:path';
import { ProgressBar } from '../common/progress';
import {
  BullPeer,
  PeerSettings,
  ShepherdPeer,
  startBullMQ,
  startEmbedded,
} from '../throughput/peers';
import { RunResult, RunSettings, measure } from '../throughput/run';
import type { CellSpec } from './cells';
import type { ScalingArgs } from './scaling-args';

/** A cell's peer label (with the Redis version) and its measured runs, one per round. */
export interface CellRuns {
  label: string;
  runs: RunResult[];
}

interface Started {
  spec: CellSpec;
  peer: ShepherdPeer | BullPeer;
}

const describe = (c: CellSpec) =>
  `${c.peer} x${c.workers}` + (c.standbyMasters > 0 ? ` +${c.standbyMasters} standbys` : '');

async function startCell(spec: CellSpec, args: ScalingArgs, workDir: string) {
  const settings: PeerSettings = {
    workers: spec.workers,
    concurrency: args.concurrency,
    workDir: join(workDir, spec.key.replace(/[/+]/g, '-')),
    profArgs: [],
    standbyMasters: spec.standbyMasters,
  };
  process.stderr.write(`starting ${describe(spec)}...\n`);
  return spec.peer === 'embedded' ? startEmbedded(settings) : startBullMQ(settings);
}

export async function runGroup(
  group: CellSpec[],
  args: ScalingArgs,
  workDir: string,
): Promise<Map<string, CellRuns>> {
  const run: RunSettings = {
    tasks: args.tasks,
    batch: args.batch,
    submitInFlight: args.submitInFlight,
    timeoutMs: Math.max(120_000, args.tasks * 20),
  };
  const out = new Map<string, CellRuns>();
  const started: Started[] = [];
  try {
    // One after the other: starting many ts-node processes at once on 2 cores is slow.
    for (const spec of group) started.push({ spec, peer: await startCell(spec, args, workDir) });
    for (const { spec, peer } of started) out.set(spec.key, { label: peer.label, runs: [] });

    // One short unmeasured run per cell (JIT, connections warm), then the rounds, on one bar.
    const warm = { ...run, tasks: Math.min(args.tasks, 2000) };
    const bar = new ProgressBar(started.length * (warm.tasks + args.rounds * args.tasks));
    const workers = `${group[0].workers} worker${group[0].workers === 1 ? '' : 's'}`;
    for (const c of started)
      await measure(c.peer, 'lib', warm, (n) =>
        bar.tick(`${workers}: warm-up ${describe(c.spec)}`, n),
      );
    for (let round = 0; round < args.rounds; round++) {
      // Alternating order between rounds, so neither side always runs first.
      const order = round % 2 === 0 ? started : [...started].reverse();
      for (const c of order) {
        const label = `${workers}: round ${round + 1}/${args.rounds} ${describe(c.spec)}`;
        const r = await measure(c.peer, 'lib', run, (n) => bar.tick(label, n));
        out.get(c.spec.key)!.runs.push(r);
      }
    }
    bar.finish();
  } finally {
    for (const { peer } of started) await peer.stop().catch(() => undefined);
  }
  return out;
}
