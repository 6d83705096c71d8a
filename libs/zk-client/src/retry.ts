import { ConnectionLossError, OperationTimeoutError } from '@shepherd/zk-protocol';
import type { Clock } from '@shepherd/zk-protocol';
import { systemClock } from './system-clock';

export interface RetryOptions {
  /** Total attempts including the first one (default 5). */
  maxAttempts?: number;
  /** Delay before the first retry (default 100 ms); doubled for each further retry. */
  baseDelayMs?: number;
  /** Upper bound for one delay (default 10 s). */
  maxDelayMs?: number;
  /**
   * Randomisation: `true` (default) = "full jitter", a delay uniform in [0, backoff]; a number
   * in [0, 1] = that fraction of the backoff is randomised; `false` = none.
   */
  jitter?: boolean | number;
  /** Which errors are worth another attempt (default: ConnectionLoss, OperationTimeout). */
  retryOn?: (err: unknown) => boolean;
  clock?: Clock;
  random?: () => number;
}

/**
 * ConnectionLoss means "the outcome is unknown and the session is probably still alive": the
 * request may or may not have been applied, and the client is reconnecting. Retrying is the
 * usual answer (kazoo's KazooRetry, Curator's RetryPolicy), but only for idempotent operations
 * or ones whose effect the caller re-checks. SessionExpired is never retried: a new session
 * needs new ephemerals and watches, which only the application can rebuild.
 */
export function isRetryable(err: unknown): boolean {
  return err instanceof ConnectionLossError || err instanceof OperationTimeoutError;
}

export class RetryPolicy {
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  private readonly jitter: number;
  private readonly retryOn: (err: unknown) => boolean;
  private readonly clock: Clock;
  private readonly random: () => number;

  constructor(options: RetryOptions = {}) {
    this.maxAttempts = Math.max(1, options.maxAttempts ?? 5);
    this.baseDelayMs = Math.max(0, options.baseDelayMs ?? 100);
    this.maxDelayMs = Math.max(this.baseDelayMs, options.maxDelayMs ?? 10_000);
    const j = options.jitter ?? true;
    this.jitter = j === true ? 1 : j === false ? 0 : Math.min(1, Math.max(0, j));
    this.retryOn = options.retryOn ?? isRetryable;
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? Math.random;
  }

  /** `attempt` counts attempts already made (1 after the first failure). */
  shouldRetry(err: unknown, attempt: number): boolean {
    return attempt < this.maxAttempts && this.retryOn(err);
  }

  /** Delay before attempt number `attempt + 1`: exponential, capped, jittered. */
  delayFor(attempt: number): number {
    const backoff = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** Math.max(0, attempt - 1));
    return Math.round(backoff * (1 - this.jitter) + backoff * this.jitter * this.random());
  }

  async run<T>(fn: (attempt: number) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await fn(attempt);
      } catch (err) {
        if (!this.shouldRetry(err, attempt)) throw err;
        const delay = this.delayFor(attempt);
        await new Promise<void>((resolve) => this.clock.setTimeout(resolve, delay));
      }
    }
  }
}

/** Run `fn`, retrying on ConnectionLoss/OperationTimeout with exponential backoff. */
export function withRetry<T>(
  fn: (attempt: number) => Promise<T>,
  options?: RetryOptions,
): Promise<T> {
  return new RetryPolicy(options).run(fn);
}
