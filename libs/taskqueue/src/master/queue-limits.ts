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
      const recent = this.starts(type).filter((t) => t > this.now - perMs);
      if (recent.length + taken >= max) {
        // A slot opens when enough of the window's starts have left it.
        const k = recent.length + taken - max;
        if (k < recent.length) this.retryAt = Math.min(this.retryAt, recent[k] + perMs + 1);
        return false;
      }
    }
    return true;
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

/**
 * Start times of recent assignments per type, for rate limits: kept by the leader only, so a
 * new leader starts counting afresh (see docs/design.md).
 */
export class StartLog {
  private readonly byType = new Map<string, number[]>();

  record(type: string, at: number): void {
    let list = this.byType.get(type);
    if (list === undefined) this.byType.set(type, (list = []));
    list.push(at);
  }

  /** Starts within the last `windowMs` (older ones are dropped). */
  recent(type: string, now: number, windowMs: number): readonly number[] {
    const list = this.byType.get(type);
    if (list === undefined) return [];
    let i = 0;
    while (i < list.length && list[i] <= now - windowMs) i++;
    if (i > 0) list.splice(0, i);
    if (list.length === 0) this.byType.delete(type);
    return list;
  }
}
