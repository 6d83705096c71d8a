/** The bench:latency tables and verdicts, printed by the benchmark and again by the report. */
import { markdownTable } from '../common/table';
import { BACKLOG_GRACE_MS, STEPS, SUSTAINED_SHARE, type LatencyRow } from './summary';

export const BULLMQ = 'bullmq';

const ms = (n: number | null | undefined) =>
  n === null || n === undefined || !Number.isFinite(n) ? '-' : String(Math.round(n));
const perSec = (n: number) => Math.round(n).toLocaleString('en-US');

export function latencyTable(rows: LatencyRow[]): string {
  return markdownTable(
    [
      'peer',
      'offered/s',
      'achieved/s',
      'sustained',
      'start p50 ms',
      'start p99 ms',
      'done p50 ms',
      'done p99 ms',
      'done p99 vs BullMQ',
    ],
    rows.map((r) => [
      r.label,
      perSec(r.rate),
      perSec(r.achievedPerSec),
      r.sustained ? 'yes' : r.unfinished > 0 ? `no (${r.unfinished} unfinished)` : 'no',
      ms(r.startMs.p50),
      ms(r.startMs.p99),
      ms(r.doneMs.p50),
      ms(r.doneMs.p99),
      r.doneP99VsBullmq === null ? '-' : r.doneP99VsBullmq.toFixed(2),
    ]),
  );
}

export const STEPS_NOTE =
  "Where the time goes: how long the submit call took to answer; Shepherd's steps, from each " +
  "task's history (the client's submit call, the record queued, the leader's assignment, the " +
  "worker's start, the outcome; BullMQ records no such steps); and the share of a core each " +
  'role used during the window (client = the benchmark process, which submits).';

/**
 * Where a task's time goes: how long the submit call took to answer, Shepherd's steps from its
 * history (BullMQ records no such steps), and the CPU each role used meanwhile.
 */
export function stepsTable(rows: LatencyRow[]): string {
  return markdownTable(
    [
      'peer',
      'offered/s',
      'submit answered p50 / p99 ms',
      ...STEPS.map(([a, b]) => `${a} -> ${b} p50 / p99 ms`),
      'CPU % of a core',
    ],
    rows.map((r) => [
      r.label,
      perSec(r.rate),
      r.submitAckMs ? `${ms(r.submitAckMs.p50)} / ${ms(r.submitAckMs.p99)}` : '-',
      ...STEPS.map(([a, b]) => {
        const s = r.steps?.[`${a}->${b}`];
        return s ? `${ms(s.p50)} / ${ms(s.p99)}` : '-';
      }),
      Object.entries(r.cpuPercent)
        .map(([role, p]) => `${role} ${p}`)
        .join(', '),
    ]),
  );
}

/** BullMQ's row at the same rate, the reference of every ratio. */
export const bullmqAt = (rows: LatencyRow[], rate: number) =>
  rows.find((r) => r.peer === BULLMQ && r.rate === rate);

/** done p99 / BullMQ's at the same rate, for every row (BullMQ's own is 1). */
export function withRatios(rows: LatencyRow[]): LatencyRow[] {
  return rows.map((r) => {
    const bull = bullmqAt(rows, r.rate);
    // JSON keeps a percentile of no tasks (NaN) as null: no ratio then.
    const ratio = bull ? r.doneMs.p99 / bull.doneMs.p99 : NaN;
    return { ...r, doneP99VsBullmq: Number.isFinite(ratio) ? ratio : null };
  });
}

export type Verdict = 'met' | 'missed' | 'not sustained' | 'no BullMQ row';

export interface RateVerdict {
  peer: string;
  label: string;
  rate: number;
  verdict: Verdict;
  line: string;
}

/**
 * The target at one rate for one Shepherd row: done p99 no worse than BullMQ's, where Shepherd
 * sustains the rate (above what it sustains its latency is its backlog, not a target).
 */
export function rateVerdicts(rows: LatencyRow[]): RateVerdict[] {
  return rows
    .filter((r) => !r.peer.startsWith(BULLMQ))
    .map((r) => {
      const bull = bullmqAt(rows, r.rate);
      const at = `${perSec(r.rate)}/s, ${r.label}`;
      const both = bull
        ? `done p99 ${ms(r.doneMs.p99)} ms vs BullMQ's ${ms(bull.doneMs.p99)} ms ` +
          `(start p99 ${ms(r.startMs.p99)} vs ${ms(bull.startMs.p99)} ms)`
        : '';
      const v = (verdict: Verdict, line: string) => ({
        peer: r.peer,
        label: r.label,
        rate: r.rate,
        verdict,
        line: `${at}: ${line}`,
      });
      if (!r.sustained)
        return v(
          'not sustained',
          `not sustained (${perSec(r.achievedPerSec)}/s achieved), target does not apply; ${both || 'no BullMQ row'}`,
        );
      if (!bull) return v('no BullMQ row', 'sustained; BullMQ not in the run');
      const met = r.doneMs.p99 <= bull.doneMs.p99;
      return v(met ? 'met' : 'missed', `${both}: target ${met ? 'met' : 'MISSED'}`);
    });
}

/** What the tables mean, under which settings. */
export function latencyNote(a: {
  duration: number;
  warmup: number;
  workers: number;
  concurrency: number;
}): string {
  return (
    `Open loop at a fixed offered load: no-op tasks arrive one by one (one submit call each: ` +
    `Shepherd's client.submit, BullMQ's queue.add; none waits for an earlier one) at each rate ` +
    `for ${a.warmup} s of warm-up and then ${a.duration} s measured, ${a.workers} worker ` +
    `processes x concurrency ${a.concurrency} on each side. Each (peer, rate) runs on peer ` +
    `processes started fresh for it, one peer at a time, and is drained before they stop. ` +
    `start = the worker's start time (Shepherd: the 'started' history entry; BullMQ: ` +
    `processedOn) minus the client's clock right before the submit call; done = the completion ` +
    `time (Shepherd: finishedAt; BullMQ: finishedOn) minus the same; one machine, one clock. ` +
    `achieved/s = completions that fall in the window, per second. Sustained: achieved >= ` +
    `${SUSTAINED_SHARE * 100}% of offered and every task of the window done within ` +
    `${BACKLOG_GRACE_MS / 1000} s after it ends. Percentiles are over the window's finished tasks.`
  );
}
