/** The bench:scaling chart: tasks/s per worker count, one group of bars per peer. */
import { Bar, horizontalBarsSvg } from '../report/svg-bars';
import type { ScalingRow } from './table';

// The throughput chart's colours (Shepherd blue, BullMQ orange); the standby row a lighter blue.
const SHEPHERD = '#2b6cb0';
const STANDBY = '#63b3ed';
const BULLMQ = '#d9822b';

const workersText = (n: number) => `${n} worker${n === 1 ? '' : 's'}`;

export function scalingChartSvg(rows: ScalingRow[], cpus: number, concurrency: number): string {
  // Grouped by peer, then by worker count, so each peer's bars read as its scaling curve.
  const rank = (r: ScalingRow) => (r.peer === 'embedded' ? 0 : 1);
  const ordered = [...rows].sort(
    (a, b) => rank(a) - rank(b) || a.workers - b.workers || a.standbyMasters - b.standbyMasters,
  );
  const bars: Bar[] = ordered.map((r) => ({
    label:
      `${r.label}, ${workersText(r.workers)}` +
      (r.standbyMasters > 0 ? ` + ${r.standbyMasters} standby masters` : ''),
    value: r.tasksPerSec,
    colour: r.peer === 'bullmq' ? BULLMQ : r.standbyMasters > 0 ? STANDBY : SHEPHERD,
  }));
  const standby = rows.find((r) => r.standbyMasters > 0);
  return horizontalBarsSvg({
    title: `Tasks/s by worker processes (concurrency ${concurrency} each, ${cpus} cores)`,
    bars,
    format: (v) => `${Math.round(v).toLocaleString('en-US')} tasks/s`,
    legend:
      'Blue: Shepherd on the embedded coordinator' +
      (standby ? `; light blue: the same with ${standby.standbyMasters} standby masters` : '') +
      `; orange: BullMQ on Redis. No-op tasks, submit to completed, on ${cpus} cores.`,
  });
}
