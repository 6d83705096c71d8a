/** Holes at the front of a lane tolerated before they are cut off. */
const LEADING_HOLES_KEPT = 256;

/**
 * One sorted run of queued ids (those sharing a priority: QueueIndex keeps one lane per id
 * prefix), with lazy removal: a removed id stays in the array as a hole until holes outnumber
 * ids, so assigning from the front costs no shifting. Within a priority ids come in submit
 * order, so a new id is almost always the greatest of its lane and is appended; a task queued
 * again under its id goes in by binary search, into a hole next to its place when there is one
 * (assigning leaves holes at the front, where such ids land), or else by shifting the ids after
 * it, in its lane only.
 */
export class IdLane {
  private ids: string[] = [];
  private holes = 0;
  /** Ids in the lane that are not holes. */
  live = 0;

  constructor(private readonly isLive: (id: string) => boolean) {}

  /** Adds an id not in the lane (or there as a hole of an earlier stay). */
  add(id: string): void {
    this.live++;
    const ids = this.ids;
    if (ids.length === 0 || ids[ids.length - 1] < id) {
      ids.push(id);
      return;
    }
    const at = lowerBound(ids, id);
    if (ids[at] === id) {
      this.holes--; // a hole of its earlier stay: filled again
    } else if (at < ids.length && !this.isLive(ids[at])) {
      // A hole right at its place (ids[at - 1] < id < the hole): taken over, no shifting.
      ids[at] = id;
      this.holes--;
    } else if (at > 0 && !this.isLive(ids[at - 1])) {
      // Or right before it.
      ids[at - 1] = id;
      this.holes--;
    } else {
      ids.splice(at, 0, id);
    }
  }

  /** An id of the lane was removed (isLive says so now): it is a hole until compaction. */
  removed(): void {
    this.live--;
    this.holes++;
    if (this.holes > 1024 && this.holes * 2 > this.ids.length) this.compact();
  }

  /** Replaces the lane's ids with the live ones merged with `fresh` (sorted, new to the lane). */
  rebuild(fresh: readonly string[]): void {
    this.ids = mergeSorted(
      this.ids.filter((id) => this.isLive(id)),
      fresh,
    );
    this.holes = 0;
    this.live = this.ids.length;
  }

  /** The live ids in order. */
  *inOrder(): IterableIterator<string> {
    // Assigning takes from the front, so holes gather there: drop them in one go rather than
    // stepping over them on every round.
    let start = 0;
    while (start < this.ids.length && !this.isLive(this.ids[start])) start++;
    if (start > LEADING_HOLES_KEPT) {
      this.ids.splice(0, start);
      this.holes -= start;
      start = 0;
    }
    for (let i = start; i < this.ids.length; i++) {
      const id = this.ids[i];
      if (this.isLive(id)) yield id;
    }
  }

  private compact(): void {
    this.ids = this.ids.filter((id) => this.isLive(id));
    this.holes = 0;
  }
}

/** First index whose id is >= `id`. */
export function lowerBound(ids: readonly string[], id: string): number {
  let lo = 0;
  let hi = ids.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ids[mid] < id) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function mergeSorted(a: readonly string[], b: readonly string[]): string[] {
  if (b.length === 0) return [...a];
  if (a.length === 0) return [...b];
  const out = new Array<string>(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) out[k++] = a[i] <= b[j] ? a[i++] : b[j++];
  while (i < a.length) out[k++] = a[i++];
  while (j < b.length) out[k++] = b[j++];
  return out;
}
