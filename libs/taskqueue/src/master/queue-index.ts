import { TaskRecord } from '../model/task-record';

/** Holes at the front of the array tolerated before they are cut off. */
const LEADING_HOLES_KEPT = 256;

/** What the leader knows of one queued task. */
export interface QueuedTask {
  /**
   * Which stay in /tasks this is: a task that leaves and comes back (retry, hand-back) is a new
   * stay, so a read that belongs to an earlier one is not applied.
   */
  readonly stay: number;
  /** Set once the record was read. */
  read: boolean;
  type?: string;
  /** The task's group, for per-group limits (SubmitOptions.group). */
  group?: string;
  notBefore?: number;
  /** The record could not be decoded: never assigned (it is logged once). */
  corrupt?: boolean;
  /** Part of an assignment commit still in flight: not planned again until it settles. */
  assigning?: boolean;
  /** Cached record and its version, for tasks about to be assigned (bounded by prefetch). */
  record?: TaskRecord;
  version?: number;
}

/**
 * The leader's index of /tasks: every queued id in assignment order, plus what was learned by
 * reading some of them. Ids sort by priority (descending) and then submit time (model/task-id.ts),
 * so the plain string order is the assignment order, learned from names alone; a task queued
 * again under its id keeps its place. 100,000 ids cost a few MB; payloads are cached only for
 * the few tasks about to be assigned.
 *
 * A sorted array with lazy removal: a removed id stays in the array as a hole until holes
 * outnumber ids, so assigning from the front costs no shifting. With one priority in use (the
 * common case) a new id is greater than all others and is appended; an id of a higher priority
 * goes in by binary search, into a hole next to its place when there is one (assigning leaves
 * holes at the front, where such ids land), or else by shifting the ids after it.
 */
export class QueueIndex {
  private ids: string[] = [];
  private readonly entries = new Map<string, QueuedTask>();
  private holes = 0;
  private stays = 0;
  private cachedRecords = 0;
  /** Listings in progress: what changed while they were read. */
  private readonly listings = new Set<ListingMark>();

  /** Queued tasks known. */
  get size(): number {
    return this.entries.size;
  }

  /** Records held in memory. */
  get cached(): number {
    return this.cachedRecords;
  }

  /** Queued tasks per type among those read; `unread`: those whose type is not known yet. */
  typeCounts(): { byType: Map<string, number>; unread: number } {
    const byType = new Map<string, number>();
    let unread = 0;
    for (const entry of this.entries.values()) {
      if (entry.type === undefined) unread++;
      else byType.set(entry.type, (byType.get(entry.type) ?? 0) + 1);
    }
    return { byType, unread };
  }

  has(id: string): boolean {
    return this.entries.has(id);
  }

  get(id: string): QueuedTask | undefined {
    return this.entries.get(id);
  }

  /** Adds a queued id; false if it was already there. */
  add(id: string): boolean {
    if (this.entries.has(id)) return false;
    this.entries.set(id, { stay: ++this.stays, read: false });
    const ids = this.ids;
    if (ids.length === 0 || ids[ids.length - 1] < id) {
      ids.push(id);
      return true;
    }
    const at = lowerBound(ids, id);
    if (ids[at] === id) {
      this.holes--; // a hole of its earlier stay: filled again
    } else if (at < ids.length && !this.entries.has(ids[at])) {
      // A hole right at its place (ids[at - 1] < id < the hole): taken over, no shifting.
      ids[at] = id;
      this.holes--;
    } else if (at > 0 && !this.entries.has(ids[at - 1])) {
      // Or right before it.
      ids[at - 1] = id;
      this.holes--;
    } else {
      ids.splice(at, 0, id);
    }
    return true;
  }

  /**
   * Removes an id (assigned, cancelled...); false if it was not there. With `stay`, only that
   * stay: a late reply about an earlier stay must not drop the task queued again since.
   */
  remove(id: string, stay?: number): boolean {
    const entry = this.entries.get(id);
    if (entry === undefined || (stay !== undefined && entry.stay !== stay)) return false;
    if (entry.record !== undefined) this.cachedRecords--;
    this.entries.delete(id);
    for (const mark of this.listings) mark.removed.add(id);
    this.holes++;
    if (this.holes > 1024 && this.holes * 2 > this.ids.length) this.compact();
    return true;
  }

  /**
   * Call before listing /tasks; pass the mark to sync(). A listing is several reads, and watch
   * events arrive while it is read: the mark tells sync() which ids events added meanwhile
   * (kept though the listing may predate them) and which they removed (not brought back by a
   * listing that predates the removal).
   */
  beginListing(): ListingMark {
    const mark: ListingMark = { lastStay: this.stays, removed: new Set() };
    this.listings.add(mark);
    return mark;
  }

  /** A listing that failed: stop tracking changes for it. */
  abandonListing(mark: ListingMark): void {
    this.listings.delete(mark);
  }

  /**
   * Reconciles the index with a full listing of /tasks (at takeover, after a reconnect): ids
   * neither listed nor added since the mark go, listed ids not removed since the mark come;
   * what is known of the others is kept.
   */
  sync(listing: Iterable<string>, mark: ListingMark): { added: number; removed: number } {
    this.listings.delete(mark);
    const listed = new Set(listing);
    let removed = 0;
    for (const [id, entry] of [...this.entries]) {
      if (!listed.has(id) && entry.stay <= mark.lastStay) {
        this.remove(id);
        removed++;
      }
    }
    const fresh = [...listed].filter((id) => !this.entries.has(id) && !mark.removed.has(id)).sort();
    for (const id of fresh) this.entries.set(id, { stay: ++this.stays, read: false });
    this.ids = mergeSorted(
      this.ids.filter((id) => this.entries.has(id)),
      fresh,
    );
    this.holes = 0;
    return { added: fresh.length, removed };
  }

  /** Queued ids in assignment order (priority, then submit time), with what is known of each. */
  *inOrder(): IterableIterator<[string, QueuedTask]> {
    // Assigning takes from the front, so holes gather there: drop them in one go rather than
    // stepping over them on every round.
    let start = 0;
    while (start < this.ids.length && !this.entries.has(this.ids[start])) start++;
    if (start > LEADING_HOLES_KEPT) {
      this.ids.splice(0, start);
      this.holes -= start;
      start = 0;
    }
    for (let i = start; i < this.ids.length; i++) {
      const id = this.ids[i];
      const entry = this.entries.get(id);
      if (entry !== undefined) yield [id, entry];
    }
  }

  /**
   * Records what a read of `id` found, if it is still the same stay. `keepRecord` caches the
   * record itself (bounded by the caller); otherwise only its type and due time are kept.
   */
  learn(
    id: string,
    stay: number,
    found: { record: TaskRecord; version: number } | 'corrupt',
    keepRecord: boolean,
  ): boolean {
    const entry = this.entries.get(id);
    if (entry === undefined || entry.stay !== stay) return false;
    entry.read = true;
    if (found === 'corrupt') {
      entry.corrupt = true;
      this.dropRecord(entry);
      return true;
    }
    entry.type = found.record.type;
    entry.group = found.record.options.group;
    entry.notBefore = found.record.notBefore;
    if (keepRecord) {
      if (entry.record === undefined) this.cachedRecords++;
      entry.record = found.record;
      entry.version = found.version;
    } else {
      this.dropRecord(entry);
    }
    return true;
  }

  /** Forgets the cached record of `id` (e.g. its version turned out stale). */
  forgetRecord(id: string): void {
    const entry = this.entries.get(id);
    if (entry !== undefined) this.dropRecord(entry);
  }

  /**
   * Forgets everything read (after a reconnect: a task may have left and come back unseen,
   * with the same name and version 0, so nothing read before can be trusted).
   */
  forgetReads(): void {
    for (const [id, entry] of this.entries) {
      if (entry.read || entry.record !== undefined)
        this.entries.set(id, { stay: ++this.stays, read: false });
    }
    this.cachedRecords = 0;
  }

  private dropRecord(entry: QueuedTask): void {
    if (entry.record === undefined) return;
    entry.record = undefined;
    entry.version = undefined;
    this.cachedRecords--;
  }

  private compact(): void {
    this.ids = this.ids.filter((id) => this.entries.has(id));
    this.holes = 0;
  }
}

/** Where a listing of /tasks began (QueueIndex.beginListing). */
export interface ListingMark {
  readonly lastStay: number;
  readonly removed: Set<string>;
}

/** First index whose id is >= `id`. */
function lowerBound(ids: readonly string[], id: string): number {
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
