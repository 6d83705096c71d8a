/** The bench:scaling table and its notes, printed by the benchmark and again by the report. */
import { markdownTable } from '../common/table';

/** One setup's medians over rounds, as stored in bench/results/scaling.json. */
export interface ScalingRow {
  peer: 'embedded' | 'bullmq';
  label: string;
  workers: number;
  /** Masters standing by beside the leader (0 but on the standby row). */
  standbyMasters: number;
  tasksPerSec: number;
  p50Ms: number;
  p99Ms: number;
  /** CPU µs per task summed over the peer's processes. */
  cpuUsPerTask: number;
  /** The same by role, "coordinator 85, master 57, worker 120". */
  cpuByRole: string;
  /** Median of per-round tasks/s ratios against BullMQ with as many workers (null: not run). */
  vsBullmq: number | null;
  /** The standby row: the same against Shepherd with as many workers and no standbys. */
  vsNoStandby: number | null;
}

const fixed = (n: number | null) => (n === null || !Number.isFinite(n) ? '-' : n.toFixed(2));

/** `cpus`: the machine's core count, in the header, so flat lines past it read as expected. */
export function scalingTable(rows: ScalingRow[], cpus: number): string {
  return markdownTable(
    [
      'peer',
      'worker processes',
      'standby masters',
      `tasks/s (${cpus} cores)`,
      'p50 ms',
      'p99 ms',
      'vs BullMQ',
      'vs no standbys',
      'CPU µs/task',
      'CPU µs per task by role',
    ],
    rows.map((r) => [
      r.label,
      r.workers,
      r.peer === 'embedded' ? r.standbyMasters : '-',
      Math.round(r.tasksPerSec),
      Math.round(r.p50Ms),
      Math.round(r.p99Ms),
      fixed(r.vsBullmq),
      fixed(r.vsNoStandby),
      Math.round(r.cpuUsPerTask),
      r.cpuByRole,
    ]),
  );
}

/** What was run and what the columns mean. */
export function scalingNote(
  a: { tasks: number; concurrency: number; rounds: number; batch: number },
  cpus: number,
): string {
  return (
    `Submit to completed, ${a.tasks} no-op tasks per run, library submission in batches of ` +
    `${a.batch}, each worker process with concurrency ${a.concurrency} on both sides, ` +
    `${a.rounds} round${a.rounds === 1 ? '' : 's'} per setup; medians over rounds. Each worker ` +
    `count is a fresh set of peers, run side by side. The machine has ${cpus} cores shared by ` +
    `every process of a peer (coordinator or Redis, master, workers, the submitting benchmark), ` +
    `so tasks/s cannot grow with workers past what the cores allow. "vs BullMQ": median of the ` +
    `per-round tasks/s ratios against BullMQ with as many worker processes; "vs no standbys": ` +
    `the same against Shepherd with as many workers and no standby masters. CPU: all of a ` +
    `peer's processes, by role (coordinator = the embedded coordinator or Redis; standby = the ` +
    `standby masters together).`
  );
}

/** One line on how each peer scaled and what the standby masters cost, or '' when not run. */
export function scalingSummary(rows: ScalingRow[]): string {
  const lines: string[] = [];
  for (const peer of ['embedded', 'bullmq'] as const) {
    const plain = rows
      .filter((r) => r.peer === peer && r.standbyMasters === 0)
      .sort((a, b) => a.workers - b.workers);
    if (plain.length < 2) continue;
    const [first, last] = [plain[0], plain[plain.length - 1]];
    lines.push(
      `${first.label}: ${Math.round(first.tasksPerSec)} tasks/s with ${first.workers} worker ` +
        `process${first.workers === 1 ? '' : 'es'}, ${Math.round(last.tasksPerSec)} with ` +
        `${last.workers} (x${(last.tasksPerSec / first.tasksPerSec).toFixed(2)}).`,
    );
  }
  const standby = rows.find((r) => r.standbyMasters > 0);
  if (standby && standby.vsNoStandby !== null)
    lines.push(
      `With ${standby.standbyMasters} masters standing by, ${standby.workers} workers: ` +
        `${Math.round(standby.tasksPerSec)} tasks/s, ${standby.vsNoStandby.toFixed(2)} of the ` +
        `same setup without them.`,
    );
  return lines.join('\n');
}
