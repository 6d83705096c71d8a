import { MAX_LIST_LIMIT, type TaskQueueClient } from '@shepherd/taskqueue';
import { servingTypes } from '../cluster/live-workers';

/** Tasks by where they are now. */
export interface TaskCounts {
  /** Flow tasks waiting for their dependencies (/waiting). */
  waiting: number;
  queued: number;
  assigned: number;
  running: number;
  finished: number;
  dead: number;
}

/** What /stats and /metrics read from the tree. */
export interface ClusterSnapshot {
  counts: TaskCounts;
  workers: number;
  masters: number;
  leader: string | null;
  /** The task types the live workers take ("*": any; see servingTypes). */
  servingTypes: ReadonlySet<string>;
  /** When the read began and when it ended (ms since the epoch). */
  startedAt: number;
  readAt: number;
}

/**
 * Reads the cluster's sizes cheaply whatever the backlog: the areas are counted with
 * getAllChildrenNumber (TaskQueueClient.counts), never listed; only the in-flight records are
 * read, to tell running from assigned, and there are at most as many as the workers' total
 * concurrency. Callers within `ttlMs` of a read share it, and concurrent callers share the read
 * in progress, so many dashboards polling cost one read a second.
 */
export class ClusterSnapshotReader {
  private cached: ClusterSnapshot | undefined;
  private pending: Promise<ClusterSnapshot> | undefined;

  constructor(
    private readonly tasks: TaskQueueClient,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** The last snapshot read, however old (undefined before the first). */
  get last(): ClusterSnapshot | undefined {
    return this.cached;
  }

  read(): Promise<ClusterSnapshot> {
    if (this.cached && this.now() - this.cached.readAt < this.ttlMs)
      return Promise.resolve(this.cached);
    this.pending ??= this.readNow().finally(() => (this.pending = undefined));
    return this.pending;
  }

  private async readNow(): Promise<ClusterSnapshot> {
    const startedAt = this.now();
    const [counts, running, workers, masters] = await Promise.all([
      this.tasks.counts(),
      this.tasks.list({ state: 'running', limit: MAX_LIST_LIMIT }),
      this.tasks.workers(),
      this.tasks.masters(),
    ]);
    // Read one after the other, the two may disagree for a moment: never below zero.
    const runningCount = Math.min(running.items.length, counts.inFlight);
    this.cached = {
      counts: {
        waiting: counts.waiting,
        queued: counts.queued,
        assigned: counts.inFlight - runningCount,
        running: runningCount,
        finished: counts.finished,
        dead: counts.dead,
      },
      workers: workers.length,
      masters: masters.candidates.length,
      leader: masters.leader,
      servingTypes: servingTypes(workers),
      startedAt,
      readAt: this.now(),
    };
    return this.cached;
  }
}
