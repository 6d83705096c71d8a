/** CPU per task over rounds, as every end-to-end table shows it. */
import { median } from '../common/stats';
import type { RunResult } from './run';

/** CPU µs per task of all of a peer's processes together, in one run. */
export const sumCpu = (r: RunResult): number =>
  Object.values(r.cpuUsPerTask).reduce((a, b) => a + b, 0);

/** "coordinator 90, master 44, worker 68": the median per role over the runs. */
export function cpuByRole(runs: RunResult[]): string {
  return Object.keys(runs[0].cpuUsPerTask)
    .map((role) => `${role} ${Math.round(median(runs.map((r) => r.cpuUsPerTask[role])))}`)
    .join(', ');
}
