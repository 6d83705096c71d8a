import { QueueSettings } from '../queues/queue-settings';
import { groupKey } from './worker-roster';

/**
 * The leader's per-type limits for one assignment round: pure, so the rule is unit-tested
 * without ZooKeeper. A type that is paused, at its concurrency cap or out of its rate window is
 * refused, and the planner skips its tasks (they keep their place) and goes on with the rest
 * of the queue: a blocked type never holds back other types. In the same way a group at its
 * type's groupConcurrency is refused while the other groups of the type go on: a busy group
 * never holds back the others (BullMQ Pro's group concurrency, Hatchet's concurrency keys).
 */
export class QueueGate {
  private readonly taken = new Map<string, number>();
  /** Planned this round per groupKey(type, group), for types with a groupConcurrency. */
  private readonly takenInGroup = new Map<string, number>();
  /** Per rate-limited type: its start times and where its window begins (see window()). */
  private readonly windows = new Map<string, { times: readonly number[]; from: number }>();
  /** Earliest time a type refused for its rate limit may start again. */
  private retryAt = Infinity;

  constructor(
    private readonly settings: ReadonlyMap<string, QueueSettings>,
    /** Tasks of a type assigned or running now (known assignments and commits in flight). */
    private readonly active: (type: string) => number,
    /** Start times of the type's recent assignments, oldest first. */
    private readonly starts: (type: string) => readonly number[],
    private readonly now: number,
    /** Tasks of a type's group assigned or running now (known and in flight). */
    private readonly activeInGroup: (type: string, group: string) => number = () => 0,
  ) {}

  /** When a rate-limited type may start again (Infinity: none is waiting on its window). */
  get nextAllowedAt(): number {
    return this.retryAt;
  }

  /** Whether one more task of `type` (in `group`, if it has one) may be assigned this round. */
  allows(type: string, group?: string): boolean {
    const s = this.settings.get(type);
    if (s === undefined) return true;
    if (s.paused) return false;
    const taken = this.taken.get(type) ?? 0;
    if (s.concurrency != null && this.active(type) + taken >= s.concurrency) return false;
    if (s.groupConcurrency != null && group !== undefined) {
      const inGroup = this.takenInGroup.get(groupKey(type, group)) ?? 0;
      if (this.activeInGroup(type, group) + inGroup >= s.groupConcurrency) return false;
    }
    if (s.rateLimit != null) {
      const { max, perMs } = s.rateLimit;
      const { times, from } = this.window(type, perMs);
      const recent = times.length - from;
      if (recent + taken >= max) {
        // A slot opens when enough of the window's starts have left it.
        const k = recent + taken - max;
        if (k < recent) this.retryAt = Math.min(this.retryAt, times[from + k] + perMs + 1);
        return false;
      }
    }
    return true;
  }

  /**
   * The type's start times and the first of them inside the window, found once per round: the
   * gate is asked about every task the round looks at, and a type that is not at its limit may
   * have thousands of starts in its window (no copying, a binary search).
   */
  private window(type: string, perMs: number): { times: readonly number[]; from: number } {
    let w = this.windows.get(type);
    if (w === undefined) {
      const times = this.starts(type);
      w = { times, from: firstAfter(times, this.now - perMs) };
      this.windows.set(type, w);
    }
    return w;
  }

  /** Counts one planned assignment of `type` (and `group`). */
  take(type: string, group?: string): void {
    const s = this.settings.get(type);
    if (s === undefined) return;
    this.taken.set(type, (this.taken.get(type) ?? 0) + 1);
    if (s.groupConcurrency != null && group !== undefined) {
      const key = groupKey(type, group);
      this.takenInGroup.set(key, (this.takenInGroup.get(key) ?? 0) + 1);
    }
  }
}

/** First index of sorted `times` holding a time later than `after`. */
function firstAfter(times: readonly number[], after: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid] <= after) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Start times of recent assignments per type, for rate limits: kept by the leader only, so a
 * new leader starts counting afresh (see docs/design.md). Expired starts are dropped from the
 * front in bulk (not one splice per lookup), so recent() may still hand back a few of them
 * ahead of the window: callers look for the window's start (QueueGate does).
 */
export class StartLog {
  private readonly byType = new Map<string, number[]>();

  record(type: string, at: number): void {
    let list = this.byType.get(type);
    if (list === undefined) this.byType.set(type, (list = []));
    list.push(at);
  }

  /** The starts, oldest first: all those within the last `windowMs`, maybe a few older. */
  recent(type: string, now: number, windowMs: number): readonly number[] {
    const list = this.byType.get(type);
    if (list === undefined) return [];
    const expired = firstAfter(list, now - windowMs);
    if (expired === list.length) {
      this.byType.delete(type);
      return [];
    }
    // Cut the expired head once it is a good part of the list: amortized O(1) per start.
    if (expired > 64 && expired * 2 > list.length) list.splice(0, expired);
    return list;
  }
}
