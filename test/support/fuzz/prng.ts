/**
 * A small seeded PRNG (mulberry32) so a fuzz run is reproducible from its printed seed.
 * Not for anything but test input.
 */
export class Prng {
  private state: number;

  constructor(readonly seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Integer in [lo, hi]. */
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  /** A signed 32-bit int, biased towards the edges parsers get wrong. */
  int32(): number {
    if (this.chance(0.3)) return this.pick(EDGE_INTS);
    return this.int(0x100000000) | 0;
  }

  /** A signed 64-bit long, biased towards edges. */
  int64(): bigint {
    if (this.chance(0.3)) return this.pick(EDGE_LONGS);
    return BigInt.asIntN(
      64,
      (BigInt(this.int(0x100000000)) << 32n) | BigInt(this.int(0x100000000)),
    );
  }

  bytes(n: number): Buffer {
    const b = Buffer.allocUnsafe(n);
    for (let i = 0; i < n; i++) b[i] = this.int(256);
    return b;
  }

  /** A fresh seed for a child generator (one per connection), derived from this stream. */
  fork(): Prng {
    return new Prng(this.int(0x100000000));
  }
}

const EDGE_INTS: readonly number[] = [
  0, 1, -1, 2, -2, 0x7fffffff, -0x80000000, 0xfffff, 0x100000, 0xffff, 0x10000, 127, 128, 255, 256,
];

const EDGE_LONGS: readonly bigint[] = [
  0n,
  1n,
  -1n,
  0x7fffffffffffffffn,
  -0x8000000000000000n,
  0xffffffffn,
];

/** A seed from the clock, unless the caller gives one. */
export function randomSeed(): number {
  return (Date.now() ^ (process.pid << 16)) >>> 0;
}
