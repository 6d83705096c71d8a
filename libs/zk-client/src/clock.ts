/**
 * Time source for every timer the client owns (heartbeat, connect timeout, reconnect delay,
 * retry backoff). Injected so unit tests can drive time by hand instead of sleeping.
 */
export type TimerHandle = unknown;

export interface Clock {
  /** Milliseconds on a monotonic-enough scale; only differences are used. */
  now(): number;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/** The real clock: Date.now and the host timers. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};
