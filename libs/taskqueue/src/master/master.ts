import { hostname } from 'os';
import { BehaviorSubject, Observable, Subscription, distinctUntilChanged } from 'rxjs';
import { ZooKeeperClient, isAlive, withRetry } from '@shepherd/zk-client';
import { ConnectionEvent, LeaderElection } from '@shepherd/coordination';
import { FlowRunner } from '../flows/flow-runner';
import { ROOTS } from '../layout/paths';
import { Scheduler } from '../schedules/scheduler';
import { ensureLayout } from '../store/ensure-layout';
import { observeQueueDepth } from '../telemetry/task-metrics';
import { LeaderTerm } from './leader-term';
import { MasterCounters, MasterStats } from './master-stats';
import { MasterOptions, ResolvedMasterOptions, resolveMasterOptions } from './master-options';

/** What a master stores in its election node (the client's `masters()` reads it). */
export interface MasterCandidateInfo {
  id: string;
  host: string;
  pid: number;
  since: number;
}

/**
 * The master role: runs the election, and while it leads, assigns queued tasks to workers and
 * recovers the tasks of lost workers. Backups wait in the election and take over when the
 * leader's node disappears (herd-free: each watches only its predecessor).
 *
 * Only the leader writes, and every multi it sends carries a check on the election node it was
 * elected with: a master that lost its session (and so its node) cannot move anything, even
 * if it has not noticed yet. A session expiry ends the leadership term and the candidacy; the
 * master joins again on the connection's next session (ZooKeeperConnection.sessions$).
 *
 * Framework-free; MasterModule is the Nest wrapper.
 */
export class Master {
  /** Whether this master leads: the current value first, then every change. */
  readonly leadership$: Observable<boolean>;
  private readonly options: ResolvedMasterOptions;
  private readonly counters = new MasterCounters();
  private readonly leading = new BehaviorSubject<boolean>(false);
  private running = false;
  private subscriptions: Subscription[] = [];
  /** Stops the queue-depth gauge (registered while the master runs). */
  private unobserve: (() => void) | undefined;
  private client: ZooKeeperClient | undefined;
  private election: LeaderElection | undefined;
  private electionSub: Subscription | undefined;
  private term: LeaderTerm | undefined;
  /** Fires the schedules while this master leads (one per term). */
  private scheduler: Scheduler | undefined;
  /** Releases (or cancels) the waiting tasks of flows while this master leads (one per term). */
  private flows: FlowRunner | undefined;

  constructor(options: MasterOptions) {
    this.options = resolveMasterOptions(options);
    this.leadership$ = this.leading.pipe(distinctUntilChanged());
  }

  get id(): string {
    return this.options.id;
  }

  get isLeader(): boolean {
    return this.leading.value;
  }

  stats(): MasterStats {
    const term = this.term;
    return {
      isLeader: this.isLeader,
      leaderSince: this.counters.leaderSince,
      assigned: this.counters.assigned,
      recovered: this.counters.recovered,
      pruned: this.counters.pruned,
      rejected: this.counters.rejected,
      queueDepth: term?.queue.size ?? 0,
      workers: term?.roster.liveCount ?? 0,
      inFlight: term?.roster.assignedCount ?? 0,
    };
  }

  /**
   * Connects (if needed), makes sure the layout exists and joins the election. Resolves once
   * this master's position is known: `isLeader` is then accurate (the takeover itself goes on
   * in the background).
   */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    const { connection, metrics } = this.options;
    this.unobserve = observeQueueDepth(metrics.meter, () => this.term?.queueCounts());
    try {
      const client = await connection.connect();
      this.subscriptions.push(connection.events$.subscribe((e) => this.onConnectionEvent(e)));
      await this.join(client);
      this.subscriptions.push(
        connection.sessions$.subscribe((next) => {
          if (next !== this.client) void this.rejoin(next, 'new session');
        }),
      );
    } catch (err) {
      await this.stop();
      throw err;
    }
  }

  /**
   * Stops leading and leaves the election (its node is deleted, so a backup takes over at
   * once rather than after the session timeout). The connection stays open; it is its
   * owner's to close.
   */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.unobserve?.();
    this.unobserve = undefined;
    for (const s of this.subscriptions) s.unsubscribe();
    this.subscriptions = [];
    await this.endTerm();
    this.client = undefined;
    await this.leaveElection();
    this.options.logger.info({ master: this.options.id }, 'master stopped');
  }

  // --- internals -----------------------------------------------------------------------

  /** Joins the election on `client` (the current session). */
  private async join(client: ZooKeeperClient): Promise<void> {
    this.client = client;
    await this.leaveElection();
    const { acl, id, clock, logger } = this.options;
    await withRetry(() => ensureLayout(client, acl));
    if (!this.running || this.client !== client) return;
    const info: MasterCandidateInfo = {
      id,
      host: hostname(),
      pid: process.pid,
      since: clock.now(),
    };
    const election = new LeaderElection(client, {
      path: ROOTS.election,
      id,
      data: JSON.stringify(info),
      acl,
    });
    this.election = election;
    this.electionSub = election.leadership$.subscribe((leads) => {
      if (this.election !== election) return;
      if (leads) this.lead(election, client);
      else void this.follow();
    });
    await election.start();
    logger.info(
      { master: id, node: election.nodePath, leader: election.isLeader },
      'joined the election',
    );
  }

  /** Leaves the current election (if any) and joins again on `client`. */
  private async rejoin(client: ZooKeeperClient, reason: string): Promise<void> {
    if (!this.running) return;
    this.client = client;
    this.options.logger.info({ master: this.options.id, reason }, 'joining the election again');
    await this.endTerm();
    await this.leaveElection();
    const { logger, clock } = this.options;
    for (
      let attempt = 1;
      this.running && isAlive(client.state) && this.client === client;
      attempt++
    ) {
      try {
        await this.join(client);
        return;
      } catch (err) {
        logger.error({ err: (err as Error).message, attempt }, 'could not join the election');
        await new Promise<void>((resolve) =>
          clock.setTimeout(resolve, Math.min(10_000, 250 * 2 ** attempt)),
        );
      }
    }
  }

  /**
   * Leaves the current election, deleting our node if the session still has it, so the next
   * candidate leads at once.
   */
  private async leaveElection(): Promise<void> {
    const old = this.election;
    this.election = undefined;
    this.electionSub?.unsubscribe();
    this.electionSub = undefined;
    await old?.close().catch(() => undefined);
  }

  private lead(election: LeaderElection, client: ZooKeeperClient): void {
    const electionNode = election.nodePath;
    if (!this.running || electionNode === undefined) return;
    void this.endTerm();
    const { clock, logger, id } = this.options;
    this.counters.leaderSince = clock.now();
    logger.info({ master: id, node: electionNode }, 'elected leader: taking over');
    const term = new LeaderTerm({
      client,
      electionNode,
      options: this.options,
      counters: this.counters,
      onDeposed: (reason) => {
        if (this.term === term) void this.rejoin(client, reason);
      },
    });
    this.term = term;
    this.leading.next(true);
    term.start();
    this.scheduler = new Scheduler(term, () => {
      if (this.term === term) void this.rejoin(client, 'leader fence failed');
    });
    this.scheduler.start();
    this.flows = new FlowRunner(term, () => {
      if (this.term === term) void this.rejoin(client, 'leader fence failed');
    });
    this.flows.start();
  }

  private async follow(): Promise<void> {
    if (this.term !== undefined)
      this.options.logger.info({ master: this.options.id }, 'no longer the leader');
    await this.endTerm();
  }

  private async endTerm(): Promise<void> {
    const term = this.term;
    const scheduler = this.scheduler;
    const flows = this.flows;
    this.term = undefined;
    this.scheduler = undefined;
    this.flows = undefined;
    scheduler?.stop();
    const flowsStopped = flows?.stop().catch(() => undefined);
    if (this.leading.value) this.leading.next(false);
    this.counters.leaderSince = null;
    await term?.stop();
    await flowsStopped;
  }

  private onConnectionEvent(event: ConnectionEvent): void {
    switch (event.type) {
      case 'reconnected':
        this.term?.onReconnected();
        this.flows?.onReconnected();
        break;
      case 'disconnected':
        this.options.logger.warn({ master: this.options.id }, 'disconnected from ZooKeeper');
        break;
      case 'expired':
        this.options.logger.warn(
          { master: this.options.id, session: event.sessionId.toString(16) },
          'session expired: leadership and candidacy are gone',
        );
        void this.endTerm();
        break;
    }
  }
}
