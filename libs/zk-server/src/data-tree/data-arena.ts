/**
 * Bytes outside the JS heap, by size class: znode data (node-store.ts) and znode names
 * (path-index.ts) live here.
 */

/**
 * Size classes of the arena: multiples of 4 bytes up to 64 (names: a task id of 25 bytes takes
 * 28, not 32, which is 4 MB at a million records), multiples of 8 up to 256, then steps of about
 * 1/8 (so a slot wastes at most 7 bytes, or about 12%), up to MAX_CLASS_SIZE. Class 0 means no
 * data.
 */
const CLASS_SIZES: number[] = [0];
for (let size = 4; size <= 64; size += 4) CLASS_SIZES.push(size);
/** Classes up to SMALL_MAX are 4 bytes apart. */
const SMALL_MAX = 64;
const SMALL_CLASSES = SMALL_MAX / 4;
for (let size = 72; size <= 256; size += 8) CLASS_SIZES.push(size);
/** The class of 256 bytes: the last one of the 8-byte steps. */
const CLASS_256 = CLASS_SIZES.length - 1;
for (let size = 256; size < 64 * 1024;) {
  size = Math.ceil((size * 1.125) / 8) * 8;
  CLASS_SIZES.push(size);
}
const MAX_CLASS_SIZE = CLASS_SIZES[CLASS_SIZES.length - 1];

/** The arena class of data of this length: 0 for none, -1 for a Buffer of its own. */
export function dataClass(length: number): number {
  if (length <= SMALL_MAX) return (length + 3) >>> 2;
  if (length <= 256) return SMALL_CLASSES + ((length - SMALL_MAX + 7) >>> 3);
  if (length > MAX_CLASS_SIZE) return -1;
  let lo = CLASS_256 + 1;
  let hi = CLASS_SIZES.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (CLASS_SIZES[mid] >= length) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** The slot size of class `cls`. */
export function classSize(cls: number): number {
  return CLASS_SIZES[cls];
}

/** Bytes of one slab; a class whose slots are bigger gets slabs of 16 slots. */
const SLAB_BYTES = 256 * 1024;

interface SizeClass {
  size: number;
  slotsPerSlab: number;
  /** null: a slab given back (every slot was free). */
  slabs: Array<Buffer | null>;
  /** Slots in use, per slab. */
  live: number[];
  /** Slots ever handed out from the end; freed ones are reused first. */
  next: number;
  free: number[];
  /** Indexes of slabs given back, to be allocated again before new ones. */
  released: number[];
  /** Free slots after the last sweep; the next sweep waits until there are twice as many. */
  sweptAt: number;
}

/**
 * Node data outside the JS heap (the collector never scans or moves it, and it costs no more
 * than its bytes and the rounding of its slot): a slab allocator with one free list per size
 * class. A slot is a number; data never moves once stored; freed slots are reused by the next
 * data of the same class, and a slab whose slots are all free is given back to the system
 * (swept when the free list has doubled since the last sweep, so sweeping is amortized).
 */
export class DataArena {
  private readonly classes: Array<SizeClass | undefined> = [];

  /** Copies `data` (1..MAX_CLASS_SIZE bytes, of class `cls`) into a free slot; returns it. */
  store(cls: number, data: Buffer): number {
    const slot = this.reserve(cls);
    (this.slab(cls, slot) as Uint8Array).set(data, this.slotOffset(cls, slot));
    return slot;
  }

  /** A free slot of class `cls`, for the caller to fill (at slab(cls, slot), slotOffset). */
  reserve(cls: number): number {
    const c = this.classes[cls] ?? this.makeClass(cls);
    const per = c.slotsPerSlab;
    if (c.free.length === 0 && c.released.length > 0) {
      const k = c.released.pop() as number;
      c.slabs[k] = Buffer.allocUnsafeSlow(per * c.size);
      for (let s = (k + 1) * per - 1; s >= k * per; s--) c.free.push(s);
    }
    const slot = c.free.length > 0 ? (c.free.pop() as number) : c.next++;
    const k = Math.floor(slot / per);
    if (k === c.slabs.length) {
      c.slabs.push(Buffer.allocUnsafeSlow(per * c.size));
      c.live.push(0);
    }
    c.live[k]++;
    return slot;
  }

  copyOut(cls: number, slot: number, length: number, target: Buffer, at: number): number {
    const c = this.classes[cls] as SizeClass;
    const k = Math.floor(slot / c.slotsPerSlab);
    const from = (slot - k * c.slotsPerSlab) * c.size;
    return (c.slabs[k] as Buffer).copy(target, at, from, from + length);
  }

  /** The slab holding `slot` of class `cls` (read it at slotOffset; valid until released). */
  slab(cls: number, slot: number): Buffer {
    const c = this.classes[cls] as SizeClass;
    return c.slabs[Math.floor(slot / c.slotsPerSlab)] as Buffer;
  }

  /** Where `slot` of class `cls` starts in its slab. */
  slotOffset(cls: number, slot: number): number {
    const c = this.classes[cls] as SizeClass;
    return (slot % c.slotsPerSlab) * c.size;
  }

  release(cls: number, slot: number): void {
    const c = this.classes[cls] as SizeClass;
    const k = Math.floor(slot / c.slotsPerSlab);
    c.free.push(slot);
    if (--c.live[k] === 0 && c.free.length >= 2 * c.sweptAt && c.free.length >= c.slotsPerSlab) {
      this.sweep(c);
    }
  }

  /** Bytes of slabs held (for tests and stats). */
  get bytes(): number {
    let n = 0;
    for (const c of this.classes) {
      if (c) for (const slab of c.slabs) n += slab?.length ?? 0;
    }
    return n;
  }

  clear(): void {
    this.classes.length = 0;
  }

  /** Gives back every empty slab (but the one still being filled from the end). */
  private sweep(c: SizeClass): void {
    const per = c.slotsPerSlab;
    const filling = c.next % per === 0 ? -1 : Math.floor(c.next / per);
    let dropped = false;
    for (let k = 0; k < c.slabs.length; k++) {
      if (c.live[k] === 0 && c.slabs[k] !== null && k !== filling) {
        c.slabs[k] = null;
        c.released.push(k);
        dropped = true;
      }
    }
    if (dropped) c.free = c.free.filter((s) => c.slabs[Math.floor(s / per)] !== null);
    c.sweptAt = c.free.length;
  }

  private makeClass(cls: number): SizeClass {
    const size = CLASS_SIZES[cls];
    const c: SizeClass = {
      size,
      slotsPerSlab: Math.max(16, Math.floor(SLAB_BYTES / size)),
      slabs: [],
      live: [],
      next: 0,
      free: [],
      released: [],
      sweptAt: 0,
    };
    this.classes[cls] = c;
    return c;
  }
}
