import { type StatsView, toMs } from './wire.js';

/** One GET /stats answer, as a point of the latency and depth lines. */
export interface StatsSample {
  at: number;
  p50?: number;
  p99?: number;
  queued: number;
}

const nonNegative = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined;

/**
 * The last few minutes of /stats, for the chart. Throughput arrives as the server's last 60
 * one-second buckets (oldest first, the last one still filling); each answer overwrites the
 * seconds it covers, so
 * overlapping polls never count a second twice and a partial newest second is corrected by the
 * next poll.
 */
export class StatsHistory {
  private readonly perSecond = new Map<number, number>();
  private samples: StatsSample[] = [];
  private lastStats: StatsView | undefined;

  constructor(readonly windowMs = 5 * 60_000) {}

  get latest(): StatsView | undefined {
    return this.lastStats;
  }

  /** When the newest answer was made, by the server's clock (the chart's "now"). */
  get now(): number {
    return this.samples.at(-1)?.at ?? Date.now();
  }

  /**
   * Adds an answer. Seconds are keyed by the server's clock (`stats.at`), so the buckets line
   * up across polls whatever the browser's clock says; `receivedAt` stands in without it.
   */
  add(stats: StatsView, receivedAt: number): void {
    const stamped = toMs(stats.at);
    const at = Number.isFinite(stamped) ? stamped : receivedAt;
    this.lastStats = stats;
    const buckets = stats.throughput?.perSecond ?? [];
    const nowSecond = Math.floor(at / 1000);
    buckets.forEach((count, i) => {
      const n = nonNegative(count);
      if (n !== undefined) this.perSecond.set(nowSecond - (buckets.length - 1 - i), n);
    });
    const sample: StatsSample = { at, queued: nonNegative(stats.counts.queued) ?? 0 };
    const p50 = nonNegative(stats.latency?.p50Ms);
    const p99 = nonNegative(stats.latency?.p99Ms);
    if (p50 !== undefined) sample.p50 = p50;
    if (p99 !== undefined) sample.p99 = p99;
    this.samples.push(sample);
    this.forget(at);
  }

  /** Completions per second for each second of the window ending at `now`, oldest first. */
  throughput(now: number): number[] {
    const seconds = Math.floor(this.windowMs / 1000);
    const last = Math.floor(now / 1000);
    const out = new Array<number>(seconds);
    for (let i = 0; i < seconds; i++) out[i] = this.perSecond.get(last - seconds + 1 + i) ?? 0;
    return out;
  }

  /** The newest answer's queued task types that no live worker serves (strings only). */
  unservedTypes(): string[] {
    const types = this.lastStats?.queuedTypesWithoutWorker;
    return Array.isArray(types) ? types.filter((t): t is string => typeof t === 'string') : [];
  }

  /** Latency and depth samples inside the window, oldest first. */
  points(): readonly StatsSample[] {
    return this.samples;
  }

  /** Completions per second over the last `seconds` (the newest, partial one excluded). */
  recentRate(now: number, seconds = 10): number {
    const last = Math.floor(now / 1000) - 1;
    let sum = 0;
    for (let s = last - seconds + 1; s <= last; s++) sum += this.perSecond.get(s) ?? 0;
    return sum / seconds;
  }

  private forget(now: number): void {
    const from = now - this.windowMs;
    if (this.samples.length > 0 && this.samples[0].at < from)
      this.samples = this.samples.filter((s) => s.at >= from);
    const fromSecond = Math.floor(from / 1000);
    for (const second of this.perSecond.keys())
      if (second < fromSecond) this.perSecond.delete(second);
  }
}
