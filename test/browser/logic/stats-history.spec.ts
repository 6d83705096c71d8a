import { StatsHistory } from '../../../apps/client/dashboard/src/stats-history';
import type { StatsView } from '../../../apps/client/dashboard/src/wire';

function stats(atMs: number, perSecond: number[], p50: number | null = 10): StatsView {
  return {
    at: new Date(atMs).toISOString(),
    counts: { queued: 5, assigned: 0, running: 1, finished: 2, dead: 0 },
    throughput: { windowSeconds: perSecond.length, perSecond, total: 0, ratePerSecond: 0 },
    latency: { windowSeconds: 60, count: 1, p50Ms: p50, p99Ms: p50 === null ? null : p50 * 2 },
  };
}

describe('StatsHistory', () => {
  const t0 = Date.UTC(2026, 0, 1, 12, 0, 0);

  it('lays overlapping polls of per-second buckets on one timeline, by the server clock', () => {
    const h = new StatsHistory(10_000);
    h.add(stats(t0, [1, 2, 3]), 0);
    h.add(stats(t0 + 2000, [3, 4, 5]), 0); // seconds t0, t0+1 (corrected), t0+2
    expect(h.throughput(t0 + 2000).slice(-5)).toEqual([1, 2, 3, 4, 5]);
    expect(h.now).toBe(t0 + 2000);
    expect(h.recentRate(t0 + 2000, 2)).toBe((3 + 4) / 2);
  });

  it('keeps latency samples inside the window only, and skips unknown percentiles', () => {
    const h = new StatsHistory(10_000);
    h.add(stats(t0, [], null), 0);
    h.add(stats(t0 + 5000, [], 20), 0);
    h.add(stats(t0 + 12_000, [], 30), 0);
    expect(h.points().map((p) => [p.at, p.p50, p.p99])).toEqual([
      [t0 + 5000, 20, 40],
      [t0 + 12_000, 30, 60],
    ]);
  });

  it("gives the newest answer's queued types that no worker serves, strings only", () => {
    const h = new StatsHistory(10_000);
    expect(h.unservedTypes()).toEqual([]);
    h.add({ ...stats(t0, []), queuedTypesWithoutWorker: ['resize', 7 as never, 'thumb'] }, 0);
    expect(h.unservedTypes()).toEqual(['resize', 'thumb']);
    h.add(stats(t0 + 2000, []), 0); // an older server: no such field
    expect(h.unservedTypes()).toEqual([]);
  });
});
