import { Clock, TimerHandle } from '@shepherd/zk-client';

/**
 * Coalesces a handler's progress reports into at most one write per interval, the latest
 * value winning, and never two writes at once: each write is a versioned setData that must
 * know the version the previous one left. The first report is written at once; later ones wait
 * for the interval to pass since the last write began.
 */
export class ProgressThrottle {
  private latest: { value: unknown } | undefined;
  private writing: Promise<void> | undefined;
  private timer: TimerHandle | undefined;
  private lastWriteAt = Number.NEGATIVE_INFINITY;
  private closed = false;

  constructor(
    private readonly intervalMs: number,
    private readonly clock: Clock,
    /** Writes one value; its failures are its own business (the throttle only sequences). */
    private readonly write: (value: unknown) => Promise<void>,
  ) {}

  push(value: unknown): void {
    if (this.closed) return;
    this.latest = { value };
    this.schedule();
  }

  /** Drops what is not written yet and resolves once a write in flight has settled. */
  async close(): Promise<void> {
    this.closed = true;
    this.latest = undefined;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    await this.writing;
  }

  private schedule(): void {
    if (this.closed || this.writing || this.timer !== undefined || !this.latest) return;
    const wait = this.lastWriteAt + this.intervalMs - this.clock.now();
    if (wait > 0) {
      this.timer = this.clock.setTimeout(() => {
        this.timer = undefined;
        this.schedule();
      }, wait);
      return;
    }
    const { value } = this.latest;
    this.latest = undefined;
    this.lastWriteAt = this.clock.now();
    this.writing = this.write(value)
      .catch(() => undefined)
      .finally(() => {
        this.writing = undefined;
        this.schedule();
      });
  }
}
