import { EventType, NoNodeError, SessionExpiredError } from '@shepherd/zk-protocol';
import {
  TimerHandle,
  TransactionOp,
  Watcher,
  ZooKeeperClient,
  isAlive,
  isConnected,
  isRetryable,
} from '@shepherd/zk-client';
import { FenceError } from '../store/batch-committer';
import { leaderFence } from '../transitions/fences';
import { QueueSettings } from '../queues/queue-settings';
import { TransitionContext } from '../transitions/transition';
import { Assigner } from './assigner';
import { MasterCounters } from './master-stats';
import { ResolvedMasterOptions } from './master-options';
import { QueueIndex } from './queue-index';
import { QueueSettingsTracker } from './queue-settings-tracker';
import { QueueTracker } from './queue-tracker';
import { FlowRetention } from '../flows/flow-retention';
import { QueueCountsPublisher } from './queue-counts-publisher';
import { QueueCountsData } from '../queues/queue-counts';
import { RetentionRunner } from './retention-runner';
import { TermContext } from './term-context';
import { WorkerRoster } from './worker-roster';
import { WorkerTracker } from './worker-tracker';

/** Pause before trying again after an unexpected error (not a ConnectionLoss). */
const ERROR_BACKOFF_MS = 1000;
/** How long stop() waits for work in flight. */
const STOP_WAIT_MS = 5000;

export interface LeaderTermInit {
  client: ZooKeeperClient;
  /** The election node this leadership rests on: every multi of the term checks it. */
  electionNode: string;
  options: ResolvedMasterOptions;
  counters: MasterCounters;
  /** The fence failed: leadership is gone though the election may not have noticed yet. */
  onDeposed: (reason: string) => void;
}

/**
 * One leadership term. Everything that reads and writes runs in one work loop, one step at a
 * time, in priority order, so a re-read never races a commit of the same state:
 *
 *   takeover (once): workers, then their assignments (orphans recovered), then the queue index;
 *   then, whenever marked: lost or changed workers -> read-back of an uncertain commit ->
 *   queue re-listing after a reconnect -> an assignment round.
 *
 * Watches only mark things stale and wake the loop (coalesced with setImmediate). A worker's
 * loss is handled before any further assignment. Assignment commits are the one thing that may
 * overlap other steps (Assigner: a few in flight); read-backs and re-listings wait for them.
 * Retention and the per-type counts (QueueCountsPublisher) run beside the loop on their own
 * timers.
 */
export class LeaderTerm implements TermContext {
  readonly client: ZooKeeperClient;
  readonly fence: readonly TransactionOp[];
  readonly options: ResolvedMasterOptions;
  readonly counters: MasterCounters;
  readonly roster = new WorkerRoster();
  readonly queue = new QueueIndex();
  private readonly workers: WorkerTracker;
  private readonly tasks: QueueTracker;
  private readonly settings: QueueSettingsTracker;
  private readonly assigner: Assigner;
  private readonly retention: RetentionRunner;
  private readonly counts: QueueCountsPublisher;
  private readonly flowRetention: FlowRetention;
  private readonly onDeposed: (reason: string) => void;
  private readonly electionNode: string;
  private isActive = true;
  private loaded = false;
  private roundWanted = false;
  private waitingForReconnect = false;
  private scheduled = false;
  /** Woken while the loop was finishing: look again once it has. */
  private again = false;
  private retryTimer: TimerHandle | undefined;
  private loop: Promise<void> | undefined;

  constructor(init: LeaderTermInit) {
    this.client = init.client;
    this.electionNode = init.electionNode;
    this.fence = [leaderFence(init.electionNode)];
    this.options = init.options;
    this.counters = init.counters;
    this.onDeposed = init.onDeposed;
    this.workers = new WorkerTracker(this);
    this.tasks = new QueueTracker(this);
    this.settings = new QueueSettingsTracker(this);
    this.assigner = new Assigner(this, this.tasks, this.workers, (err) => this.fail(err));
    this.retention = new RetentionRunner(this, (err) => this.fail(err));
    this.counts = new QueueCountsPublisher(this, (err) => this.fail(err));
    this.flowRetention = new FlowRetention(this, (err) => this.fail(err));
  }

  get queueSettings(): ReadonlyMap<string, QueueSettings> {
    return this.settings.settings;
  }

  get active(): boolean {
    return this.isActive;
  }

  transition(): TransitionContext {
    return { acl: this.options.acl, now: this.options.clock.now() };
  }

  start(): void {
    this.retention.start();
    this.flowRetention.start();
    this.kick();
  }

  wantRound(): void {
    this.roundWanted = true;
    this.kick();
  }

  kick(): void {
    if (!this.isActive) return;
    if (this.loop !== undefined) {
      this.again = true;
      return;
    }
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      if (!this.isActive || this.loop !== undefined) return;
      // Paused until the reconnect, or until the retry timer after an error.
      if (this.waitingForReconnect || this.retryTimer !== undefined) return;
      this.again = false;
      this.loop = this.run().finally(() => {
        this.loop = undefined;
        if (this.again) this.kick();
      });
    });
  }

  /**
   * The session is back after a disconnect: watch events of the gap are lost, so workers,
   * assignments and the queue are read again (the queue by listing its buckets, not its records).
   */
  onReconnected(): void {
    if (!this.isActive) return;
    this.waitingForReconnect = false;
    this.workers.markAllStale();
    this.settings.markAllStale();
    this.tasks.resyncWanted = true;
    this.roundWanted = true;
    this.kick();
  }

  /** Ends the term: no more reads, writes or timers; the persistent watch is removed. */
  async stop(): Promise<void> {
    if (!this.isActive) return this.stopped();
    this.isActive = false;
    this.assigner.stop();
    this.retention.stop();
    this.counts.stop();
    this.flowRetention.stop();
    if (this.retryTimer !== undefined) this.options.clock.clearTimeout(this.retryTimer);
    await this.stopped();
    if (isAlive(this.client.state))
      await Promise.all([
        this.tasks.stop().catch(() => undefined),
        this.settings.stop().catch(() => undefined),
        this.workers.stop().catch(() => undefined),
      ]);
  }

  /**
   * Resolves when the work loop and a retention pass in progress have finished, or after
   * STOP_WAIT_MS: a request queued while disconnected may wait for a server for long, and
   * nothing it does after the term ended matters (its results are ignored; its multis are
   * fenced).
   */
  async stopped(): Promise<void> {
    const { clock } = this.options;
    let timer: TimerHandle | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = clock.setTimeout(resolve, STOP_WAIT_MS);
    });
    try {
      await Promise.race([
        Promise.all([
          this.loop,
          this.retention.idle(),
          this.counts.idle(),
          this.flowRetention.idle(),
          this.assigner.idle(),
        ]),
        timeout,
      ]);
    } finally {
      clock.clearTimeout(timer);
    }
  }

  private async run(): Promise<void> {
    try {
      while (this.isActive && !this.waitingForReconnect) {
        if (!this.loaded) {
          await this.takeover();
        } else if (await this.workers.step()) {
          // a worker was judged
        } else if (this.assigner.hasUncertain) {
          await this.assigner.resolveUncertain();
        } else if (this.settings.pending) {
          await this.settings.refresh();
        } else if (this.tasks.resyncWanted) {
          await this.assigner.idle();
          await this.tasks.resync();
          this.roundWanted = true;
        } else if (this.roundWanted) {
          this.roundWanted = false;
          if (await this.assigner.round()) this.roundWanted = true;
        } else {
          break;
        }
      }
    } catch (err) {
      this.fail(err);
    }
  }

  /**
   * Our election node went away while the session lives (deleted by hand, or our candidacy
   * was dropped): the fence would refuse every multi from now on, so step down at once rather
   * than on the next refused commit.
   */
  private readonly onElectionNode: Watcher = (e) => {
    if (e.type === EventType.NodeDeleted)
      this.fail(new FenceError(new NoNodeError(this.electionNode)));
  };

  /**
   * The per-type counts (queued, running) as this term knows them: undefined until the
   * takeover has recovered the state, or once the term ended.
   */
  queueCounts(): QueueCountsData | undefined {
    return this.loaded && this.isActive ? this.counts.count() : undefined;
  }

  /** Takeover, in the order the recovery needs: workers, assignments, queue; then assign. */
  private async takeover(): Promise<void> {
    const started = this.options.clock.now();
    if ((await this.client.exists(this.electionNode, this.onElectionNode)) === null)
      throw new FenceError(new NoNodeError(this.electionNode));
    await this.workers.load();
    while (await this.workers.step()) {
      if (!this.isActive) return;
    }
    await this.settings.load();
    await this.tasks.load();
    this.loaded = true;
    this.roundWanted = true;
    // Counted from the recovered state only: a half-loaded index would publish wrong counts.
    this.counts.start();
    this.options.logger.info(
      {
        workers: this.roster.liveCount,
        inFlight: this.roster.assignedCount,
        queued: this.queue.size,
        recovered: this.counters.recovered,
        ms: this.options.clock.now() - started,
      },
      'takeover: state recovered',
    );
  }

  private fail(err: unknown): void {
    if (!this.isActive) return;
    const { logger } = this.options;
    if (err instanceof FenceError) {
      logger.warn({ err: err.message }, 'leader fence failed: no longer the leader');
      void this.stop();
      this.onDeposed('leader fence failed');
      return;
    }
    if (err instanceof SessionExpiredError || !isAlive(this.client.state)) {
      // The session is gone and the leadership with it; the Master starts over on the next one.
      void this.stop();
      return;
    }
    if (isRetryable(err)) {
      // Whatever was in flight is re-read after the reconnect, never re-applied blindly.
      logger.warn({ err: (err as Error).message }, 'connection lost; resuming after reconnect');
      if (isConnected(this.client.state)) this.retryLater(100);
      else this.waitingForReconnect = true;
      return;
    }
    logger.error({ err: (err as Error).message }, 'leader work failed; retrying');
    this.retryLater(ERROR_BACKOFF_MS);
  }

  private retryLater(ms: number): void {
    if (this.retryTimer !== undefined) return;
    this.retryTimer = this.options.clock.setTimeout(() => {
      this.retryTimer = undefined;
      this.onReconnected();
    }, ms);
  }
}
