import { Subscription } from 'rxjs';
import { AddWatchMode, EventType, WatcherType } from '@shepherd/zk-protocol';
import { TimerHandle, WatchedEvent, ZooKeeperClient } from '@shepherd/zk-client';
import { bucketOf } from '../layout/buckets';
import { ROOTS, locate, paths } from '../layout/paths';
import { compareSubmitOrder, isTaskId } from '../model/task-id';
import { ClientContext, ListCacheOptions } from './client-options';
import { ListedFolder } from './newest-first';
import { selectNewest } from './select-newest';

const DEFAULT_SIZE = 10_000;
const DEFAULT_IDLE_MS = 60_000;

/** What a listing of /status gets from the window. */
export interface StatusListing {
  folders: ListedFolder[];
  /**
   * Undefined: `folders` hold every name in /status. Otherwise they hold every name at or after
   * this id in submit order and none before it: older ones must be listed from the server.
   */
  floor?: string;
}

type Phase =
  /** No watch on the session. */
  | 'off'
  /** Watch set, window not (or no longer) right: the next listing rebuilds it. */
  | 'stale'
  /** A listing from the server is building the window; notifications wait in `pending`. */
  | 'seeding'
  | 'warm';

const noop = (): void => undefined;

/**
 * The names of the newest terminal records (/status), kept current by one PERSISTENT_RECURSIVE
 * watch on /status: Curator's CuratorCache idea, limited to the window a "newest first" page
 * needs. Listing /status reads every name it holds (26 MB for a million records, about a
 * second); with the window warm, a first page reads only its own records.
 *
 * - Started by the first listing that needs /status, which lists the server (the watch set
 *   first) and keeps the newest `size` names; notifications that came meanwhile are applied
 *   after, in order (the last change of a name decides, so one seen twice does no harm).
 * - Exact: the window holds every name in /status at or after its floor. A creation older
 *   than the floor is ignored, a deletion removes; the window is trimmed back to `size` (the
 *   floor moves up) when it has doubled. Pages that go past the floor list the server.
 * - Current: each use first makes a round trip on the watch's connection (exists /status).
 *   ZooKeeper delivers a notification before the reply of any later request on the same
 *   connection (Programmer's Guide, "ZooKeeper Watches": a client sees the event before the
 *   new data), so every change the server had applied by then is in the window.
 * - A persistent watch does not replay what happened while disconnected (the client re-sets
 *   it on reconnect, with nothing missed reported): a disconnect makes the window stale, and
 *   the next listing rebuilds it from the server. A new session sets the watch again.
 * - Idle for `idleMs`: the watch is removed, so a client that listed once does not keep
 *   receiving one notification per finished task.
 */
export class StatusWindow {
  private readonly size: number;
  private readonly idleMs: number;
  private phase: Phase = 'off';
  private client: ZooKeeperClient | undefined;
  private watcher: ((e: WatchedEvent) => void) | undefined;
  /** Oldest first (compareSubmitOrder). */
  private ids: string[] = [];
  private floor: string | undefined;
  private pending: WatchedEvent[] = [];
  /** Bumped whenever the window stops being right, so a seeding started before is dropped. */
  private epoch = 0;
  private idleTimer: TimerHandle | undefined;
  /** The addWatch in flight, if any. */
  private watching: Promise<void> | undefined;
  private readonly connectionEvents: Subscription;
  private closed = false;

  constructor(
    private readonly ctx: ClientContext,
    options: ListCacheOptions = {},
  ) {
    this.size = options.size ?? DEFAULT_SIZE;
    this.idleMs = options.idleMs ?? DEFAULT_IDLE_MS;
    if (!Number.isInteger(this.size) || this.size < 1)
      throw new RangeError(`listCache.size must be a positive integer, not ${this.size}`);
    if (!(this.idleMs > 0)) throw new RangeError('listCache.idleMs must be positive');
    this.connectionEvents = ctx.connection.events$.subscribe((e) => {
      if (e.type === 'disconnected') this.invalidate();
      else if (e.type === 'expired' || e.type === 'closed') this.drop();
    });
  }

  /**
   * The /status names for a listing on `client`: from the window when it is warm; otherwise
   * from `listServer` (every name, read from the server), which also builds the window.
   */
  async list(
    client: ZooKeeperClient,
    listServer: () => Promise<ListedFolder[]>,
  ): Promise<StatusListing> {
    if (this.closed) return { folders: await listServer() };
    if (client !== this.client) {
      this.drop();
      this.client = client;
    }
    this.touch();
    if (this.phase === 'warm') {
      const epoch = this.epoch;
      await client.exists(ROOTS.status);
      if (this.phase === 'warm' && this.epoch === epoch && this.client === client)
        return { folders: this.folders(), floor: this.floor };
      return { folders: await listServer() };
    }
    if (this.phase === 'off') {
      // Lists that start together share one addWatch (a second watcher would never be removed).
      this.watching ??= this.watch(client).finally(() => (this.watching = undefined));
      await this.watching;
    }
    // Another list may be building the window already: this one reads the server meanwhile.
    if (this.phase !== 'stale' || this.client !== client) return { folders: await listServer() };
    return { folders: await this.seed(client, listServer) };
  }

  /** Removes the watch and stops; later listings read the server. */
  close(): void {
    this.closed = true;
    this.connectionEvents.unsubscribe();
    this.drop();
  }

  private async watch(client: ZooKeeperClient): Promise<void> {
    const watcher = (e: WatchedEvent): void => this.onEvent(client, e);
    await client.addWatch(ROOTS.status, watcher, AddWatchMode.PERSISTENT_RECURSIVE);
    if (this.client !== client || this.closed) {
      removeWatch(client, watcher);
      return;
    }
    this.watcher = watcher;
    this.phase = 'stale';
  }

  private async seed(
    client: ZooKeeperClient,
    listServer: () => Promise<ListedFolder[]>,
  ): Promise<ListedFolder[]> {
    const epoch = ++this.epoch;
    this.phase = 'seeding';
    this.pending = [];
    let folders: ListedFolder[];
    try {
      folders = await listServer();
    } catch (err) {
      if (this.epoch === epoch) this.phase = 'stale';
      throw err;
    }
    if (this.epoch !== epoch || this.client !== client) return folders;
    const newest = selectNewest(folders, this.size);
    this.ids = newest.ids;
    this.floor = newest.complete ? undefined : newest.ids[0];
    this.phase = 'warm';
    const pending = this.pending;
    this.pending = [];
    for (const e of pending) this.apply(e);
    return folders;
  }

  private onEvent(client: ZooKeeperClient, e: WatchedEvent): void {
    if (client !== this.client) return;
    if (this.phase === 'seeding') this.pending.push(e);
    else if (this.phase === 'warm') this.apply(e);
  }

  private apply(e: WatchedEvent): void {
    if (e.type !== EventType.NodeCreated && e.type !== EventType.NodeDeleted) return;
    const at = e.path === undefined ? undefined : locate(e.path);
    if (at?.area !== 'status' || at.id === undefined || !isTaskId(at.id)) return;
    const id = at.id;
    if (this.floor !== undefined && compareSubmitOrder(id, this.floor) < 0) return;
    const i = this.indexOf(id);
    const present = i < this.ids.length && this.ids[i] === id;
    if (e.type === EventType.NodeCreated) {
      if (present) return;
      this.ids.splice(i, 0, id);
      if (this.ids.length > 2 * this.size) {
        this.ids.splice(0, this.ids.length - this.size);
        this.floor = this.ids[0];
      }
    } else if (present) {
      this.ids.splice(i, 1);
    }
  }

  /** Where `id` is or would go in `ids` (binary search; new ids land near the end). */
  private indexOf(id: string): number {
    let lo = 0;
    let hi = this.ids.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareSubmitOrder(this.ids[mid], id) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The window's names, one folder per bucket, as a listing of those buckets would give. */
  private folders(): ListedFolder[] {
    const byBucket = new Map<string, string[]>();
    for (const id of this.ids) {
      const bucket = bucketOf(id);
      const ids = byBucket.get(bucket);
      if (ids) ids.push(id);
      else byBucket.set(bucket, [id]);
    }
    return [...byBucket].map(([bucket, ids]) => ({
      area: 'status' as const,
      folder: paths.statusBucket(bucket),
      ids,
    }));
  }

  private invalidate(): void {
    this.epoch++;
    if (this.phase === 'warm' || this.phase === 'seeding') this.phase = 'stale';
    this.ids = [];
    this.pending = [];
  }

  /** Forgets the window and removes the watch (best effort: a session that ended has none). */
  private drop(): void {
    this.invalidate();
    if (this.idleTimer !== undefined) this.ctx.clock.clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    const { client, watcher } = this;
    this.phase = 'off';
    this.client = undefined;
    this.watcher = undefined;
    if (client && watcher) removeWatch(client, watcher);
  }

  private touch(): void {
    if (this.idleTimer !== undefined) this.ctx.clock.clearTimeout(this.idleTimer);
    this.idleTimer = this.ctx.clock.setTimeout(() => {
      this.idleTimer = undefined;
      this.drop();
    }, this.idleMs);
    // The window is a cache: it must not keep a process alive that is otherwise done.
    (this.idleTimer as { unref?: () => void } | undefined)?.unref?.();
  }
}

function removeWatch(client: ZooKeeperClient, watcher: (e: WatchedEvent) => void): void {
  client
    .removeWatches(ROOTS.status, watcher, WatcherType.Any)
    // Not connected: drop it locally; the server forgets it with the session.
    .catch(() => client.removeWatches(ROOTS.status, watcher, WatcherType.Any, true))
    .catch(noop);
}
