import { BENCH_OPS, BenchOp } from './driver';
import { median, Summary } from '../common/stats';
import { markdownTable } from '../common/table';

/** Summaries per `${client}|${inFlight}|${op}`, one per round, in round order. */
export type Measurements = Map<`${string}|${number}|${BenchOp}`, Summary[]>;

/**
 * The README table: medians over rounds for each side, and the median of the
 * per-round ratios (a paired comparison, steadier than a ratio of medians when
 * the machine's speed drifts between rounds).
 */
export function clientTable(
  m: Measurements,
  [ours, peer]: readonly [string, string],
  inFlights: number[],
): { table: string; rows: (string | number)[][] } {
  const rows = inFlights.flatMap((inFlight) =>
    BENCH_OPS.map((op) => {
      const a = m.get(`${ours}|${inFlight}|${op}`)!;
      const b = m.get(`${peer}|${inFlight}|${op}`)!;
      const med = (runs: Summary[], f: (s: Summary) => number) => median(runs.map(f));
      const ratio = median(a.map((s, i) => s.opsPerSec / b[i].opsPerSec));
      const lat = (runs: Summary[]) =>
        `${med(runs, (s) => s.p50Ms).toFixed(2)} / ${med(runs, (s) => s.p99Ms).toFixed(2)}`;
      const cpu = (runs: Summary[]) => med(runs, (s) => s.cpuUsPerOp).toFixed(1);
      return [
        op,
        inFlight,
        med(a, (s) => s.opsPerSec).toFixed(0),
        med(b, (s) => s.opsPerSec).toFixed(0),
        ratio.toFixed(2),
        lat(a),
        lat(b),
        `${cpu(a)} / ${cpu(b)}`,
      ];
    }),
  );
  const headers = [
    'op',
    'in flight',
    'shepherd ops/s',
    'node-zookeeper-client ops/s',
    'ratio',
    'shepherd p50 / p99 ms',
    'node-zookeeper-client p50 / p99 ms',
    'client CPU µs/op (shepherd / nzk)',
  ];
  return { table: markdownTable(headers, rows), rows };
}
