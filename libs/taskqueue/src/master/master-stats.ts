/** What a master reports about itself (`Master.stats()`), e.g. for a health or metrics endpoint. */
export interface MasterStats {
  isLeader: boolean;
  /** When this master last became the leader (ms since the epoch); null while it is a backup. */
  leaderSince: number | null;
  /** Assignments committed. */
  assigned: number;
  /** Assignments of lost workers moved back to /tasks (or to /dead). */
  recovered: number;
  /** Terminal records removed by retention. */
  pruned: number;
  /** Items of a batch refused by ZooKeeper (the task or worker changed meanwhile). */
  rejected: number;
  /** Queued tasks the leader knows of. */
  queueDepth: number;
  /** Live workers the leader knows of. */
  workers: number;
  /** Tasks assigned to workers (assigned or running), as the leader knows them. */
  inFlight: number;
}

/** The counters a master keeps across leadership terms. */
export class MasterCounters {
  assigned = 0;
  recovered = 0;
  pruned = 0;
  rejected = 0;
  leaderSince: number | null = null;
}
