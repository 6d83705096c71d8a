import { Span } from '@opentelemetry/api';
import { TimerHandle, ZooKeeperClient } from '@shepherd/zk-client';
import { TaskRecord } from '../model/task-record';
import { TaskState } from '../model/task-state';
import { ATTR } from '../telemetry/messaging-attributes';
import {
  endSpan,
  runInSpan,
  startProcessSpan,
  withAttempt,
  withRecordTraceIds,
  withTraceIds,
} from '../telemetry/task-spans';
import { encodeRecord } from '../model/record-codec';
import { progressedRecord, startedRecord } from '../transitions/run-updates';
import { Transition, TransitionContext } from '../transitions/transition';
import { CompletionBatcher, Verdict } from './completion-batcher';
import { ProgressThrottle } from './progress-throttle';
import { OwnWriteBatcher, WriteTicket } from './own-write-batcher';
import { AssignmentRef } from './read-back';
import { TaskAbortError, TaskAbortKind, TaskTimeoutError } from './task-abort';
import { TaskContext, TaskHandlerFn, handlerFor, progressJson } from './task-handler';
import { HandlerOutcome, outcomeTransition } from './task-outcome';
import { WorkerCounters } from './worker-stats';
import { ResolvedWorkerOptions } from './worker-options';

/** What a run needs from the session that holds the assignment. */
export interface RunEnv {
  readonly client: ZooKeeperClient;
  readonly options: ResolvedWorkerOptions;
  readonly handlers: ReadonlyMap<string, TaskHandlerFn>;
  readonly batcher: CompletionBatcher;
  /** Start and progress writes, batched per event-loop turn. */
  readonly writes: OwnWriteBatcher;
  readonly counters: WorkerCounters;
}

/**
 * queued: read, waiting for a slot; running: the handler runs (its start write may still be
 * in flight); finishing: its outcome is being committed; finished: nothing more is written.
 */
export type RunPhase = 'queued' | 'running' | 'finishing' | 'finished';

/**
 * One assignment of one task to this worker incarnation, from the read to the last write.
 * Every write names the assignment version the previous one left, so the first write after the
 * task was cancelled or taken back fails, and from then on the run writes nothing.
 */
export class TaskRun {
  private phase: RunPhase = 'queued';
  private record: TaskRecord;
  private ref: AssignmentRef;
  /**
   * The handler's AbortController, made when the handler first reads `signal` (or the run is
   * aborted): most handlers never look, and one per task was a measurable share of the worker's
   * time. `abortReason` is the source of truth until it exists.
   */
  private controller: AbortController | undefined;
  private abortReason: unknown;
  private aborted = false;
  /** Ends invoke()'s race when the run is aborted while the handler runs. */
  private onAbort: (() => void) | undefined;
  private abortKind: TaskAbortKind | undefined;
  private readonly throttle: ProgressThrottle;
  private timer: TimerHandle | undefined;
  private done: Promise<void> | undefined;
  /** The start write, once sent: later writes wait for the version it leaves. */
  private started: Promise<void> = Promise.resolve();
  /** The attempt's span (telemetry/task-spans.ts), from the start to the stored outcome. */
  private span: Span | undefined;
  private startedAt = 0;

  constructor(
    private readonly env: RunEnv,
    record: TaskRecord,
    ref: AssignmentRef,
  ) {
    this.record = record;
    this.ref = ref;
    this.throttle = new ProgressThrottle(env.options.progressIntervalMs, env.options.clock, (v) =>
      this.writeProgress(v),
    );
  }

  get id(): string {
    return this.record.id;
  }

  get state(): RunPhase {
    return this.phase;
  }

  /** A log line's fields with the trace and span ids of this attempt, once it started. */
  traced<T extends object>(fields: T): T {
    return this.span === undefined
      ? withRecordTraceIds(fields, this.record)
      : withTraceIds(fields, this.span);
  }

  /** Holds one of the worker's slots (the master counts it until the assignment is gone). */
  get busy(): boolean {
    return this.phase === 'running' || this.phase === 'finishing';
  }

  /** Resolves when the run will write nothing more. */
  get settled(): Promise<void> {
    return this.done ?? Promise.resolve();
  }

  /**
   * Fires the handler's signal (once; the first reason wins). What follows depends on `kind`:
   * a timeout fails the attempt, a shutdown hands the task back, a revoke or a lost session
   * writes nothing.
   */
  abort(kind: TaskAbortKind, message: string): void {
    // While finishing, the commit's verdict decides (our own delete also looks like a revoke).
    if (this.aborted || this.phase === 'finishing' || this.phase === 'finished') return;
    this.abortKind = kind;
    if (kind === 'revoked') this.env.counters.revoked++;
    if (kind === 'session-lost' && this.phase === 'running') this.env.counters.sessionAborts++;
    const timeoutMs = this.record.options.timeoutMs ?? 0;
    this.aborted = true;
    this.abortReason =
      kind === 'timeout' ? new TaskTimeoutError(timeoutMs) : new TaskAbortError(kind, message);
    this.controller?.abort(this.abortReason);
    this.onAbort?.();
  }

  /** Runs it to the end. Called once; a run aborted while queued only writes a hand-back. */
  execute(): Promise<void> {
    this.done ??= this.run()
      .catch((err: unknown) => {
        // A bug of ours, not the handler's (its errors are outcomes): the assignment stays,
        // and the master recovers it if this incarnation goes away.
        this.env.options.logger.error(
          withTraceIds({ err, taskId: this.id }, this.span),
          'task run failed',
        );
        this.finishSpan('error', err);
      })
      .finally(() => {
        this.phase = 'finished';
      });
    return this.done;
  }

  private ctx(): TransitionContext {
    return { acl: this.env.options.acl, now: this.env.options.clock.now() };
  }

  /**
   * The start write does not hold up the handler: it is queued as the handler begins (so a
   * worker's slot is not idle for a commit round trip per task), and everything written
   * after it (progress, the outcome) waits for it, since each names the version it leaves.
   * If it is refused the task is no longer ours: the handler is aborted as for a cancel.
   * A handler that is done before the write has left (in the same turn of the event loop)
   * takes it back: its outcome then carries the `started` entry, one write instead of two.
   */
  private async run(): Promise<void> {
    const { logger } = this.env.options;
    let outcome: HandlerOutcome;
    if (!this.aborted) {
      this.phase = 'running';
      const span = startProcessSpan(this.record, this.env.options.id);
      this.span = span;
      const ctx = this.ctx();
      this.startedAt = ctx.now;
      const started = startedRecord(ctx, this.record);
      // The next attempt links to this one, even if this worker dies before it ends.
      started.trace = withAttempt(this.record, span);
      const ticket: WriteTicket = { sent: false, withdrawn: false };
      this.started = this.writeOwn(started, ticket);
      logger.debug(
        withTraceIds({ taskId: this.id, attempt: this.record.attempts }, span),
        'task started',
      );
      outcome = await this.invoke();
      if (!ticket.sent) {
        ticket.withdrawn = true;
        this.record = started;
      }
      await this.started;
    } else {
      outcome = this.abortedOutcome();
    }
    await this.throttle.close();
    // Revoked or session gone, even after the handler returned: any write would be refused.
    if (this.abortKind === 'revoked' || this.abortKind === 'session-lost') {
      logger.info(
        withTraceIds({ taskId: this.id, reason: this.abortKind }, this.span),
        'task dropped without writing',
      );
      this.finishSpan(this.abortKind);
      return;
    }
    const transition = outcomeTransition(this.ctx(), this.record, this.ref.version, outcome, {
      storeErrorStacks: this.env.options.storeErrorStacks,
    });
    if (transition === undefined) {
      this.finishSpan('none');
      return;
    }
    this.logFailure(outcome, transition);
    this.phase = 'finishing';
    const verdict = await this.env.batcher.submit(transition, this.ref);
    this.account(verdict, outcome, transition);
  }

  private abortedOutcome(): HandlerOutcome {
    return {
      kind: 'aborted',
      abort: this.abortKind ?? 'shutdown',
      reason: this.abortReason,
    };
  }

  /** The handler's signal, made on first use (already aborted if the run was). */
  private signal(): AbortSignal {
    if (this.controller === undefined) {
      this.controller = new AbortController();
      if (this.aborted) this.controller.abort(this.abortReason);
    }
    return this.controller.signal;
  }

  /** The handler, raced against an abort: an aborted run does not wait for the handler. */
  private invoke(): Promise<HandlerOutcome> {
    const { options, handlers } = this.env;
    const timeoutMs = this.record.options.timeoutMs;
    if (timeoutMs !== null && timeoutMs !== undefined)
      this.timer = options.clock.setTimeout(() => this.abort('timeout', 'timed out'), timeoutMs);
    const handler = handlerFor(handlers, this.record.type);
    const context = this.context();
    return new Promise<HandlerOutcome>((resolve) => {
      this.onAbort = (): void => resolve(this.abortedOutcome());
      new Promise<unknown>((res) => {
        if (handler === undefined)
          throw new Error(`worker ${options.id} has no handler for type "${this.record.type}"`);
        const span = this.span;
        res(span === undefined ? handler(context) : runInSpan(span, () => handler(context)));
      }).then(
        (value) => resolve({ kind: 'returned', value }),
        (error: unknown) => resolve({ kind: 'threw', error }),
      );
    }).finally(() => {
      this.onAbort = undefined;
      if (this.timer !== undefined) options.clock.clearTimeout(this.timer);
      this.timer = undefined;
    });
  }

  private context(): TaskContext {
    const r = this.record;
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the getter below has its own `this`
    const run = this;
    return {
      id: r.id,
      type: r.type,
      payload: r.payload,
      attempt: r.attempts,
      maxAttempts: r.options.maxAttempts,
      dependencies: r.dependencies ?? {},
      failedDependencies: r.failedDependencies ?? {},
      get signal() {
        return run.signal();
      },
      progress: (value: unknown) => {
        const json = progressJson(value);
        this.throttle.push(JSON.parse(json) as unknown);
      },
    };
  }

  private async writeProgress(value: unknown): Promise<void> {
    await this.started;
    if (this.phase !== 'running' || this.aborted) return;
    await this.writeOwn(progressedRecord(this.ctx(), this.record, value));
  }

  /**
   * A versioned setData of `record` on the assignment (encoded only when the write leaves);
   * failure means the task is no longer ours.
   */
  private async writeOwn(record: TaskRecord, ticket?: WriteTicket): Promise<void> {
    let version: number | null;
    try {
      version = await this.env.writes.set(this.ref, () => encodeRecord(record), ticket);
      if (ticket?.withdrawn) return;
    } catch {
      this.abort('session-lost', 'the session ended');
      return;
    }
    if (version === null) {
      this.abort('revoked', 'the assignment was deleted or changed');
      return;
    }
    this.record = record;
    this.ref = { ...this.ref, version };
  }

  /** Ends the attempt's span and counts it (once; a run that never started has none). */
  private finishSpan(outcome: string, error?: unknown, at?: number): void {
    const span = this.span;
    if (span === undefined) return;
    this.span = undefined;
    // The outcome's own time when there is one: no second clock read per task.
    const ms = (at ?? this.env.options.clock.now()) - this.startedAt;
    this.env.options.metrics.ran(this.record.type, ms, outcome);
    if (span.isRecording()) span.setAttribute(ATTR.outcome, outcome);
    endSpan(span, error);
  }

  /**
   * A failed attempt, logged with its stack: the record keeps only the name and message unless
   * the worker stores stacks, so the log is where an operator finds where it failed.
   */
  private logFailure(outcome: HandlerOutcome, transition: Transition): void {
    const { error, state } = transition.record;
    if (outcome.kind === 'aborted' && outcome.abort !== 'timeout') return;
    if (outcome.kind === 'returned' && state === 'done') return;
    const err: unknown =
      outcome.kind === 'threw'
        ? outcome.error
        : outcome.kind === 'aborted'
          ? outcome.reason
          : error;
    this.env.options.logger.warn(
      withTraceIds(
        { taskId: this.id, type: this.record.type, attempt: this.record.attempts, state, err },
        this.span,
      ),
      'task attempt failed',
    );
  }

  private account(verdict: Verdict, outcome: HandlerOutcome, transition: Transition): void {
    const { counters, options } = this.env;
    const log = withTraceIds(
      { taskId: this.id, state: transition.record.state, verdict },
      this.span,
    );
    if (verdict === 'rejected') {
      counters.rejected++;
      options.logger.warn(log, 'outcome rejected: the task was no longer assigned to us');
      this.finishSpan('rejected');
      return;
    }
    if (verdict === 'lost') {
      options.logger.warn(log, 'session ended before the outcome was known');
      this.finishSpan('unknown');
      return;
    }
    this.finishSpan(
      outcomeLabel(outcome, transition.record.state),
      failureOf(outcome),
      transition.record.updatedAt,
    );
    if (outcome.kind === 'returned' && transition.record.state === 'done') counters.completed++;
    else if (outcome.kind === 'aborted' && outcome.abort === 'shutdown') counters.handedBack++;
    else {
      counters.failed++;
      if (outcome.kind === 'aborted' && outcome.abort === 'timeout') counters.timedOut++;
    }
    options.logger.info(log, 'task outcome stored');
  }
}

/**
 * What an attempt came to, as the outcome attribute of its span and metrics: done, retry
 * (failed with attempts left), failed, dead, handed-back; rejected, unknown, revoked,
 * session-lost and none when nothing (or nothing known) was stored.
 */
export function outcomeLabel(outcome: HandlerOutcome, state: TaskState): string {
  if (outcome.kind === 'aborted' && outcome.abort === 'shutdown') return 'handed-back';
  if (state === 'queued') return 'retry';
  return state;
}

/** The error an attempt failed with, for its span; undefined when it did not fail. */
function failureOf(outcome: HandlerOutcome): unknown {
  if (outcome.kind === 'threw') return outcome.error ?? new Error('the handler threw nothing');
  if (outcome.kind === 'aborted' && outcome.abort === 'timeout') return outcome.reason;
  return undefined;
}
