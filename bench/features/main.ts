/**
 * What task priorities, queue limits and task groups cost plain throughput: no-op tasks end to
 * end (bench/throughput's driver and peers) on one Shepherd cluster on the embedded coordinator,
 * run as variants side by side in the same run, with BullMQ on Redis as the reference:
 *
 * - plain:      no options (the baseline);
 * - priorities: a fixed pseudo-random priority per task in -10..10;
 * - limits:     the type's concurrency cap and rate limit set, neither binding (the cost of
 *               checking limits, not of being limited);
 * - groups:     10,000 distinct groups (task i in g<i % 10000>), groupConcurrency 1;
 * - all:        the three together;
 * - bullmq, bullmq-priorities: BullMQ plain and with its `priority` job option (its groups are
 *               BullMQ Pro only).
 *
 *   npm run bench:features [-- --tasks 20000 --rounds 3 --workers 2 --concurrency 64
 *                              --groups 10000 --variants plain,priorities,limits,groups,all,
 *                              bullmq,bullmq-priorities --cpu-prof DIR --out FILE]
 *
 * Each round runs every variant once, in an order that alternates between rounds; before each
 * Shepherd run the type's queue settings are written in full. Every run fails unless each
 * submitted task completed exactly once. The target: every feature variant keeps at least 0.90
 * of Shepherd plain's tasks/s (median of the per-round ratios).
 */
import { TaskQueueClient } from '@shepherd/taskqueue';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { machineInfo } from '../common/machine';
import { ProgressBar } from '../common/progress';
import { median } from '../common/stats';
import {
  BullPeer,
  Peer,
  PeerSettings,
  ShepherdPeer,
  startBullMQ,
  startEmbedded,
} from '../throughput/peers';
import { RunResult, RunSettings, measure } from '../throughput/run';
import { FeatureRow, featuresNote, featuresTable } from './table';
import {
  FEATURE_VARIANTS,
  TASK_TYPE,
  VARIANT_NAMES,
  Variant,
  VariantName,
  variants,
} from './variants';
import {
  applyFlags,
  checkPositiveIntegers,
  runFlagDefaults,
  runFlagSetters,
} from '../common/run-flags';
import { writeResultsFile } from '../common/results-file';
import { cpuByRole, sumCpu } from '../throughput/cpu-summary';

/** Lowest ratio to Shepherd plain a feature variant may reach (at most 10% lower). */
export const TARGET_RATIO = 0.9;
/** Time the leader gets to read new queue settings (one watch event, one read) before a run. */
const SETTLE_MS = 300;

interface Args {
  tasks: number;
  workers: number;
  concurrency: number;
  rounds: number;
  groups: number;
  variants: VariantName[];
  batch: number;
  submitInFlight: number;
  cpuProf?: string;
  out: string;
}

function parseArgs(argv: string[]): Args {
  const args: Args = {
    ...runFlagDefaults('bench/results/features.json'),
    groups: 10_000,
    variants: [...VARIANT_NAMES],
  };
  applyFlags(argv, {
    ...runFlagSetters(args),
    '--groups': (v) => (args.groups = Number(v)),
    '--variants': (v) => (args.variants = v.split(',') as VariantName[]),
  });
  checkPositiveIntegers({
    '--tasks': args.tasks,
    '--workers': args.workers,
    '--concurrency': args.concurrency,
    '--rounds': args.rounds,
    '--groups': args.groups,
    '--batch': args.batch,
    '--submit-in-flight': args.submitInFlight,
  });
  if (args.batch > 1000) throw new Error('--batch: at most 1000');
  for (const v of args.variants)
    if (!VARIANT_NAMES.includes(v))
      throw new Error(`--variants: among ${VARIANT_NAMES.join(', ')}, not ${v}`);
  if (new Set(args.variants).size !== args.variants.length)
    throw new Error('--variants: each at most once');
  return args;
}

interface Cell {
  variant: Variant;
  peer: ShepherdPeer | BullPeer;
  run: RunSettings;
}

async function startPeers(
  args: Args,
  workDir: string,
  wanted: Variant[],
): Promise<{ shepherd?: ShepherdPeer; bullmq?: BullPeer }> {
  const settings = (name: string): PeerSettings => ({
    workers: args.workers,
    concurrency: args.concurrency,
    workDir: join(workDir, name),
    profArgs: args.cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${join(args.cpuProf, name)}`] : [],
  });
  const out: { shepherd?: ShepherdPeer; bullmq?: BullPeer } = {};
  try {
    // One after the other: starting ts-node processes at once on 2 cores is slow.
    if (wanted.some((v) => v.peer === 'shepherd')) {
      process.stderr.write('starting Shepherd (embedded coordinator)...\n');
      out.shepherd = await startEmbedded(settings('embedded'));
    }
    if (wanted.some((v) => v.peer === 'bullmq')) {
      process.stderr.write('starting BullMQ on redis-server...\n');
      out.bullmq = await startBullMQ(settings('bullmq'));
    }
  } catch (err) {
    await out.shepherd?.stop().catch(() => undefined);
    throw err;
  }
  return out;
}

/** Writes the variant's queue settings for the type, then lets the leader read them. */
function setupOf(v: Variant): RunSettings['setup'] {
  if (v.peer !== 'shepherd' || v.settings === undefined) return undefined;
  const settings = v.settings;
  return async (peer: Peer) => {
    const client: TaskQueueClient = (peer as ShepherdPeer).client;
    await client.setQueue(TASK_TYPE, settings);
    await new Promise((r) => setTimeout(r, SETTLE_MS));
  };
}

/** Per-round ratios of `rs` against `base` (same round index), or [] when base is absent. */
function perRound(rs: RunResult[], base: RunResult[] | undefined): number[] {
  if (!base) return [];
  return rs.map((r, i) => r.tasksPerSec / base[i].tasksPerSec);
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  // The load average at the start says how busy the shared machine was.
  const machine = machineInfo();
  const all = variants({ slots: args.workers * args.concurrency, groups: args.groups });
  const wanted = args.variants.map((n) => all[n]);
  const workDir = mkdtempSync(join(tmpdir(), 'shepherd-bench-features-'));
  const base: RunSettings = {
    tasks: args.tasks,
    batch: args.batch,
    submitInFlight: args.submitInFlight,
    timeoutMs: Math.max(120_000, args.tasks * 20),
    verifyExactlyOnce: true,
  };
  const results = new Map<VariantName, RunResult[]>();
  const peers: { shepherd?: ShepherdPeer; bullmq?: BullPeer } = {};
  try {
    Object.assign(peers, await startPeers(args, workDir, wanted));
    const cells: Cell[] = wanted.map((variant) => ({
      variant,
      peer: (variant.peer === 'shepherd' ? peers.shepherd : peers.bullmq)!,
      run: { ...base, options: variant.options, setup: setupOf(variant) },
    }));
    // One short unmeasured run per variant: JIT, connections, the settings path all warm.
    const warmTasks = Math.min(args.tasks, 2000);
    const warmBar = new ProgressBar(cells.length * warmTasks);
    for (const c of cells)
      await measure(c.peer, 'lib', { ...c.run, tasks: warmTasks }, (n) =>
        warmBar.tick(`warm-up ${c.variant.name}`, n),
      );
    warmBar.finish();

    const bar = new ProgressBar(args.rounds * cells.length * args.tasks);
    for (let round = 0; round < args.rounds; round++) {
      const order = round % 2 === 0 ? cells : [...cells].reverse();
      for (const c of order) {
        const label = `round ${round + 1}/${args.rounds} ${c.variant.name}`;
        const r = await measure(c.peer, 'lib', c.run, (n) => bar.tick(label, n));
        results.set(c.variant.name, [...(results.get(c.variant.name) ?? []), r]);
      }
    }
    bar.finish();
  } finally {
    await peers.shepherd?.stop().catch(() => undefined);
    await peers.bullmq?.stop().catch(() => undefined);
    rmSync(workDir, { recursive: true, force: true });
  }

  const plain = results.get('plain');
  const bull = results.get('bullmq');
  const rows: FeatureRow[] = wanted.map((v) => {
    const rs = results.get(v.name)!;
    const vsPlainRounds = perRound(rs, plain);
    const vsBull = perRound(rs, bull);
    const cpuRounds = plain ? rs.map((r, i) => sumCpu(r) / sumCpu(plain[i])) : [];
    const assigned = rs.map((r) => r.assignedPerSec).filter((x): x is number => x !== undefined);
    return {
      variant: v.name,
      peer: v.peer,
      label: v.label,
      tasksPerSec: median(rs.map((r) => r.tasksPerSec)),
      p50Ms: median(rs.map((r) => r.p50Ms)),
      p99Ms: median(rs.map((r) => r.p99Ms)),
      cpuUsPerTask: median(rs.map(sumCpu)),
      cpuByRole: cpuByRole(rs),
      assignedPerSec: assigned.length > 0 ? median(assigned) : null,
      vsPlain: vsPlainRounds.length > 0 ? median(vsPlainRounds) : null,
      vsPlainRounds,
      vsBullmq: vsBull.length > 0 ? median(vsBull) : null,
      cpuVsPlain: v.peer === 'shepherd' && cpuRounds.length > 0 ? median(cpuRounds) : null,
    };
  });
  const verdicts = rows
    .filter((r) => FEATURE_VARIANTS.includes(r.variant as VariantName) && r.vsPlain !== null)
    .map(
      (r) =>
        `${r.variant}: ${r.vsPlain!.toFixed(2)} of plain's tasks/s (rounds ` +
        `${r.vsPlainRounds.map((x) => x.toFixed(2)).join(', ')}); target >= ${TARGET_RATIO}: ` +
        `${r.vsPlain! >= TARGET_RATIO ? 'met' : 'MISSED'}; CPU per task ` +
        `${r.cpuVsPlain!.toFixed(2)}x plain's`,
    );
  const groupsRow = rows.find((r) => r.variant === 'groups');
  const groupsLine =
    groupsRow?.assignedPerSec != null
      ? `Assignment throughput with ${args.groups.toLocaleString('en-US')} distinct groups: ` +
        `${Math.round(groupsRow.assignedPerSec)} assignments/s ` +
        `(${Math.round(groupsRow.tasksPerSec)} tasks/s end to end)\n`
      : '';
  process.stdout.write(
    `\n${featuresNote(args)}\n\n${featuresTable(rows)}\n\n` +
      (verdicts.length > 0 ? `${verdicts.join('\n')}\n` : '') +
      groupsLine,
  );
  writeResultsFile(
    args.out,
    // The profile directory is a local path: recorded as a placeholder only.
    { ...args, cpuProf: args.cpuProf === undefined ? undefined : 'DIR' },
    {
      targetRatio: TARGET_RATIO,
      settings: Object.fromEntries(wanted.map((v) => [v.name, v.settings ?? null])),
      rows,
      raw: Object.fromEntries(results),
    },
    machine,
  );
  process.stdout.write(`\nwrote ${args.out}\n`);
}

main().catch((err) => {
  process.stderr.write(
    `bench:features failed: ${err instanceof Error ? err.stack : String(err)}\n`,
  );
  process.exit(1);
});
