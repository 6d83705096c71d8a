/** How long acquire() may wait, and a way for the caller to give up earlier. */
export interface AcquireOptions {
  /** Give up after this many ms with LockTimeoutError. Default: wait as long as it takes. */
  timeoutMs?: number;
  /** Give up when aborted; acquire() rejects with `signal.reason`. */
  signal?: AbortSignal;
}

/** acquire() waited `timeoutMs` without getting the lock (its node, if any, was removed). */
export class LockTimeoutError extends Error {
  constructor(
    readonly path: string,
    readonly timeoutMs: number,
  ) {
    super(`lock ${path} not acquired within ${timeoutMs} ms`);
    this.name = 'LockTimeoutError';
  }
}

/**
 * The caller's timeout and signal folded into one AbortSignal, so the acquire loops check a
 * single thing. `dispose()` clears the timer and detaches from the caller's signal.
 */
export function acquireDeadline(
  path: string,
  opts: AcquireOptions,
): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const outer = opts.signal;
  const onOuterAbort = (): void => controller.abort(outer?.reason);
  if (outer?.aborted) onOuterAbort();
  else outer?.addEventListener('abort', onOuterAbort, { once: true });
  const timeoutMs = opts.timeoutMs;
  const timer =
    timeoutMs === undefined
      ? undefined
      : setTimeout(() => controller.abort(new LockTimeoutError(path, timeoutMs)), timeoutMs);
  return {
    signal: controller.signal,
    dispose: () => {
      clearTimeout(timer);
      outer?.removeEventListener('abort', onOuterAbort);
    },
  };
}
