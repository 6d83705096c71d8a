/** Latency samples in nanoseconds, summarised the way the README tables report them. */
export interface Summary {
  ops: number;
  seconds: number;
  opsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  cpuUsPerOp: number;
}

export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

export function summarise(latenciesNs: Float64Array, elapsedNs: number, cpuUs: number): Summary {
  const sorted = Float64Array.from(latenciesNs).sort();
  const seconds = elapsedNs / 1e9;
  return {
    ops: latenciesNs.length,
    seconds,
    opsPerSec: latenciesNs.length / seconds,
    p50Ms: percentile(sorted, 50) / 1e6,
    p99Ms: percentile(sorted, 99) / 1e6,
    cpuUsPerOp: cpuUs / latenciesNs.length,
  };
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
