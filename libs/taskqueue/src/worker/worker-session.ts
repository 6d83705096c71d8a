import { hostname } from 'os';
import { Subscription } from 'rxjs';
import { Watcher, WatchedEvent, ZooKeeperClient, isAlive, isRetryable } from '@shepherd/zk-client';
import {
  AddWatchMode,
  EventType,
  KeeperState,
  NoNodeError,
  SessionExpiredError,
  WatcherType,
} from '@shepherd/zk-protocol';
import { paths } from '../layout/paths';
import { decodeRecord } from '../model/task-record';
import { ensureLayout } from '../store/ensure-layout';
import { CompletionBatcher } from './completion-batcher';
import { OwnWriteBatcher } from './own-write-batcher';
import { retryingRead } from './read-back';
import { TaskHandlerFn } from './task-handler';
import { RunEnv, TaskRun } from './task-run';
import { WorkerNodeData, claimWorkerNode, ensureNode } from './worker-registration';
import { ResolvedWorkerOptions } from './worker-options';
import { WorkerCounters } from './worker-stats';

/** What every incarnation shares: the worker's settings, handlers and counters. */
export interface WorkerEnv {
  readonly options: ResolvedWorkerOptions;
  readonly handlers: ReadonlyMap<string, TaskHandlerFn>;
  readonly types: readonly string[];
  readonly counters: WorkerCounters;
}

/** A child of /assign/<id> we know of; `run` once it was read and is ours to run. */
interface Slot {
  run?: TaskRun;
}

/**
 * The worker during one ZooKeeper session: its registration, the watch on its assignments,
 * and the tasks assigned to this incarnation. A session expiry is final for it (DESIGN.md):
 * it aborts its handlers and forgets everything; the Worker starts a new one on the next
 * session.
 */
export class WorkerSession {
  readonly sessionHex: string;
  private ended = false;
  private registered = false;
  private draining = false;
  private readonly endController = new AbortController();
  private readonly slots = new Map<string, Slot>();
  /** Read and waiting for a slot, in submit order (ids sort by submit time). */
  private readonly ready: TaskRun[] = [];
  /** Runs not finished yet (queued ones included). */
  private readonly runs = new Set<TaskRun>();
  private launched = 0;
  private loading = 0;
  private idleWaiters: (() => void)[] = [];
  private listing: 'idle' | 'busy' | 'again' = 'idle';
  /** The connection dropped since the last listing: watch events of the gap are lost. */
  private disconnected = false;
  private readonly stateSub: Subscription;
  private readonly runEnv: RunEnv;
  private readonly info: WorkerNodeData;

  constructor(
    private readonly env: WorkerEnv,
    readonly client: ZooKeeperClient,
  ) {
    const { options } = env;
    this.sessionHex = client.sessionId.toString(16);
    this.runEnv = {
      client,
      options,
      handlers: env.handlers,
      batcher: new CompletionBatcher(client, options.logger),
      writes: new OwnWriteBatcher(client),
      counters: env.counters,
    };
    this.info = {
      id: options.id,
      host: hostname(),
      pid: process.pid,
      concurrency: options.concurrency,
      prefetch: options.prefetch,
      types: [...env.types],
      since: options.clock.now(),
      draining: false,
    };
    this.stateSub = client.state$.subscribe((state) => {
      if (
        state === KeeperState.Expired ||
        state === KeeperState.Closed ||
        state === KeeperState.AuthFailed
      )
        this.end();
      else if (state === KeeperState.Disconnected) this.disconnected = true;
      else if (state === KeeperState.SyncConnected && this.disconnected && this.registered) {
        // The client re-arms the persistent watch (setWatches2), but what changed meanwhile
        // is not replayed for it: list once to catch up.
        this.disconnected = false;
        this.list();
      }
    });
    // The connection replays its current client, which may already be dead.
    if (!isAlive(client.state)) this.end();
  }

  get isEnded(): boolean {
    return this.ended;
  }

  get isRegistered(): boolean {
    return this.registered && !this.ended;
  }

  get running(): number {
    return this.launched;
  }

  get queued(): number {
    return this.ready.length;
  }

  /**
   * Lays out the tree if needed, makes sure /assign/<id> exists, registers /workers/<id>, then
   * starts watching the assignments. /assign/<id> comes first so the master never sees a live
   * worker it cannot assign to.
   */
  async register(): Promise<void> {
    const { options, counters } = this.env;
    const { client } = this;
    try {
      await retryingRead(() => ensureLayout(client, options.acl));
      await ensureNode(client, paths.assignRoot(options.id), options.acl);
      await claimWorkerNode(
        client,
        this.info,
        options.acl,
        this.endController.signal,
        options.logger,
      );
    } catch (err) {
      if (err instanceof SessionExpiredError || this.ended) this.end();
      throw err;
    }
    if (this.ended) throw new SessionExpiredError();
    try {
      // Set before the first listing, so nothing assigned in between is missed.
      await retryingRead(() =>
        client.addWatch(
          paths.assignRoot(options.id),
          this.assignWatcher,
          AddWatchMode.PERSISTENT_RECURSIVE,
        ),
      );
    } catch (err) {
      if (err instanceof SessionExpiredError || this.ended) this.end();
      throw err;
    }
    this.registered = true;
    counters.registrations++;
    options.logger.info(
      { workerId: options.id, session: this.sessionHex, types: this.info.types },
      'worker registered',
    );
    this.list();
  }

  /**
   * Graceful part of a shutdown: announce draining (the master stops assigning), hand back what
   * has not started, give running handlers `graceMs`, then abort them (they are handed back).
   */
  async drain(graceMs: number): Promise<void> {
    const { options } = this.env;
    this.draining = true;
    const data = Buffer.from(JSON.stringify({ ...this.info, draining: true }));
    try {
      await this.client.setData(paths.worker(options.id), data);
    } catch (err) {
      options.logger.warn({ err }, 'could not mark the worker draining');
    }
    for (const run of this.ready.splice(0)) {
      run.abort('shutdown', 'worker shutting down');
      this.launch(run);
    }
    if (await this.idleWithin(graceMs)) return;
    options.logger.warn(
      { running: this.launched, graceMs },
      'grace period over: aborting running handlers and handing their tasks back',
    );
    for (const run of this.runs)
      run.abort('shutdown', `worker shutting down; the ${graceMs} ms grace period is over`);
    await this.idle();
  }

  /**
   * Removes /workers/<id> and the assignment watch when the session stays open after stop()
   * (a shared connection).
   */
  async deregister(): Promise<void> {
    const { options } = this.env;
    try {
      await this.client.delete(paths.worker(options.id));
    } catch (err) {
      if (!(err instanceof NoNodeError)) options.logger.warn({ err }, 'deregister failed');
    }
    await this.client
      .removeWatches(paths.assignRoot(options.id), this.assignWatcher, WatcherType.Any)
      .catch(() => undefined);
  }

  /**
   * The session is over (`expired`), or stop() is done with it (`stopped`): abort everything,
   * forget everything.
   */
  end(why: 'expired' | 'stopped' = 'expired'): void {
    if (this.ended) return;
    this.ended = true;
    this.stateSub.unsubscribe();
    this.endController.abort(new SessionExpiredError());
    for (const run of this.runs) run.abort('session-lost', 'the worker session ended');
    for (const run of this.ready.splice(0)) this.runs.delete(run);
    this.slots.clear();
    if (this.registered && why === 'expired')
      this.env.options.logger.warn(
        { session: this.sessionHex, aborted: this.launched },
        'worker session ended: handlers aborted, registering again on the next session',
      );
    this.wakeIfIdle();
  }

  // --- assignments ----------------------------------------------------------------------

  /**
   * One persistent recursive watch on /assign/<id> for the whole session (ZooKeeper 3.6+
   * addWatch): NodeCreated brings a new assignment, NodeDeleted of one we hold is a cancel or
   * a take-back (or our own final commit). This replaces a child watch re-armed by a listing on
   * every change plus a data watch per assignment re-armed after each of our own writes: per
   * task the worker sends one read and no watch requests. Our own start and progress writes
   * show up as NodeDataChanged and are ignored.
   */
  private readonly assignWatcher: Watcher = (event: WatchedEvent) => {
    if (this.ended || event.path === undefined) return;
    const root = paths.assignRoot(this.env.options.id);
    if (event.path === root) {
      // The directory itself went (a master took us for gone while we registered): put it
      // back and list.
      if (event.type === EventType.NodeDeleted) this.list();
      return;
    }
    const name = event.path.slice(root.length + 1);
    if (name.includes('/')) return;
    if (event.type === EventType.NodeCreated) {
      if (!this.slots.has(name)) void this.load(name);
    } else if (event.type === EventType.NodeDeleted) {
      const slot = this.slots.get(name);
      if (slot !== undefined) this.gone(name, slot, 'the assignment was deleted');
    }
  };

  /**
   * Lists /assign/<id> and reconciles: at registration and after a reconnect (events of the
   * gap are lost); coalesces while one is in flight.
   */
  private list(): void {
    if (this.ended) return;
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
    const { options } = this.env;
    const root = paths.assignRoot(options.id);
    let names: string[];
    try {
      names = await this.client.getChildren(root);
    } catch (err) {
      if (this.ended) return;
      if (isRetryable(err)) {
        this.listing = 'again';
      } else if (err instanceof NoNodeError) {
        // A master removed it, taking us for gone (we registered in between): put it back.
        await ensureNode(this.client, root, options.acl).catch(() => undefined);
        this.listing = 'again';
      } else {
        options.logger.error({ err }, 'cannot list assignments');
      }
      return;
    }
    if (this.ended) return;
    const present = new Set(names);
    for (const [name, slot] of this.slots)
      if (!present.has(name) && slot.run !== undefined)
        this.gone(name, slot, 'the assignment was deleted');
    for (const name of names.sort()) if (!this.slots.has(name)) void this.load(name);
  }

  /**
   * Reads a new assignment. Its deletion from now on reaches us through the persistent watch;
   * a deletion before the read shows as NoNode.
   */
  private async load(name: string): Promise<void> {
    const { options } = this.env;
    const slot: Slot = {};
    this.slots.set(name, slot);
    const path = paths.assignment(options.id, name);
    this.loading++;
    try {
      const { data, stat } = await retryingRead(() => this.client.getData(path));
      if (this.ended || this.slots.get(name) !== slot) return;
      const record = decodeRecord(data, path);
      if (record.workerSession !== this.sessionHex || record.id !== name) {
        // A previous incarnation's: the master recovers it; running it could duplicate work.
        options.logger.info(
          { taskId: name, workerSession: record.workerSession },
          'ignoring an assignment of another incarnation',
        );
        return;
      }
      const run = new TaskRun(this.runEnv, record, {
        path,
        version: stat.version,
        czxid: stat.czxid,
      });
      slot.run = run;
      this.runs.add(run);
      if (this.draining) {
        run.abort('shutdown', 'assigned while the worker was shutting down');
        this.launch(run);
      } else {
        insertById(this.ready, run);
        this.pump();
      }
    } catch (err) {
      if (err instanceof NoNodeError) {
        if (this.slots.get(name) === slot) this.slots.delete(name);
      } else if (!this.ended) {
        // Corrupt record: leave it in place for an operator (or the master) to deal with.
        options.logger.error({ err, taskId: name }, 'cannot read an assignment');
      }
    } finally {
      this.loading--;
      this.wakeIfIdle();
    }
  }

  /**
   * The assignment is no longer there: cancelled, or taken back by the master. A run that has
   * not reached its final commit is aborted and writes nothing more. If the same task is
   * assigned to us anew at the same path, its NodeCreated follows and loads it again.
   */
  private gone(name: string, slot: Slot, reason: string): void {
    this.slots.delete(name);
    const run = slot.run;
    // Our own final commit deleted it (or it raced one): the commit's verdict tells.
    if (run?.state === 'finishing' || run?.state === 'finished') return;
    if (run !== undefined) {
      run.abort('revoked', reason);
      const queued = this.ready.indexOf(run);
      if (queued >= 0) {
        this.ready.splice(queued, 1);
        this.launch(run);
      }
      this.env.options.logger.info({ taskId: name, phase: run.state }, reason);
    }
  }

  private pump(): void {
    const { concurrency } = this.env.options;
    while (!this.ended && !this.draining && this.ready.length > 0 && this.launched < concurrency) {
      const run = this.ready.shift() as TaskRun;
      this.launch(run);
    }
  }

  private launch(run: TaskRun): void {
    this.launched++;
    void run.execute().finally(() => {
      this.launched--;
      this.runs.delete(run);
      const slot = this.slots.get(run.id);
      if (slot?.run === run) this.slots.delete(run.id);
      this.pump();
      this.wakeIfIdle();
    });
  }

  // --- waiting for the runs to finish ---------------------------------------------------

  private isIdle(): boolean {
    return this.runs.size === 0 && this.loading === 0;
  }

  private wakeIfIdle(): void {
    if (!this.isIdle()) return;
    for (const wake of this.idleWaiters.splice(0)) wake();
  }

  private idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** True when every run finished within `ms`. */
  private idleWithin(ms: number): Promise<boolean> {
    const { clock } = this.env.options;
    return new Promise((resolve) => {
      const timer = clock.setTimeout(() => resolve(this.isIdle()), ms);
      void this.idle().then(() => {
        clock.clearTimeout(timer);
        resolve(true);
      });
    });
  }
}

/** Keeps `ready` in submit order (ids sort by submit time) with one binary-search insert. */
function insertById(ready: TaskRun[], run: TaskRun): void {
  let lo = 0;
  let hi = ready.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ready[mid].id < run.id) lo = mid + 1;
    else hi = mid;
  }
  ready.splice(lo, 0, run);
}
