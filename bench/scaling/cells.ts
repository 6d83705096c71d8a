/** What bench:scaling measures: one cell per peer and setup, grouped by worker count. */
import { STANDBY_WORKERS, ScalingArgs, ScalingPeer } from './scaling-args';

/** One measured setup: a peer with its worker processes (and, for Shepherd, standby masters). */
export interface CellSpec {
  /** "embedded/2", "bullmq/2", "embedded/2+16" (16 standby masters). */
  key: string;
  peer: ScalingPeer;
  workers: number;
  standbyMasters: number;
}

export const cellKey = (peer: ScalingPeer, workers: number, standbyMasters = 0): string =>
  `${peer}/${workers}${standbyMasters > 0 ? `+${standbyMasters}` : ''}`;

const cell = (peer: ScalingPeer, workers: number, standbyMasters = 0): CellSpec => ({
  key: cellKey(peer, workers, standbyMasters),
  peer,
  workers,
  standbyMasters,
});

/**
 * One group per worker count, in the list's order. A group's peers run side by side in the same
 * rounds, so its ratios are per round under the same load; its processes are stopped before the
 * next group starts (8 workers a side of idle processes would still cost the 1-worker runs). The
 * standby setup joins the 2-worker group, right after the Shepherd row it is read against.
 */
export function scalingGroups(args: ScalingArgs): CellSpec[][] {
  return args.workersList.map((w) => {
    const group: CellSpec[] = [];
    if (args.peers.includes('embedded')) {
      group.push(cell('embedded', w));
      if (w === STANDBY_WORKERS && args.standbyMasters > 0)
        group.push(cell('embedded', w, args.standbyMasters));
    }
    if (args.peers.includes('bullmq')) group.push(cell('bullmq', w));
    return group;
  });
}
