export interface LatencySummary {
  /** Latencies observed in the window (all of them, not only those sampled). */
  count: number;
  p50Ms: number | null;
  p99Ms: number | null;
}

interface Slot {
  second: number;
  seen: number;
  kept: number[];
}

/**
 * Latencies over a sliding window of whole seconds, for percentiles. Memory stays bounded at
 * any rate: each second keeps a uniform random sample of at most `perSecond` values (reservoir
 * sampling, Vitter's algorithm R), so a summary sorts at most windowSeconds * perSecond numbers.
 */
export class LatencyWindow {
  private readonly slots: Slot[];

  constructor(
    readonly windowSeconds = 60,
    private readonly perSecond = 500,
    private readonly random: () => number = Math.random,
  ) {
    this.slots = Array.from({ length: windowSeconds }, () => ({
      second: -Infinity,
      seen: 0,
      kept: [],
    }));
  }

  add(atMs: number, latencyMs: number): void {
    const second = Math.floor(atMs / 1000);
    const slot = this.slots[this.index(second)];
    if (slot.second > second) return;
    if (slot.second < second) {
      slot.second = second;
      slot.seen = 0;
      slot.kept = [];
    }
    slot.seen++;
    if (slot.kept.length < this.perSecond) {
      slot.kept.push(latencyMs);
    } else {
      const j = Math.floor(this.random() * slot.seen);
      if (j < this.perSecond) slot.kept[j] = latencyMs;
    }
  }

  summary(nowMs: number): LatencySummary {
    const now = Math.floor(nowMs / 1000);
    const oldest = now - this.windowSeconds + 1;
    let count = 0;
    const values: number[] = [];
    for (const slot of this.slots) {
      if (slot.second < oldest || slot.second > now) continue;
      count += slot.seen;
      values.push(...slot.kept);
    }
    values.sort((a, b) => a - b);
    return { count, p50Ms: percentile(values, 0.5), p99Ms: percentile(values, 0.99) };
  }

  private index(second: number): number {
    return ((second % this.windowSeconds) + this.windowSeconds) % this.windowSeconds;
  }
}

/** Nearest-rank percentile of sorted values; null when there are none. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(p * sorted.length)));
  return sorted[rank - 1];
}
