/** The bench:features table, printed by the benchmark and again by the report. */
import { markdownTable } from '../common/table';

/** One variant's medians over rounds, as stored in bench/results/features.json. */
export interface FeatureRow {
  variant: string;
  peer: 'shepherd' | 'bullmq';
  label: string;
  tasksPerSec: number;
  p50Ms: number;
  p99Ms: number;
  /** CPU µs per task summed over the peer's processes. */
  cpuUsPerTask: number;
  /** The same by role, "coordinator 85, master 57, ...". */
  cpuByRole: string;
  /** Shepherd: assignments per second, from the tasks' histories. */
  assignedPerSec: number | null;
  /** Median of per-round tasks/s ratios against Shepherd plain (null: not in the run). */
  vsPlain: number | null;
  vsPlainRounds: number[];
  /** The same against BullMQ plain. */
  vsBullmq: number | null;
  /**
   * Median of the per-round ratios of CPU µs per task (all processes) against Shepherd plain's:
   * steadier than tasks/s on a shared machine, and on 2 cores CPU is what limits tasks/s.
   */
  cpuVsPlain: number | null;
}

const PEER_LABEL = { shepherd: 'Shepherd, embedded', bullmq: 'BullMQ' };

const fixed = (n: number | null, digits = 2) =>
  n === null || !Number.isFinite(n) ? '-' : n.toFixed(digits);

export function featuresTable(rows: FeatureRow[]): string {
  return markdownTable(
    [
      'peer',
      'variant',
      'tasks/s',
      'assigned/s',
      'p50 ms',
      'p99 ms',
      'CPU µs/task',
      'CPU µs/task by role',
      'CPU vs plain',
      'vs Shepherd plain',
      'vs BullMQ plain',
    ],
    rows.map((r) => [
      PEER_LABEL[r.peer],
      r.label,
      Math.round(r.tasksPerSec),
      r.assignedPerSec === null ? '-' : Math.round(r.assignedPerSec),
      Math.round(r.p50Ms),
      Math.round(r.p99Ms),
      Math.round(r.cpuUsPerTask),
      r.cpuByRole,
      fixed(r.cpuVsPlain ?? null),
      fixed(r.vsPlain),
      fixed(r.vsBullmq),
    ]),
  );
}

/** What the table's columns mean and what BullMQ cannot run (its groups are BullMQ Pro only). */
export function featuresNote(a: {
  tasks: number;
  workers: number;
  concurrency: number;
  rounds: number;
  groups: number;
}): string {
  return (
    `Submit to completed, ${a.tasks} no-op tasks per run, ${a.workers} worker processes x ` +
    `concurrency ${a.concurrency} on each side, ${a.rounds} rounds with the variants in ` +
    `alternating order; medians over rounds. "vs" columns: median of the per-round tasks/s ` +
    `ratios against Shepherd plain and against BullMQ plain in the same round; CPU vs plain: the ` +
    `same for CPU µs per task (steadier on a shared machine). assigned/s: ` +
    `tasks / (last - first 'assigned' time in the histories). CPU: all of a peer's processes ` +
    `(coordinator = the embedded coordinator or Redis). Priorities: a fixed pseudo-random ` +
    `priority per task; BullMQ gets 1001 - priority (lower first). Limits: concurrency ` +
    `max(1000, 10 x the slots) and a rate limit of 1,000,000 per second, checked but never ` +
    `binding. Groups: ` +
    `task i in group g<i % ${a.groups}>, groupConcurrency 1. BullMQ has no groups row: ` +
    `group concurrency is a BullMQ Pro feature (not open source).`
  );
}
