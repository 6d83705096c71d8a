import type { Clock, TimerHandle } from '@shepherd/zk-protocol';

interface FakeTimer {
  at: number;
  seq: number;
  cb: () => void;
}

/**
 * A hand-driven Clock for tests: time only moves in advance(), which fires due timers in
 * deadline order (ties in the order they were set), including timers set by those timers
 * while still inside the advanced window. A test double: test support, never a package's API.
 */
export class FakeClock implements Clock {
  private t: number;
  private seq = 0;
  private readonly timers = new Map<number, FakeTimer>();

  /** Starts at a realistic epoch time by default: a session id seeded from 0 would be 0. */
  constructor(start = Date.UTC(2024, 0, 1)) {
    this.t = start;
  }

  now(): number {
    return this.t;
  }

  setTimeout(cb: () => void, ms: number): TimerHandle {
    const seq = ++this.seq;
    this.timers.set(seq, { at: this.t + Math.max(0, ms), seq, cb });
    return seq;
  }

  clearTimeout(h: TimerHandle): void {
    this.timers.delete(h as number);
  }

  /** Timers set and not yet fired or cleared. */
  get pending(): number {
    return this.timers.size;
  }

  /** Deadline of the earliest pending timer, if any. */
  get nextDeadline(): number | undefined {
    return this.earliest(Infinity)?.at;
  }

  /** Moves time forward by ms (>= 0), firing every timer that falls due on the way. */
  advance(ms: number): void {
    if (ms < 0) throw new RangeError(`FakeClock cannot go back (${ms} ms)`);
    const end = this.t + ms;
    for (let next = this.earliest(end); next; next = this.earliest(end)) {
      this.timers.delete(next.seq);
      this.t = next.at;
      next.cb();
    }
    this.t = end;
  }

  /** advance() to an absolute time. */
  advanceTo(time: number): void {
    this.advance(time - this.t);
  }

  private earliest(limit: number): FakeTimer | undefined {
    let best: FakeTimer | undefined;
    for (const timer of this.timers.values()) {
      if (timer.at > limit) continue;
      if (!best || timer.at < best.at || (timer.at === best.at && timer.seq < best.seq)) {
        best = timer;
      }
    }
    return best;
  }
}
