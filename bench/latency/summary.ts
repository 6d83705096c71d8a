/**
 * One (peer, rate) cell's figures from the per-task times: what was offered, what the peer
 * completed, and the latency of the tasks that arrived in the measured window.
 */
import { percentile } from '../common/stats';
import type { TaskTimes } from './drivers';
import type { Arrivals } from './open-loop';

/** Completions per second at least this share of the offered rate to count as sustained. */
export const SUSTAINED_SHARE = 0.95;
/** ...and every task of the window done this soon after the window ends (no backlog left). */
export const BACKLOG_GRACE_MS = 2000;

/** Shepherd's steps, from one history event to the next (the first from the submit call). */
export const STEPS = [
  ['submit', 'queued'],
  ['queued', 'assigned'],
  ['assigned', 'started'],
  ['started', 'completed'],
] as const;

export interface Percentiles {
  p50: number;
  p99: number;
  max: number;
}

/** One row of bench/results/latency.json. */
export interface LatencyRow {
  peer: string;
  label: string;
  /** Offered tasks/s. */
  rate: number;
  /** Tasks that arrived in the window (the warm-up's are not measured). */
  tasks: number;
  /** Tasks/s the submitter actually sent in the window (below `rate` if the client fell behind). */
  submittedPerSec: number;
  /** Completions (any task) whose end falls in the window, per second of the window. */
  achievedPerSec: number;
  sustained: boolean;
  /** ms from the window's end to the last of its tasks done (null: some never finished). */
  lastDoneAfterWindowMs: number | null;
  /** Window tasks not done when the drain gave up. */
  unfinished: number;
  startMs: Percentiles;
  doneMs: Percentiles;
  /** Lateness of the submit calls against their due time: the client's lag, not the peer's. */
  submitLagMs: Percentiles;
  /** Submit call to its answer: how long the peer took to accept a task. */
  submitAckMs: Percentiles;
  maxInFlight: number;
  /** Share of one core each role's processes used during the window, by role. */
  cpuPercent: Record<string, number>;
  /** Shepherd: ms of each step ("queued->assigned" ...), from the histories. */
  steps?: Record<string, Percentiles>;
  /** done p99 / BullMQ's done p99 at the same rate (null: no BullMQ row). */
  doneP99VsBullmq: number | null;
}

export interface Window {
  /** Client clock of the window's first and last instant. */
  from: number;
  to: number;
  /** Index of the first arrival inside the window. */
  first: number;
}

function percentiles(values: number[]): Percentiles {
  const sorted = Float64Array.from(values).sort();
  const max = sorted.length > 0 ? sorted[sorted.length - 1] : NaN;
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max };
}

export function summarise(
  peer: { name: string; label: string },
  rate: number,
  arrivals: Arrivals,
  times: Map<string, TaskTimes>,
  window: Window,
  cpuPercent: Record<string, number>,
): LatencyRow {
  const seconds = (window.to - window.from) / 1000;
  let completedInWindow = 0;
  for (const t of times.values())
    if (t.done !== undefined && t.done >= window.from && t.done < window.to) completedInWindow++;

  const start: number[] = [];
  const done: number[] = [];
  const lag: number[] = [];
  const ack: number[] = [];
  const steps = new Map<string, number[]>(STEPS.map(([a, b]) => [`${a}->${b}`, []]));
  let lastDone = -Infinity;
  let unfinished = 0;
  const n = arrivals.ids.length;
  for (let i = window.first; i < n; i++) {
    const t = times.get(arrivals.ids[i]);
    const sent = arrivals.sentAt[i];
    lag.push(arrivals.lagMs[i]);
    ack.push(arrivals.ackMs[i]);
    if (t?.started !== undefined) start.push(t.started - sent);
    if (t?.done === undefined) {
      unfinished++;
      continue;
    }
    done.push(t.done - sent);
    lastDone = Math.max(lastDone, t.done);
    if (t.events)
      for (const [a, b] of STEPS) {
        const from = a === 'submit' ? sent : t.events[a];
        const to = t.events[b];
        if (from !== undefined && to !== undefined) steps.get(`${a}->${b}`)!.push(to - from);
      }
  }
  const tasks = n - window.first;
  const achievedPerSec = completedInWindow / seconds;
  const lastDoneAfterWindowMs = unfinished > 0 ? null : Math.max(0, lastDone - window.to);
  const sustained =
    achievedPerSec >= SUSTAINED_SHARE * rate &&
    lastDoneAfterWindowMs !== null &&
    lastDoneAfterWindowMs <= BACKLOG_GRACE_MS;
  const sentSpan = (arrivals.sentAt[n - 1] - arrivals.sentAt[window.first]) / 1000;
  const withSteps = [...times.values()].some((t) => t.events);
  return {
    peer: peer.name,
    label: peer.label,
    rate,
    tasks,
    submittedPerSec: sentSpan > 0 ? (tasks - 1) / sentSpan : NaN,
    achievedPerSec,
    sustained,
    lastDoneAfterWindowMs,
    unfinished,
    startMs: percentiles(start),
    doneMs: percentiles(done),
    submitLagMs: percentiles(lag),
    submitAckMs: percentiles(ack),
    maxInFlight: arrivals.maxInFlight,
    cpuPercent,
    ...(withSteps && {
      steps: Object.fromEntries([...steps].map(([k, v]) => [k, percentiles(v)])),
    }),
    doneP99VsBullmq: null,
  };
}
