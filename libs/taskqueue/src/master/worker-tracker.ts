import {
  AddWatchMode,
  EventType,
  NoNodeError,
  NoWatcherError,
  NodeExistsError,
  NotEmptyError,
  WatcherType,
} from '@shepherd/zk-protocol';
import { Watcher, isConnected } from '@shepherd/zk-client';
import { createIfMissing } from '../store/create-if-missing';
import { ROOTS, paths } from '../layout/paths';
import { isTaskId } from '../model/task-id';
import { CorruptTaskRecordError, TaskRecord } from '../model/task-record';
import { decodeRecord } from '../model/record-codec';
import { BatchItem, commitBatch } from '../store/batch-committer';
import { bytesOf } from '../store/read-many';
import { recoverTransition } from '../transitions/give-back';
import { recordReassign, withRecordTraceIds } from '../telemetry/task-spans';
import { TermContext } from './term-context';
import { parseWorkerInfo } from './worker-roster';
import { childrenOrNull, dataOrNull, pipelined } from './zk-reads';

const READ_WIDTH = 64;

/**
 * Keeps the roster current and recovers the assignments of workers that are gone.
 *
 * Watches: a child watch on /workers (joins and leaves), a data watch on each /workers/<w>
 * (NodeDeleted = the worker is lost; NodeDataChanged = re-read, e.g. draining), and one
 * persistent recursive watch on /assign: the NodeDeleted of /assign/<w>/<t> (a worker finished,
 * handed back, or a task was cancelled) frees the slot at once, without listing /assign/<w>
 * again, which took a round trip per completion before a freed slot could be refilled.
 * NodeCreated there is our own assignment (only the leader creates them; the commit's reply
 * records it) and NodeDataChanged a worker's own write: both ignored. The directory itself
 * appearing or going is re-listed. Other events only mark what is stale; the term's work loop
 * re-reads it, one thing at a time.
 *
 * An assignment is orphaned when /workers/<w> is gone or its record names another session than
 * the live node's owner (the worker restarted). Orphans go back to /tasks (or to /dead past
 * their attempts) with recoverTransition, in leader-fenced batches, as soon as they are seen.
 * After a ConnectionLoss nothing is re-applied blindly: the worker is marked stale, and the
 * re-read after the reconnect shows what the lost multi did.
 */
export class WorkerTracker {
  private listStale = false;
  private watchingAssign = false;
  private readonly workersStale = new Set<string>();
  private readonly assignStale = new Set<string>();

  constructor(private readonly term: TermContext) {}

  /** True while something is marked stale. */
  get pending(): boolean {
    return this.listStale || this.workersStale.size > 0 || this.assignStale.size > 0;
  }

  /** After a reconnect: events may have been missed, so everything is read again. */
  markAllStale(): void {
    this.listStale = true;
    for (const id of this.term.roster.ids()) this.workersStale.add(id);
  }

  /** The assigner found /assign/<id> missing: list it again (and watch it). */
  markAssignStale(id: string): void {
    this.assignStale.add(id);
    this.term.kick();
  }

  /** The assigner learned that /workers/<id> is gone (its fence failed). */
  markWorkerStale(id: string): void {
    this.workersStale.add(id);
    this.term.kick();
  }

  /**
   * Takeover steps 1 and 2: every registered worker and every /assign/<w> with anything in
   * it, all marked stale so the work loop reads and judges them before the first assignment.
   */
  async load(): Promise<void> {
    this.listStale = false;
    if (!this.watchingAssign) {
      // Before the listings, so nothing that changes in between is missed.
      await this.term.client.addWatch(
        ROOTS.assign,
        this.onAssignTree,
        AddWatchMode.PERSISTENT_RECURSIVE,
      );
      this.watchingAssign = true;
    }
    const workers = (await childrenOrNull(this.term.client, ROOTS.workers, this.onList)) ?? [];
    const assigned = (await childrenOrNull(this.term.client, ROOTS.assign)) ?? [];
    for (const id of [...workers, ...assigned]) this.workersStale.add(id);
  }

  /** Does one piece of pending work; false when there was none. */
  async step(): Promise<boolean> {
    if (this.listStale) {
      this.listStale = false;
      await this.refreshList();
      return true;
    }
    const worker = first(this.workersStale);
    if (worker !== undefined) {
      this.workersStale.delete(worker);
      this.assignStale.delete(worker);
      await this.guard(worker, true, () => this.refreshWorker(worker));
      return true;
    }
    const assign = first(this.assignStale);
    if (assign !== undefined) {
      this.assignStale.delete(assign);
      await this.guard(assign, false, () => this.refreshAssignments(assign));
      return true;
    }
    return false;
  }

  // --- watchers (one function each, so re-watching a path never adds a watcher) -----------

  private readonly onList: Watcher = (e) => {
    if (!this.term.active || e.type !== EventType.NodeChildrenChanged) return;
    this.listStale = true;
    this.term.kick();
  };

  private readonly onWorker: Watcher = (e) => {
    if (!this.term.active || e.path === undefined || e.type === EventType.None) return;
    this.workersStale.add(lastSegment(e.path));
    this.term.kick();
  };

  private readonly onAssignTree: Watcher = (e) => {
    if (!this.term.active || e.path === undefined) return;
    const [workerId, taskId, deeper] = e.path.slice(ROOTS.assign.length + 1).split('/');
    if (workerId === undefined || workerId === '' || deeper !== undefined) return;
    if (taskId === undefined) {
      if (e.type === EventType.NodeCreated || e.type === EventType.NodeDeleted) {
        this.assignStale.add(workerId);
        this.term.kick();
      }
    } else if (e.type === EventType.NodeDeleted && this.term.roster.removed(workerId, taskId)) {
      this.term.wantRound();
    }
  };

  /** Removes the persistent watch on /assign (best effort: a dead session has dropped it). */
  async stop(): Promise<void> {
    if (!this.watchingAssign) return;
    this.watchingAssign = false;
    const client = this.term.client;
    try {
      await client.removeWatches(
        ROOTS.assign,
        this.onAssignTree,
        WatcherType.Any,
        !isConnected(client.state),
      );
    } catch (err) {
      if (err instanceof NoWatcherError) return;
      await client
        .removeWatches(ROOTS.assign, this.onAssignTree, WatcherType.Any, true)
        .catch(() => undefined);
    }
  }

  // --- reads and recovery ----------------------------------------------------------------

  /** Re-marks the item if its work failed half-way, so the next pass reads it again. */
  private async guard(id: string, whole: boolean, work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (err) {
      (whole ? this.workersStale : this.assignStale).add(id);
      throw err;
    }
  }

  private async refreshList(): Promise<void> {
    const listed = new Set(
      (await childrenOrNull(this.term.client, ROOTS.workers, this.onList)) ?? [],
    );
    for (const id of listed)
      if (this.term.roster.get(id)?.session === undefined) this.workersStale.add(id);
    for (const id of this.term.roster.ids()) if (!listed.has(id)) this.workersStale.add(id);
  }

  /** Re-reads /workers/<id> (with its watch), then its assignments. */
  private async refreshWorker(id: string): Promise<void> {
    const { roster, options } = this.term;
    const node = await dataOrNull(this.term.client, paths.worker(id), this.onWorker);
    if (!this.term.active) return;
    const entry = roster.entry(id);
    const before = entry.session;
    const wasDraining = entry.info?.draining ?? false;
    if (node === null || node.stat.ephemeralOwner === 0n) {
      entry.info = undefined;
      entry.session = undefined;
      if (before !== undefined) options.logger.info({ worker: id }, 'worker lost');
    } else {
      entry.info = parseWorkerInfo(id, bytesOf(node.data));
      entry.session = node.stat.ephemeralOwner.toString(16);
      if (before !== entry.session)
        options.logger.info(
          { worker: id, session: entry.session, concurrency: entry.info.concurrency },
          before === undefined ? 'worker joined' : 'worker restarted',
        );
      else if (wasDraining !== entry.info.draining)
        options.logger.info(
          { worker: id, draining: entry.info.draining },
          'worker draining changed',
        );
      // Joined, undrained, or more concurrency: there may be room for more tasks.
      this.term.wantRound();
    }
    await this.refreshAssignments(id);
  }

  /** Re-lists /assign/<id> (with its watch), judges unknown assignments, recovers orphans. */
  private async refreshAssignments(id: string): Promise<void> {
    const { client, roster } = this.term;
    const root = paths.assignRoot(id);
    let listed = await childrenOrNull(client, root);
    if (!this.term.active) return;
    const entry = roster.entry(id);
    if (listed === null && entry.session !== undefined) {
      // A live worker without its directory (removed while it registered): without it, and
      // without the watch on it, its capacity would never be seen to free up.
      await createIfMissing(this.term.client, root, this.term.options.acl);
      listed = await childrenOrNull(client, root);
      if (!this.term.active) return;
    }
    const next = new Map<string, string | undefined>();
    for (const taskId of listed ?? [])
      if (isTaskId(taskId)) next.set(taskId, entry.assignments.get(taskId));
    const freed = [...entry.assignments.keys()].some((t) => !next.has(t));
    roster.replaceAssignments(id, next);
    if (freed) this.term.wantRound();

    const unknown = [...next].filter(([, s]) => s === undefined).map(([t]) => t);
    if (unknown.length > 0) {
      const read = await this.readAssignments(id, unknown);
      for (const [taskId, found] of read) {
        // Only what is still listed: a deletion seen while the reads were out stays deleted.
        if (!entry.assignments.has(taskId)) continue;
        if (found === null) roster.deleteAssignment(id, taskId);
        else if (found !== 'corrupt') {
          roster.setClass(taskId, found.record.type, found.record.options.group);
          roster.setAssignment(id, taskId, found.record.workerSession ?? '');
        }
      }
    }
    const orphans = roster.orphans(id);
    if (orphans.length > 0) await this.recover(id, orphans);
    if (entry.session === undefined && entry.assignments.size === 0) {
      if (listed !== null) await this.removeAssignRoot(id);
      if (roster.get(id)?.session === undefined && roster.get(id)?.assignments.size === 0)
        roster.delete(id);
    }
  }

  private async readAssignments(workerId: string, taskIds: string[]) {
    const { client, options } = this.term;
    const out = new Map<string, { record: TaskRecord; version: number } | null | 'corrupt'>();
    await pipelined(taskIds, READ_WIDTH, async (taskId) => {
      const path = paths.assignment(workerId, taskId);
      const node = await dataOrNull(client, path);
      if (node === null) return out.set(taskId, null);
      try {
        out.set(taskId, { record: decodeRecord(node.data, path), version: node.stat.version });
      } catch (err) {
        if (!(err instanceof CorruptTaskRecordError)) throw err;
        options.logger.error({ path, err: err.message }, 'unreadable assignment left in place');
        out.set(taskId, 'corrupt');
      }
    });
    return out;
  }

  /**
   * Moves orphaned assignments back to /tasks (or to /dead) in leader-fenced batches. The
   * versioned delete of each assignment makes a concurrent change (a cancel) reject only that
   * item.
   */
  private async recover(workerId: string, taskIds: string[]): Promise<void> {
    const { client, roster, counters, options } = this.term;
    const entry = roster.entry(workerId);
    const reason = entry.session === undefined ? 'worker lost' : 'worker restarted';
    const read = await this.readAssignments(workerId, taskIds);
    const items: BatchItem<string>[] = [];
    const records = new Map<string, TaskRecord>();
    for (const [taskId, found] of read) {
      if (found === null) roster.deleteAssignment(workerId, taskId);
      if (found === null || found === 'corrupt') continue;
      // Re-judged on the fresh read: a record that names the live incarnation stays.
      const session = found.record.workerSession ?? '';
      roster.setClass(taskId, found.record.type, found.record.options.group);
      roster.setAssignment(workerId, taskId, session);
      if (entry.session !== undefined && session === entry.session) continue;
      const t = recoverTransition(
        this.term.transition(),
        found.record,
        found.version,
        workerId,
        reason,
      );
      items.push({ ops: t.ops, value: taskId });
      records.set(taskId, t.record);
    }
    if (items.length === 0) return;
    const outcome = await commitBatch(client, items, this.term.fence);
    for (const taskId of outcome.committed) {
      roster.deleteAssignment(workerId, taskId);
      counters.recovered++;
      const recovered = records.get(taskId);
      if (recovered === undefined) continue;
      // Queued again, or dead when the lost attempt was its last.
      if (recovered.state === 'dead') options.metrics.ended(recovered.type, 'dead');
      else options.metrics.reassigned(recovered.type, reason);
      recordReassign(recovered, workerId, reason);
    }
    for (const { value: taskId, error } of outcome.rejected) {
      counters.rejected++;
      const fields = { worker: workerId, task: taskId, err: error.message };
      const record = records.get(taskId);
      options.logger.warn(
        record === undefined ? fields : withRecordTraceIds(fields, record),
        'recovery of an assignment refused; reading it again',
      );
      if (error instanceof NodeExistsError) roster.deleteAssignment(workerId, taskId);
      else this.assignStale.add(workerId);
    }
    if (outcome.committed.length > 0) {
      options.logger.info(
        { worker: workerId, reason, tasks: outcome.committed.length },
        'assignments recovered',
      );
      this.term.wantRound();
    }
  }

  /**
   * /assign/<id> of a worker that is gone and has nothing left: removed, so the tree does not
   * collect one per worker ever seen. A worker registering at this very moment may have just
   * found it present, so if /workers/<id> exists afterwards the directory is put back.
   */
  private async removeAssignRoot(id: string): Promise<void> {
    const { client, options } = this.term;
    try {
      await client.delete(paths.assignRoot(id));
    } catch (err) {
      if (err instanceof NoNodeError) return;
      if (err instanceof NotEmptyError) {
        this.assignStale.add(id);
        return;
      }
      throw err;
    }
    if ((await client.exists(paths.worker(id))) !== null) {
      await createIfMissing(this.term.client, paths.assignRoot(id), this.term.options.acl);
      this.workersStale.add(id);
    }
    options.logger.debug({ worker: id }, 'removed the assignment directory of a gone worker');
  }
}

function first<T>(set: Set<T>): T | undefined {
  for (const v of set) return v;
  return undefined;
}

function lastSegment(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
