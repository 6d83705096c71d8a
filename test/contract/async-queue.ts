/**
 * Values pushed by callbacks (watchers, observables), awaited in order by a test.
 * `next()` fails after a timeout instead of hanging the suite; `expectNone()` proves a
 * negative over a short window (e.g. a one-shot watch must not fire twice).
 */
export class AsyncQueue<T> {
  readonly received: T[] = [];
  private consumed = 0;
  private waiter: (() => void) | undefined;

  readonly push = (value: T): void => {
    this.received.push(value);
    this.waiter?.();
  };

  get pending(): T[] {
    return this.received.slice(this.consumed);
  }

  async next(what = 'a value', timeoutMs = 10000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    while (this.consumed >= this.received.length) {
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.waiter = undefined;
    }
    return this.received[this.consumed++];
  }

  /** Waits for the first value matching `match`, skipping (consuming) the others. */
  async nextMatching(what: string, match: (v: T) => boolean, timeoutMs = 10000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await this.next(what, Math.max(1, deadline - Date.now()));
      if (match(value)) return value;
    }
  }

  async expectNone(windowMs = 300): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, windowMs));
    if (this.pending.length > 0) {
      throw new Error(`expected nothing, got ${JSON.stringify(this.pending, jsonSafe)}`);
    }
  }
}

/** JSON.stringify replacer for bigint and Buffer-laden values in failure messages. */
export function jsonSafe(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return `${value}n`;
  return value;
}
