import { Subscription } from 'rxjs';
import { ZooKeeperClient } from '@shepherd/zk-client';
import { SessionExpiredError } from '@shepherd/zk-protocol';
import { ZooKeeperConnection } from '@shepherd/coordination';
import { TaskHandlerFn, advertisedTypes, toHandlerMap } from './task-handler';
import { ResolvedWorkerOptions, WorkerOptions, resolveWorkerOptions } from './worker-options';
import { WorkerSession } from './worker-session';
import { WorkerCounters, WorkerStats, newCounters } from './worker-stats';

/** stop() was called before the worker finished registering. */
export class WorkerStoppedError extends Error {
  constructor() {
    super('the worker was stopped');
    this.name = 'WorkerStoppedError';
  }
}

export interface WorkerStopOptions {
  /** How long to wait for running handlers before aborting them (default shutdownGraceMs). */
  graceMs?: number;
}

/**
 * A task-queue worker: registers as /workers/<id>, runs the tasks the master assigns under
 * /assign/<id> with at most `concurrency` handlers at once, and writes each outcome in one
 * multi with the assignment's removal. Framework-free; WorkerModule wraps it for Nest.
 *
 *   const worker = new Worker({ connection, handlers: { echo: (t) => t.payload } });
 *   await worker.start();
 *   ...
 *   await worker.stop(); // SIGTERM: drain, hand back, close the session
 *
 * Survives session expiry: running handlers are aborted (their writes would be refused) and
 * the worker registers again, under the same id, on the connection's next session.
 */
export class Worker {
  readonly id: string;
  private readonly options: ResolvedWorkerOptions;
  private readonly connection: ZooKeeperConnection;
  private readonly handlers: Map<string, TaskHandlerFn>;
  private readonly requestedTypes: string[] | undefined;
  private readonly counters: WorkerCounters = newCounters();
  private advertised: string[] = [];
  private current: WorkerSession | undefined;
  private sessionsSub: Subscription | undefined;
  private started: Promise<void> | undefined;
  private stopped: Promise<void> | undefined;
  private firstRegistration:
    { resolve(): void; reject(err: unknown): void; settled: boolean } | undefined;

  constructor(options: WorkerOptions) {
    this.options = resolveWorkerOptions(options);
    this.id = this.options.id;
    this.connection = options.connection;
    this.handlers = toHandlerMap(options.handlers);
    this.requestedTypes = options.types;
  }

  /** Adds a handler; only before start() (the types are announced at registration). */
  handle(type: string, handler: TaskHandlerFn): this {
    if (this.started) throw new Error('handlers can only be added before start()');
    if (this.handlers.has(type)) throw new Error(`a handler for "${type}" is already registered`);
    for (const [t, fn] of toHandlerMap({ [type]: handler })) this.handlers.set(t, fn);
    return this;
  }

  /** The types announced to the master (known once start() was called). */
  get types(): readonly string[] {
    return this.advertised;
  }

  /** Session id (hex) of the registered incarnation, if any. */
  get session(): string | undefined {
    return this.current?.isRegistered ? this.current.sessionHex : undefined;
  }

  stats(): WorkerStats {
    return {
      ...this.counters,
      running: this.current?.running ?? 0,
      queued: this.current?.queued ?? 0,
    };
  }

  /** Resolves once the worker is registered and watching its assignments. */
  start(): Promise<void> {
    if (this.stopped) return Promise.reject(new WorkerStoppedError());
    this.started ??= this.begin();
    return this.started;
  }

  /**
   * Graceful shutdown: announce draining, hand back tasks not started, wait up to `graceMs`
   * for running handlers, abort and hand back the rest, then close the session (or, when the
   * connection is shared, remove /workers/<id>). Handed-back tasks are new in /tasks, so the
   * master reassigns them at once instead of after a session timeout.
   */
  stop(options: WorkerStopOptions = {}): Promise<void> {
    this.stopped ??= this.shutdown(options.graceMs ?? this.options.shutdownGraceMs);
    return this.stopped;
  }

  private async begin(): Promise<void> {
    this.advertised = advertisedTypes(this.handlers, this.requestedTypes);
    await this.connection.connect();
    if (this.stopped) throw new WorkerStoppedError();
    const registered = new Promise<void>((resolve, reject) => {
      this.firstRegistration = { resolve, reject, settled: false };
    });
    this.sessionsSub = this.connection.sessions$.subscribe((client) => this.onSession(client));
    return registered;
  }

  private settleFirst(err?: unknown): void {
    const first = this.firstRegistration;
    if (!first || first.settled) return;
    first.settled = true;
    if (err === undefined) first.resolve();
    else first.reject(err);
  }

  /** Every new session: the previous incarnation is over; register again under the same id. */
  private onSession(client: ZooKeeperClient): void {
    if (this.stopped || this.current?.client === client) return;
    this.current?.end();
    const session = new WorkerSession(
      {
        options: this.options,
        handlers: this.handlers,
        types: this.advertised,
        counters: this.counters,
      },
      client,
    );
    this.current = session;
    if (session.isEnded) return;
    session.register().then(
      () => this.settleFirst(),
      (err: unknown) => {
        if (session.isEnded || err instanceof SessionExpiredError) {
          this.options.logger.info({ workerId: this.id }, 'session ended while registering');
          return;
        }
        this.options.logger.error({ err, workerId: this.id }, 'worker registration failed');
        this.settleFirst(err);
      },
    );
  }

  private async shutdown(graceMs: number): Promise<void> {
    this.sessionsSub?.unsubscribe();
    this.settleFirst(new WorkerStoppedError());
    const session = this.current;
    if (session?.isRegistered) {
      this.options.logger.info({ workerId: this.id, graceMs }, 'worker draining');
      await session.drain(graceMs);
      if (!this.options.closeConnection) await session.deregister();
    }
    session?.end('stopped');
    if (this.options.closeConnection) await this.connection.close();
    this.options.logger.info({ workerId: this.id, stats: this.stats() }, 'worker stopped');
  }
}
