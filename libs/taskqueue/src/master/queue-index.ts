import { TaskRecord } from '../model/task-record';

import { IdLane, lowerBound } from './id-lane';

/**
 * Characters of an id that make its lane: `task-` and the 3 characters of its priority
 * (model/task-id.ts). Ids made before priorities have time characters there instead; they
 * sort the same way, since ids that differ in their first characters are ordered by those.
 */
const LANE_PREFIX = 8;

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
 * One sorted lane per priority (IdLane: an array with lazy removal, new ids appended), the
 * lanes in priority order: a task of any priority goes to the end of its own lane instead of
 * being spliced into the middle of one array holding the whole backlog (with priorities mixed,
 * that shifting was most of the leader's cost per task).
 */
export class QueueIndex {
  private readonly entries = new Map<string, QueuedTask>();
  private readonly lanes = new Map<string, IdLane>();
  /** The lanes' prefixes, sorted: the assignment order of the lanes. */
  private laneKeys: string[] = [];
  private readonly isLive = (id: string) => this.entries.has(id);
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
    this.lane(id).add(id);
    return true;
  }

  /** The lane of `id`, made when it is the first of its priority. */
  private lane(id: string): IdLane {
    const key = id.slice(0, LANE_PREFIX);
    let lane = this.lanes.get(key);
    if (lane === undefined) {
      lane = new IdLane(this.isLive);
      this.lanes.set(key, lane);
      this.laneKeys.splice(lowerBound(this.laneKeys, key), 0, key);
    }
    return lane;
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
    const key = id.slice(0, LANE_PREFIX);
    const lane = this.lanes.get(key);
    if (lane !== undefined) {
      lane.removed();
      if (lane.live <= 0) {
        // Its last task went: the lane goes, so a priority used once costs nothing after.
        this.lanes.delete(key);
        this.laneKeys.splice(lowerBound(this.laneKeys, key), 1);
      }
    }
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
    const freshByLane = new Map<string, string[]>();
    for (const id of fresh) {
      const key = id.slice(0, LANE_PREFIX);
      let list = freshByLane.get(key);
      if (list === undefined) freshByLane.set(key, (list = []));
      list.push(id);
    }
    for (const key of freshByLane.keys())
      if (!this.lanes.has(key)) {
        this.lanes.set(key, new IdLane(this.isLive));
        this.laneKeys.splice(lowerBound(this.laneKeys, key), 0, key);
      }
    for (const key of [...this.laneKeys]) {
      const lane = this.lanes.get(key)!;
      lane.rebuild(freshByLane.get(key) ?? []);
      if (lane.live === 0) {
        this.lanes.delete(key);
        this.laneKeys.splice(lowerBound(this.laneKeys, key), 1);
      }
    }
    return { added: fresh.length, removed };
  }

  /** Queued ids in assignment order (priority, then submit time), with what is known of each. */
  *inOrder(): IterableIterator<[string, QueuedTask]> {
    for (const key of [...this.laneKeys]) {
      const lane = this.lanes.get(key);
      if (lane === undefined) continue;
      for (const id of lane.inOrder()) yield [id, this.entries.get(id)!];
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
}

/** Where a listing of /tasks began (QueueIndex.beginListing). */
export interface ListingMark {
  readonly lastStay: number;
  readonly removed: Set<string>;
}
