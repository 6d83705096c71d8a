/** The table's rows from the measured runs: medians over rounds and per-round ratios. */
import { median } from '../common/stats';
import type { RunResult } from '../throughput/run';
import { cpuByRole, sumCpu } from '../throughput/cpu-summary';
import { CellSpec, cellKey } from './cells';
import type { CellRuns } from './run-group';
import type { ScalingRow } from './table';

/** Median of the per-round ratios of `runs` to `base` (same round index), null without base. */
function ratio(runs: RunResult[], base: CellRuns | undefined): number | null {
  if (!base) return null;
  return median(runs.map((r, i) => r.tasksPerSec / base.runs[i].tasksPerSec));
}

export function scalingRows(cells: CellSpec[], measured: Map<string, CellRuns>): ScalingRow[] {
  return cells.map((c) => {
    const { label, runs } = measured.get(c.key)!;
    return {
      peer: c.peer,
      label,
      workers: c.workers,
      standbyMasters: c.standbyMasters,
      tasksPerSec: median(runs.map((r) => r.tasksPerSec)),
      p50Ms: median(runs.map((r) => r.p50Ms)),
      p99Ms: median(runs.map((r) => r.p99Ms)),
      cpuUsPerTask: median(runs.map(sumCpu)),
      cpuByRole: cpuByRole(runs),
      vsBullmq: ratio(runs, measured.get(cellKey('bullmq', c.workers))),
      vsNoStandby:
        c.standbyMasters > 0 ? ratio(runs, measured.get(cellKey('embedded', c.workers))) : null,
    };
  });
}
