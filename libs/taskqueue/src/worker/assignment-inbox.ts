import { ReadResult, Watcher, WatchedEvent, isRetryable } from '@shepherd/zk-client';
import { AddWatchMode, EventType, NoNodeError, WatcherType } from '@shepherd/zk-protocol';
import { paths } from '../layout/paths';
import { decodeRecord } from '../model/record-codec';
import { dataOf, readMany } from '../store/read-many';
import { retryingRead } from './read-back';
import { RunSlots } from './run-slots';
import { RunEnv, TaskRun } from './task-run';
import { ensureNode } from './worker-registration';
import { withRecordTraceIds } from '../telemetry/task-spans';

/** A child of /assign/<id> we know of; `run` once it was read and is ours to run. */
interface Assignment {
  run?: TaskRun;
}

/** What the inbox needs of the worker session it belongs to. */
export interface InboxSession {
  /** Hex id of the ZooKeeper session: assignments of other incarnations are not ours. */
  readonly sessionHex: string;
  readonly runEnv: RunEnv;
  readonly runSlots: RunSlots;
  /** Once the session ended, events and replies are ignored. */
  isEnded(): boolean;
  /** A read of an assignment is over: the session may be idle now. */
  settled(): void;
}

/**
 * The worker's assignment inbox during one session: the watch on /assign/<id>, the listing
 * that catches up after a reconnect, and what follows from both: a new assignment is read and
 * handed to the run slots (run-slots.ts), a deleted one revokes its run.
 */
export class AssignmentInbox {
  private readonly assignments = new Map<string, Assignment>();
  private loadingCount = 0;
  /** Announced since the last read, read together (see load). */
  private toRead: { name: string; assignment: Assignment }[] = [];
  private listing: 'idle' | 'busy' | 'again' = 'idle';
  /** The connection dropped since the last listing: watch events of the gap are lost. */
  private disconnected = false;

  constructor(private readonly session: InboxSession) {}

  /** Assignments being read. */
  get loading(): number {
    return this.loadingCount;
  }

  /** Sets the persistent watch on /assign/<id> (see assignWatcher). */
  watch(): Promise<void> {
    const { client, options } = this.session.runEnv;
    return retryingRead(() =>
      client.addWatch(
        paths.assignRoot(options.id),
        this.assignWatcher,
        AddWatchMode.PERSISTENT_RECURSIVE,
      ),
    );
  }

  /** Removes the watch (a deregistration on a connection that stays open). */
  async unwatch(): Promise<void> {
    const { client, options } = this.session.runEnv;
    await client
      .removeWatches(paths.assignRoot(options.id), this.assignWatcher, WatcherType.Any)
      .catch(() => undefined);
  }

  /** The connection dropped: the next reconnect lists again. */
  connectionLost(): void {
    this.disconnected = true;
  }

  /** The connection is back (SyncConnected): lists if it was lost since the last listing. */
  reconnected(): void {
    if (!this.disconnected) return;
    // The client re-arms the persistent watch (setWatches2), but what changed meanwhile
    // is not replayed for it: list once to catch up.
    this.disconnected = false;
    this.list();
  }

  /** A run is over: its assignment, if still the same, is forgotten. */
  finished(run: TaskRun): void {
    const assignment = this.assignments.get(run.id);
    if (assignment?.run === run) this.assignments.delete(run.id);
  }

  /** The session is over: every assignment is forgotten. */
  end(): void {
    this.assignments.clear();
  }

  /**
   * One persistent recursive watch on /assign/<id> for the whole session (ZooKeeper 3.6+
   * addWatch): NodeCreated brings a new assignment, NodeDeleted of one we hold is a cancel or
   * a take-back (or our own final commit). This replaces a child watch re-armed by a listing on
   * every change plus a data watch per assignment re-armed after each of our own writes: per
   * task the worker sends one read and no watch requests. Our own start and progress writes
   * show up as NodeDataChanged and are ignored.
   */
  private readonly assignWatcher: Watcher = (event: WatchedEvent) => {
    if (this.session.isEnded() || event.path === undefined) return;
    const root = paths.assignRoot(this.session.runEnv.options.id);
    if (event.path === root) {
      // The directory itself went (a master took us for gone while we registered): put it
      // back and list.
      if (event.type === EventType.NodeDeleted) this.list();
      return;
    }
    const name = event.path.slice(root.length + 1);
    if (name.includes('/')) return;
    if (event.type === EventType.NodeCreated) {
      if (!this.assignments.has(name)) this.load(name);
    } else if (event.type === EventType.NodeDeleted) {
      const assignment = this.assignments.get(name);
      if (assignment !== undefined) this.gone(name, assignment, 'the assignment was deleted');
    }
  };

  /**
   * Lists /assign/<id> and reconciles: at registration and after a reconnect (events of the
   * gap are lost); coalesces while one is in flight.
   */
  list(): void {
    if (this.session.isEnded()) return;
    if (this.listing !== 'idle') {
      this.listing = 'again';
      return;
    }
    this.listing = 'busy';
    void this.listOnce().finally(() => {
      const again = this.listing === 'again';
      this.listing = 'idle';
      if (again) this.list();
    });
  }

  private async listOnce(): Promise<void> {
    const { client, options } = this.session.runEnv;
    const root = paths.assignRoot(options.id);
    let names: string[];
    try {
      names = await client.getChildren(root);
    } catch (err) {
      if (this.session.isEnded()) return;
      if (isRetryable(err)) {
        this.listing = 'again';
      } else if (err instanceof NoNodeError) {
        // A master removed it, taking us for gone (we registered in between): put it back.
        await ensureNode(client, root, options.acl).catch(() => undefined);
        this.listing = 'again';
      } else {
        options.logger.error({ err }, 'cannot list assignments');
      }
      return;
    }
    if (this.session.isEnded()) return;
    const present = new Set(names);
    for (const [name, assignment] of this.assignments)
      if (!present.has(name) && assignment.run !== undefined)
        this.gone(name, assignment, 'the assignment was deleted');
    for (const name of names.sort()) if (!this.assignments.has(name)) this.load(name);
  }

  /**
   * Reads a new assignment. Its deletion from now on reaches us through the persistent watch;
   * a deletion before the read shows as NoNode. The assignments announced together (one
   * master commit's, delivered in one burst of events) are read together, in one multiRead.
   */
  private load(name: string): void {
    const assignment: Assignment = {};
    this.assignments.set(name, assignment);
    this.loadingCount++;
    this.toRead.push({ name, assignment });
    // Events of one reply arrive as queued microtasks: this runs after all of them.
    if (this.toRead.length === 1) queueMicrotask(() => void this.readBatch());
  }

  private async readBatch(): Promise<void> {
    const batch = this.toRead;
    this.toRead = [];
    const { client, options } = this.session.runEnv;
    const list = batch.map((b) => paths.assignment(options.id, b.name));
    try {
      const results = await retryingRead(() => readMany(client, list));
      batch.forEach((b, i) => this.loaded(b.name, b.assignment, list[i], results[i]));
    } catch (err) {
      if (!this.session.isEnded())
        options.logger.error({ err, taskIds: batch.map((b) => b.name) }, 'cannot read assignments');
    } finally {
      this.loadingCount -= batch.length;
      this.session.settled();
    }
  }

  /** One read assignment: ours to run, gone, or left alone. */
  private loaded(name: string, assignment: Assignment, path: string, result: ReadResult): void {
    const { runEnv, sessionHex } = this.session;
    const { options } = runEnv;
    if (this.session.isEnded() || this.assignments.get(name) !== assignment) return;
    try {
      const node = dataOf(result);
      if (node === undefined) {
        this.assignments.delete(name);
        return;
      }
      const record = decodeRecord(node.data, path);
      if (record.workerSession !== sessionHex || record.id !== name) {
        // A previous incarnation's: the master recovers it; running it could duplicate work.
        options.logger.info(
          withRecordTraceIds({ taskId: name, workerSession: record.workerSession }, record),
          'ignoring an assignment of another incarnation',
        );
        return;
      }
      const run = new TaskRun(runEnv, record, {
        path,
        version: node.stat.version,
        czxid: node.stat.czxid,
      });
      assignment.run = run;
      this.session.runSlots.add(run);
    } catch (err) {
      // Corrupt record: leave it in place for an operator (or the master) to deal with.
      options.logger.error({ err, taskId: name }, 'cannot read an assignment');
    }
  }

  /**
   * The assignment is no longer there: cancelled, or taken back by the master. A run that has
   * not reached its final commit is aborted and writes nothing more. If the same task is
   * assigned to us anew at the same path, its NodeCreated follows and loads it again.
   */
  private gone(name: string, assignment: Assignment, reason: string): void {
    this.assignments.delete(name);
    const run = assignment.run;
    // Our own final commit deleted it (or it raced one): the commit's verdict tells.
    if (run?.state === 'finishing' || run?.state === 'finished') return;
    if (run !== undefined) {
      this.session.runSlots.revoke(run, reason);
      this.session.runEnv.options.logger.info(
        run.traced({ taskId: name, phase: run.state }),
        reason,
      );
    }
  }
}
