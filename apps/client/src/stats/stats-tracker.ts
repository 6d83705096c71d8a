import type { ClusterEvent } from '@shepherd/taskqueue';
import { LatencySummary, LatencyWindow } from './latency-window';
import { SecondBuckets } from './second-buckets';
import { taskLatencyMs } from './task-latency';

export const STATS_WINDOW_SECONDS = 60;

/** Tasks that reached an end state while this app watched, by that state. */
export interface FinishedTally {
  done: number;
  failed: number;
  cancelled: number;
  dead: number;
}

export interface Throughput {
  windowSeconds: number;
  /** Tasks completed in each second of the window, oldest first; the last is the current one. */
  perSecond: number[];
  /** Completed in the whole window. */
  total: number;
  /** total / windowSeconds. */
  ratePerSecond: number;
}

export interface WindowStats {
  throughput: Throughput;
  latency: LatencySummary & { windowSeconds: number };
}

/**
 * What /stats derives from the event stream rather than from the tree: tallies since the app
 * started, completions per second and latency (finished - created) over the last minute.
 * Framework-free; fed one ClusterEvent at a time.
 */
export class StatsTracker {
  readonly startedAt: number;
  private readonly tally: FinishedTally = { done: 0, failed: 0, cancelled: 0, dead: 0 };
  private readonly completions = new SecondBuckets(STATS_WINDOW_SECONDS);
  private readonly latencies = new LatencyWindow(STATS_WINDOW_SECONDS);

  constructor(private readonly now: () => number = Date.now) {
    this.startedAt = now();
  }

  observe(event: ClusterEvent): void {
    switch (event.type) {
      case 'task.completed': {
        this.tally.done++;
        this.completions.add(event.at);
        const latency =
          event.taskId === undefined ? undefined : taskLatencyMs(event.taskId, event.at);
        if (latency !== undefined) this.latencies.add(event.at, latency);
        break;
      }
      case 'task.failed':
        // Also sent for a failed attempt that will be retried (the task stays queued).
        if (event.state === 'failed') this.tally.failed++;
        break;
      case 'task.cancelled':
        this.tally.cancelled++;
        break;
      case 'task.dead':
        this.tally.dead++;
        break;
      default:
        break;
    }
  }

  finished(): FinishedTally {
    return { ...this.tally };
  }

  window(): WindowStats {
    const now = this.now();
    const perSecond = this.completions.series(now);
    const total = perSecond.reduce((a, b) => a + b, 0);
    return {
      throughput: {
        windowSeconds: STATS_WINDOW_SECONDS,
        perSecond,
        total,
        ratePerSecond: Math.round((total / STATS_WINDOW_SECONDS) * 100) / 100,
      },
      latency: { windowSeconds: STATS_WINDOW_SECONDS, ...this.latencies.summary(now) },
    };
  }
}
