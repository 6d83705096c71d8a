import { NodeStore, exactNumber } from '../../src/data-tree/node-store';
import { DataArena, classSize, dataClass } from '../../src/data-tree/data-arena';

const bytes = (n: number, fill: number) => Buffer.alloc(n, fill);

describe('NodeStore', () => {
  it('keeps every field of many nodes across pages, and reuses freed ids', () => {
    const store = new NodeStore();
    const ids: number[] = [];
    for (let i = 0; i < 20000; i++) {
      const id = store.alloc();
      store.init(id, i, i + 1, i + 2, 1e12 + i, 1e12 + i + 1, i % 7, i % 11, -1, i % 3 ? 0n : -5n);
      store.setAclId(id, i % 5);
      store.setData(id, bytes(i % 300, i & 0xff));
      ids.push(id);
    }
    for (let i = 0; i < 20000; i += 997) {
      const id = ids[i];
      expect([store.czxid(id), store.mzxid(id), store.pzxid(id)]).toEqual([i, i + 1, i + 2]);
      expect([store.ctime(id), store.mtime(id)]).toEqual([1e12 + i, 1e12 + i + 1]);
      expect([store.version(id), store.cversion(id), store.aversion(id)]).toEqual([
        i % 7,
        i % 11,
        -1,
      ]);
      expect(store.aclId(id)).toBe(i % 5);
      expect(store.ephemeralOwner(id)).toBe(i % 3 ? 0n : -5n);
      expect(store.data(id)).toEqual(bytes(i % 300, i & 0xff));
      expect(store.dataLength(id)).toBe(i % 300);
    }
    store.free(ids[5]);
    const again = store.alloc();
    expect(again).toBe(ids[5]);
    expect(store.dataLength(again)).toBe(0);
    expect(store.ephemeralOwner(again)).toBe(0n);
    expect(store.czxid(again)).toBe(0);
  });

  it('keeps mzxid, mtime and pzxid apart only for nodes that changed since their create', () => {
    const store = new NodeStore();
    const fresh = store.alloc();
    store.init(fresh, 10, 10, 10, 1e12, 1e12, 0, 0, 0, 0n);
    expect([store.mzxid(fresh), store.pzxid(fresh), store.mtime(fresh)]).toEqual([10, 10, 1e12]);
    store.setPzxid(fresh, 10); // a no-op: nothing to keep
    // A setData moves mzxid and mtime; pzxid stays what it was.
    store.setModified(fresh, 12, 1e12 + 5, 1);
    expect([store.mzxid(fresh), store.pzxid(fresh), store.mtime(fresh)]).toEqual([
      12,
      10,
      1e12 + 5,
    ]);
    // A child created moves pzxid only.
    const parent = store.alloc();
    store.init(parent, 20, 20, 20, 2e12, 2e12, 0, 0, 0, 0n);
    store.setPzxid(parent, 25);
    expect([store.czxid(parent), store.mzxid(parent), store.pzxid(parent)]).toEqual([20, 20, 25]);
    expect(store.mtime(parent)).toBe(2e12);
    // Freed, its id and its ext row are reused; a new node there implies its values again.
    store.free(fresh);
    store.free(parent);
    const a = store.alloc();
    store.init(a, 30, 30, 30, 3e12, 3e12, 0, 0, 0, 0n);
    expect([store.mzxid(a), store.pzxid(a), store.mtime(a)]).toEqual([30, 30, 3e12]);
    const b = store.alloc();
    store.init(b, 40, 41, 42, 4e12, 4e12 + 1, 1, 0, 0, 0n); // restored from a snapshot
    expect([store.mzxid(b), store.pzxid(b), store.mtime(b)]).toEqual([41, 42, 4e12 + 1]);
    store.setModified(a, 50, 5e12, 1);
    expect([store.mzxid(a), store.mzxid(b)]).toEqual([50, 41]); // rows of their own
  });

  it('stores data of every size, a copy, and replaces it', () => {
    const store = new NodeStore();
    const id = store.alloc();
    for (const n of [0, 1, 7, 8, 9, 255, 256, 257, 5000, 70000, 1024 * 1024]) {
      const data = bytes(n, n & 0xff);
      store.setData(id, data);
      data.fill(1);
      const out = store.data(id) as Buffer;
      expect(out.length).toBe(n);
      expect(out.equals(bytes(n, n & 0xff))).toBe(true);
      const target = Buffer.alloc(n + 3);
      expect(store.copyData(id, target, 3)).toBe(n);
      expect(target.subarray(3).equals(out)).toBe(true);
    }
  });

  it('refuses zxids and times beyond 2^53 rather than rounding them', () => {
    expect(exactNumber(2n ** 53n - 1n, 'zxid')).toBe(2 ** 53 - 1);
    expect(() => exactNumber(2n ** 53n + 1n, 'zxid')).toThrow(RangeError);
  });
});

describe('DataArena', () => {
  it('gives each length the smallest class that holds it, 4 bytes apart up to 64', () => {
    for (let length = 1; length <= 80 * 1024; length++) {
      const cls = dataClass(length);
      if (cls < 0) {
        expect(length).toBeGreaterThan(64 * 1024);
        continue;
      }
      expect(classSize(cls)).toBeGreaterThanOrEqual(length);
      expect(classSize(cls - 1)).toBeLessThan(length);
      // At most 3 bytes of slack for names and small data, 7 up to 256, about 1/8 beyond.
      const slack = classSize(cls) - length;
      if (length <= 64) expect(slack).toBeLessThanOrEqual(3);
      else if (length <= 256) expect(slack).toBeLessThanOrEqual(7);
      else expect(slack).toBeLessThanOrEqual(length / 8 + 8);
    }
    expect(dataClass(0)).toBe(0);
    expect(classSize(dataClass(25))).toBe(28); // a task id
    expect(dataClass(1024 * 1024)).toBe(-1);
  });

  it('reuses freed slots of a class and gives back slabs that are all free', () => {
    const arena = new DataArena();
    const cls = dataClass(100);
    expect(classSize(cls)).toBe(104);
    const slots: number[] = [];
    for (let i = 0; i < 20000; i++) slots.push(arena.store(cls, bytes(100, i & 0xff)));
    const full = arena.bytes;
    expect(full).toBeGreaterThanOrEqual(20000 * 104);
    expect(full).toBeLessThan(20000 * 104 + 2 * 256 * 1024);
    // Free every other slot: no slab is empty, nothing given back, slots reused.
    for (let i = 0; i < slots.length; i += 2) arena.release(cls, slots[i]);
    expect(arena.bytes).toBe(full);
    const reused = arena.store(cls, bytes(100, 0xee));
    expect(slots).toContain(reused);
    // Free the rest: the slabs go back, except the one still being filled.
    for (let i = 1; i < slots.length; i += 2) arena.release(cls, slots[i]);
    arena.release(cls, reused);
    expect(arena.bytes).toBeLessThan(full / 4);
    // And are allocated again, with correct contents.
    const again: number[] = [];
    for (let i = 0; i < 20000; i++) again.push(arena.store(cls, bytes(100, (i * 7) & 0xff)));
    expect(new Set(again).size).toBe(20000);
    const out = Buffer.alloc(100);
    for (let i = 0; i < 20000; i += 333) {
      arena.copyOut(cls, again[i], 100, out, 0);
      expect(out.equals(bytes(100, (i * 7) & 0xff))).toBe(true);
    }
    expect(arena.bytes).toBeLessThanOrEqual(full + 256 * 1024);
  });
});
