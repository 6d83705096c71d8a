import { hostname } from 'os';
import { Subscription } from 'rxjs';
import { ZooKeeperClient, isAlive } from '@shepherd/zk-client';
import { KeeperState, NoNodeError, SessionExpiredError } from '@shepherd/zk-protocol';
import { paths } from '../layout/paths';
import { ensureLayout } from '../store/ensure-layout';
import { AssignmentInbox } from './assignment-inbox';
import { CompletionBatcher } from './completion-batcher';
import { OwnWriteBatcher } from './own-write-batcher';
import { retryingRead } from './read-back';
import { RunSlots } from './run-slots';
import { TaskHandlerFn } from './task-handler';
import { RunEnv } from './task-run';
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

/**
 * The worker during one ZooKeeper session: its registration, the watch on its assignments,
 * and the tasks assigned to this incarnation. A session expiry is final for it (docs/design.md):
 * it aborts its handlers and forgets everything; the Worker starts a new one on the next
 * session.
 *
 * The assignments come through its inbox (assignment-inbox.ts: the watch on /assign/<id>, the
 * listing after a reconnect) and run in its run slots (run-slots.ts: concurrency, the queue of
 * prefetched tasks); here are the registration, the shutdown and the end of the session.
 */
export class WorkerSession {
  readonly sessionHex: string;
  private ended = false;
  private registered = false;
  private readonly endController = new AbortController();
  private readonly runSlots: RunSlots;
  private readonly inbox: AssignmentInbox;
  private idleWaiters: (() => void)[] = [];
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
    this.runSlots = new RunSlots(options, {
      finished: (run) => this.inbox.finished(run),
      settled: () => this.wakeIfIdle(),
    });
    this.inbox = new AssignmentInbox({
      sessionHex: this.sessionHex,
      runEnv: this.runEnv,
      runSlots: this.runSlots,
      isEnded: () => this.ended,
      settled: () => this.wakeIfIdle(),
    });
    this.stateSub = client.state$.subscribe((state) => {
      if (
        state === KeeperState.Expired ||
        state === KeeperState.Closed ||
        state === KeeperState.AuthFailed
      )
        this.end();
      else if (state === KeeperState.Disconnected) this.inbox.connectionLost();
      else if (state === KeeperState.SyncConnected && this.registered) this.inbox.reconnected();
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
    return this.runSlots.running;
  }

  get queued(): number {
    return this.runSlots.queued;
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
      await this.inbox.watch();
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
    this.inbox.list();
  }

  /**
   * Graceful part of a shutdown: announce draining (the master stops assigning), hand back what
   * has not started, give running handlers `graceMs`, then abort them (they are handed back).
   */
  async drain(graceMs: number): Promise<void> {
    const { options } = this.env;
    this.runSlots.stopStarting();
    const data = Buffer.from(JSON.stringify({ ...this.info, draining: true }));
    try {
      await this.client.setData(paths.worker(options.id), data);
    } catch (err) {
      options.logger.warn({ err }, 'could not mark the worker draining');
    }
    this.runSlots.handBackQueued();
    if (await this.idleWithin(graceMs)) return;
    options.logger.warn(
      { running: this.runSlots.running, graceMs },
      'grace period over: aborting running handlers and handing their tasks back',
    );
    this.runSlots.abortAll(
      'shutdown',
      `worker shutting down; the ${graceMs} ms grace period is over`,
    );
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
    await this.inbox.unwatch();
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
    this.runSlots.end();
    this.inbox.end();
    if (this.registered && why === 'expired')
      this.env.options.logger.warn(
        { session: this.sessionHex, aborted: this.runSlots.running },
        'worker session ended: handlers aborted, registering again on the next session',
      );
    this.wakeIfIdle();
  }

  // --- waiting for the runs to finish ---------------------------------------------------

  private isIdle(): boolean {
    return this.runSlots.isEmpty && this.inbox.loading === 0;
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
