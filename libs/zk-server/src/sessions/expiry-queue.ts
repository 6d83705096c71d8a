/**
 * Items grouped into fixed-width time buckets by deadline, after ZooKeeper's ExpiryQueue:
 * a deadline is rounded UP to the next multiple of the interval (the tick), so every item
 * gets a grace period of up to one tick and a whole bucket expires in one go.
 *
 * Pure data structure: the current time is passed in, never read, so the owner (the
 * SessionTracker with its injectable Clock) decides what "now" is.
 */
export class ExpiryQueue<T> {
  /** item -> bucket time it is in. */
  private readonly itemBucket = new Map<T, number>();
  /** bucket time -> its items, in insertion order. */
  private readonly buckets = new Map<number, Set<T>>();
  /** The next bucket poll() will hand out. */
  private nextExpirationTime: number;

  constructor(
    readonly expirationInterval: number,
    now: number,
  ) {
    if (!(expirationInterval > 0)) {
      throw new RangeError(`expiration interval must be positive, got ${expirationInterval}`);
    }
    this.nextExpirationTime = this.roundToNextInterval(now);
  }

  /** The first bucket boundary strictly after `time` (ExpiryQueue.roundToNextInterval). */
  roundToNextInterval(time: number): number {
    return (Math.floor(time / this.expirationInterval) + 1) * this.expirationInterval;
  }

  /**
   * Adds the item, or moves it to the bucket for now + timeout.
   * Returns the new bucket time, or undefined if the item was already in that bucket.
   */
  update(item: T, timeout: number, now: number): number | undefined {
    const prev = this.itemBucket.get(item);
    const next = this.roundToNextInterval(now + timeout);
    if (prev === next) return undefined;
    let set = this.buckets.get(next);
    if (!set) {
      set = new Set();
      this.buckets.set(next, set);
    }
    set.add(item);
    this.itemBucket.set(item, next);
    if (prev !== undefined) this.dropFromBucket(prev, item);
    return next;
  }

  /** Removes the item; returns the bucket time it was in, or undefined if absent. */
  remove(item: T): number | undefined {
    const prev = this.itemBucket.get(item);
    if (prev === undefined) return undefined;
    this.itemBucket.delete(item);
    this.dropFromBucket(prev, item);
    return prev;
  }

  /** The bucket time the item currently expires at. */
  expiryOf(item: T): number | undefined {
    return this.itemBucket.get(item);
  }

  has(item: T): boolean {
    return this.itemBucket.has(item);
  }

  get size(): number {
    return this.itemBucket.size;
  }

  /** Milliseconds until the next bucket is due; 0 if it is due already. */
  getWaitTime(now: number): number {
    return now < this.nextExpirationTime ? this.nextExpirationTime - now : 0;
  }

  /**
   * If the next bucket is due, removes and returns its items and moves on to the following
   * bucket; otherwise returns an empty set. Like ZooKeeper, one call hands out ONE bucket:
   * call again while getWaitTime(now) is 0 to catch up after a long pause.
   * Unlike ZooKeeper, the items are also forgotten (ZooKeeper keeps them in elemMap until
   * remove()), so has() is false for an expired item.
   */
  poll(now: number): Set<T> {
    if (now < this.nextExpirationTime) return new Set();
    const due = this.nextExpirationTime;
    this.nextExpirationTime = due + this.expirationInterval;
    const set = this.buckets.get(due);
    if (!set) return new Set();
    this.buckets.delete(due);
    for (const item of set) this.itemBucket.delete(item);
    return set;
  }

  /** Bucket time -> items, sorted by time (ExpiryQueue.getExpiryMap, for the dump 4lw). */
  expiryMap(): Map<number, T[]> {
    const out = new Map<number, T[]>();
    for (const time of [...this.buckets.keys()].sort((a, b) => a - b)) {
      const set = this.buckets.get(time);
      if (set && set.size > 0) out.set(time, [...set]);
    }
    return out;
  }

  private dropFromBucket(time: number, item: T): void {
    const set = this.buckets.get(time);
    if (!set) return;
    set.delete(item);
    // ZooKeeper leaves empty sets for poll() to collect; an empty set that was already polled
    // past would never be collected, so drop it here.
    if (set.size === 0) this.buckets.delete(time);
  }
}
