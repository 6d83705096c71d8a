import { median, Summary } from '../common/stats';
import { markdownTable } from '../common/table';
import { COORDINATOR_OPS, CoordinatorOp } from './workload';

/** A round's summary plus the server's own CPU time per operation (from /proc). */
export interface RoundResult extends Summary {
  serverCpuUsPerOp: number;
}

/** Results per `${server}|${connections}|${inFlight}|${op}`, one per round, in round order. */
export type Measurements = Map<string, RoundResult[]>;

export const key = (server: string, connections: number, inFlight: number, op: CoordinatorOp) =>
  `${server}|${connections}|${inFlight}|${op}`;

export interface TableRow {
  op: CoordinatorOp;
  connections: number;
  inFlight: number;
  coordinatorOpsPerSec: number;
  zookeeperOpsPerSec: number;
  /** Median over rounds of coordinator ops/s / ZooKeeper ops/s of the same round. */
  ratio: number;
  coordinatorP50Ms: number;
  coordinatorP99Ms: number;
  zookeeperP50Ms: number;
  zookeeperP99Ms: number;
  coordinatorCpuUsPerOp: number;
  zookeeperCpuUsPerOp: number;
}

/**
 * The table: per op, connection count and requests in flight, medians over rounds of
 * each server, and the median of the per-round ratios (a paired comparison: both servers were
 * measured back to back in each round, so drift of a shared machine cancels out).
 */
export function coordinatorTable(
  m: Measurements,
  [ours, peer]: readonly [string, string],
  connections: number[],
  inFlights: number[],
): { table: string; rows: TableRow[] } {
  const rows: TableRow[] = [];
  for (const conns of connections)
    for (const inFlight of inFlights)
      for (const op of COORDINATOR_OPS) {
        const a = m.get(key(ours, conns, inFlight, op));
        const b = m.get(key(peer, conns, inFlight, op));
        if (!a || !b) continue;
        const med = (runs: RoundResult[], f: (s: RoundResult) => number) => median(runs.map(f));
        rows.push({
          op,
          connections: conns,
          inFlight,
          coordinatorOpsPerSec: med(a, (s) => s.opsPerSec),
          zookeeperOpsPerSec: med(b, (s) => s.opsPerSec),
          ratio: median(a.map((s, i) => s.opsPerSec / b[i].opsPerSec)),
          coordinatorP50Ms: med(a, (s) => s.p50Ms),
          coordinatorP99Ms: med(a, (s) => s.p99Ms),
          zookeeperP50Ms: med(b, (s) => s.p50Ms),
          zookeeperP99Ms: med(b, (s) => s.p99Ms),
          coordinatorCpuUsPerOp: med(a, (s) => s.serverCpuUsPerOp),
          zookeeperCpuUsPerOp: med(b, (s) => s.serverCpuUsPerOp),
        });
      }
  const headers = [
    'op',
    'connections',
    'in flight',
    'coordinator ops/s',
    'ZooKeeper ops/s',
    'ratio',
    'coordinator p50 / p99 ms',
    'ZooKeeper p50 / p99 ms',
    'server CPU µs/op (coord / ZK)',
  ];
  const lat = (p50: number, p99: number) => `${p50.toFixed(2)} / ${p99.toFixed(2)}`;
  const cells = rows.map((r) => [
    r.op,
    r.connections,
    r.inFlight,
    r.coordinatorOpsPerSec.toFixed(0),
    r.zookeeperOpsPerSec.toFixed(0),
    r.ratio.toFixed(2),
    lat(r.coordinatorP50Ms, r.coordinatorP99Ms),
    lat(r.zookeeperP50Ms, r.zookeeperP99Ms),
    `${r.coordinatorCpuUsPerOp.toFixed(0)} / ${r.zookeeperCpuUsPerOp.toFixed(0)}`,
  ]);
  return { table: markdownTable(headers, cells), rows };
}
