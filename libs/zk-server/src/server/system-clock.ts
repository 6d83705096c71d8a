import type { Clock } from '@shepherd/zk-protocol';

/**
 * The real clock. now() is epoch milliseconds but never goes backwards within the process
 * (timeOrigin + performance.now(), not Date.now()): ZooKeeper's ExpiryQueue and session id seed
 * use Time.currentElapsedTime(), a monotonic clock, so a wall-clock step must not expire a
 * whole bucket of sessions at once. Timers are unref'd: an expiry timer alone must not keep
 * the process alive (the listening socket does that while the server runs).
 */
export const systemClock: Clock = {
  now: () => Math.floor(performance.timeOrigin + performance.now()),
  setTimeout: (cb, ms) => {
    const t = setTimeout(cb, Math.max(0, ms));
    t.unref();
    return t;
  },
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};
