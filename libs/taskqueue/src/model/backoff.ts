/** Longest wait between two attempts, whatever the base. */
export const MAX_BACKOFF_MS = 10 * 60 * 1000;

/**
 * Delay before the attempt after `attemptsMade` attempts: exponential, as BullMQ's
 * `{ type: 'exponential' }` backoff (base * 2^(n-1)), capped at MAX_BACKOFF_MS.
 */
export function retryDelayMs(baseMs: number, attemptsMade: number): number {
  if (baseMs <= 0) return 0;
  return Math.min(MAX_BACKOFF_MS, baseMs * 2 ** Math.max(0, attemptsMade - 1));
}
