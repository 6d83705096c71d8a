/** Why a running handler's AbortSignal fired; what the worker then writes depends on it. */
export type TaskAbortKind =
  /** The task's timeoutMs passed: the attempt fails (and may be retried). */
  | 'timeout'
  /** The assignment was deleted (cancelled, or taken back by the master): nothing is written. */
  | 'revoked'
  /** The worker is shutting down past its grace period: the task is handed back. */
  | 'shutdown'
  /** The worker's session ended: its writes would be rejected, so nothing is written. */
  | 'session-lost';

/**
 * The `reason` of a handler's AbortSignal. Handlers that pass the signal on (fetch, streams,
 * timers/promises) reject with it, so `err instanceof TaskAbortError` tells them apart from
 * their own failures.
 */
export class TaskAbortError extends Error {
  constructor(
    readonly kind: TaskAbortKind,
    message: string,
  ) {
    super(message);
    this.name = 'TaskAbortError';
  }
}

/** The per-task timeout (record.options.timeoutMs) passed. Named as the DOM's timeout reason. */
export class TaskTimeoutError extends TaskAbortError {
  constructor(readonly timeoutMs: number) {
    super('timeout', `the attempt did not finish within ${timeoutMs} ms`);
    this.name = 'TimeoutError';
  }
}

/** A handler's result over LIMITS.maxResultBytes (or not JSON): the attempt fails. */
export class ResultNotStorableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ResultNotStorableError';
  }
}
