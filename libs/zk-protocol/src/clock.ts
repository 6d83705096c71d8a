/**
 * Time as the client and the server see it: every timer either side owns (heartbeats,
 * connect timeouts, session expiry buckets, txn timestamps) goes through a Clock, so tests
 * drive time by hand instead of sleeping. Not wire format, but the one thing besides it that
 * the client and the server share, so its single definition lives here. Each side supplies its
 * own system clock (the server's is monotonic, see zk-server's system-clock.ts).
 */

/** Opaque: whatever the clock's setTimeout returned, handed back to its clearTimeout. */
export type TimerHandle = unknown;

export interface Clock {
  /** Milliseconds since the Unix epoch (only differences matter to the client). */
  now(): number;
  setTimeout(cb: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}
