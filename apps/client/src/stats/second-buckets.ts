/**
 * Counts per whole second over a sliding window (a ring of `windowSeconds` slots, each tagged
 * with the second it counts, so a slot left over from a lap ago reads as zero).
 */
export class SecondBuckets {
  private readonly counts: number[];
  private readonly seconds: number[];

  constructor(readonly windowSeconds = 60) {
    this.counts = new Array<number>(windowSeconds).fill(0);
    this.seconds = new Array<number>(windowSeconds).fill(-Infinity);
  }

  add(atMs: number, n = 1): void {
    const second = Math.floor(atMs / 1000);
    const i = this.slot(second);
    if (this.seconds[i] > second) return; // older than the window
    if (this.seconds[i] < second) {
      this.seconds[i] = second;
      this.counts[i] = 0;
    }
    this.counts[i] += n;
  }

  /** One count per second, oldest first, the last one the second of `nowMs` (still filling). */
  series(nowMs: number): number[] {
    const now = Math.floor(nowMs / 1000);
    const out: number[] = [];
    for (let second = now - this.windowSeconds + 1; second <= now; second++) {
      const i = this.slot(second);
      out.push(this.seconds[i] === second ? this.counts[i] : 0);
    }
    return out;
  }

  private slot(second: number): number {
    return ((second % this.windowSeconds) + this.windowSeconds) % this.windowSeconds;
  }
}
