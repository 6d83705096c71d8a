import { AddWatchMode, EventType, NoWatcherError, WatcherType } from '@shepherd/zk-protocol';
import { Watcher, isConnected } from '@shepherd/zk-client';
import { ROOTS, locate, paths } from '../layout/paths';
import { isTaskId } from '../model/task-id';
import { CorruptTaskRecordError } from '../model/task-record';
import { decodeRecord } from '../model/record-codec';
import { TermContext } from './term-context';
import { listBucketed } from './zk-reads';
import { dataOf, readMany } from '../store/read-many';

/**
 * Keeps the leader's QueueIndex equal to /tasks without re-reading it on every change (the
 * issue's "the master does not re-read every task on each watch event"): one full listing at
 * takeover, then one PERSISTENT_RECURSIVE watch on /tasks whose NodeCreated / NodeDeleted
 * events add and remove single ids. The watch is set before the listing, so nothing created
 * in between is missed.
 *
 * While disconnected, events are lost (the client re-arms the watch on reconnect, but what
 * happened meanwhile is not replayed): after a reconnect the buckets are listed once more and
 * diffed, and everything read before is forgotten, since a task may have left and come back
 * under the same name and version.
 *
 * Records are read lazily, for the tasks the assigner is about to consider.
 */
export class QueueTracker {
  /** Set after a reconnect: list the buckets again before the next round. */
  resyncWanted = false;
  private watching = false;

  constructor(private readonly term: TermContext) {}

  private readonly onChange: Watcher = (e) => {
    if (!this.term.active || e.path === undefined) return;
    if (e.type !== EventType.NodeCreated && e.type !== EventType.NodeDeleted) return;
    const where = locate(e.path);
    if (where?.area !== 'tasks' || where.id === undefined || !isTaskId(where.id)) return;
    if (e.type === EventType.NodeCreated) {
      if (this.term.queue.add(where.id)) this.term.wantRound();
    } else {
      this.term.queue.remove(where.id);
    }
  };

  /** Takeover step 3: watch, then index every queued id. */
  async load(): Promise<void> {
    if (!this.watching) {
      await this.term.client.addWatch(
        ROOTS.tasks,
        this.onChange,
        AddWatchMode.PERSISTENT_RECURSIVE,
      );
      this.watching = true;
    }
    await this.resync();
  }

  /** Lists the 256 buckets and diffs the index against them. */
  async resync(): Promise<void> {
    this.resyncWanted = false;
    const started = this.term.options.clock.now();
    const { queue, options } = this.term;
    const mark = queue.beginListing();
    let listing: string[];
    try {
      listing = await listBucketed(this.term.client, ROOTS.tasks);
    } catch (err) {
      queue.abandonListing(mark);
      throw err;
    }
    const { added, removed } = queue.sync(
      listing.filter((id) => isTaskId(id)),
      mark,
    );
    // Reads from before a disconnect cannot be trusted (see the class comment).
    queue.forgetReads();
    options.logger.debug(
      { queued: queue.size, added, removed, ms: this.term.options.clock.now() - started },
      'queue indexed',
    );
  }

  /**
   * Reads the records of `ids` (multiReads of 64) into the index. `keep` says whether to cache
   * the whole record (for tasks about to be assigned) or only its type and due time. Returns
   * how many were gone.
   */
  async read(ids: readonly string[], keep: () => boolean): Promise<number> {
    const { client, queue, options } = this.term;
    let gone = 0;
    const wanted: { id: string; stay: number; path: string }[] = [];
    for (const id of ids) {
      const stay = queue.get(id)?.stay;
      if (stay !== undefined) wanted.push({ id, stay, path: paths.task(id) });
    }
    // One multiRead per 64 records instead of a getData each.
    const results = await readMany(
      client,
      wanted.map((w) => w.path),
    );
    if (!this.term.active) return 0;
    wanted.forEach(({ id, stay, path }, i) => {
      const node = dataOf(results[i]);
      if (node === undefined) {
        // Gone meanwhile (assigned, cancelled); the watch event may still be on its way.
        if (queue.get(id)?.stay === stay) queue.remove(id);
        gone++;
        return;
      }
      try {
        const record = decodeRecord(node.data, path);
        queue.learn(id, stay, { record, version: node.stat.version }, keep());
      } catch (err) {
        if (!(err instanceof CorruptTaskRecordError)) throw err;
        if (queue.learn(id, stay, 'corrupt', false))
          options.logger.error({ path, err: err.message }, 'unreadable task left in place');
      }
    });
    return gone;
  }

  /** Removes the persistent watch (best effort: a dead session has dropped it anyway). */
  async stop(): Promise<void> {
    if (!this.watching) return;
    this.watching = false;
    const client = this.term.client;
    const local = !isConnected(client.state);
    try {
      await client.removeWatches(ROOTS.tasks, this.onChange, WatcherType.Any, local);
    } catch (err) {
      if (err instanceof NoWatcherError) return;
      // Not connected after all: drop it locally so it never fires into this term again.
      await client
        .removeWatches(ROOTS.tasks, this.onChange, WatcherType.Any, true)
        .catch(() => undefined);
    }
  }
}
