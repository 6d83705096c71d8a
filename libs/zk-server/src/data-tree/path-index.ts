import { DataArena, dataClass } from './data-arena';

/**
 * Which node is at a path, and each node's children, for millions of nodes without a JS object
 * per node.
 *
 * A Map from full path to node id plus a Set of child paths per parent cost about 135 bytes of
 * garbage-collected heap per node (the path string, a map entry, a set entry), were most of the
 * coordinator's heap with a million task records, and made a restart spend most of its time
 * growing those tables. Here a node is a row of Int32 columns (parent, its place in the parent's
 * child list, its hash chain) and its name, the last path component, lives in a DataArena as
 * UTF-8 bytes: about 70 bytes per node, none of it scanned by the collector.
 *
 * Lookup walks the path from the root one component at a time in a hash table keyed by
 * (parent id, name), hashing and comparing the path's characters in place, so it allocates
 * nothing. Children are a doubly linked list in insertion order, like ZooKeeper's child set
 * iterates in its HashSet order (clients may not rely on any order).
 *
 * Ids come from the NodeStore (node-store.ts); this index keeps its own columns for them.
 */

const PAGE_BITS = 13;
const PAGE_SIZE = 1 << PAGE_BITS;
const PAGE_MASK = PAGE_SIZE - 1;

const FIELDS = 10;
const PARENT = 0;
const FIRST = 1;
const LAST = 2;
const NEXT = 3;
const PREV = 4;
const COUNT = 5;
/** Next node in the same hash bucket. */
const CHAIN = 6;
const HASH = 7;
/** Byte length of the name; negative when the name is not ASCII (the bytes are UTF-8). */
const NAME_LENGTH = 8;
const NAME_SLOT = 9;

const NONE = -1;
const MIN_BUCKETS = 1024;

export class PathIndex {
  private readonly pages: Int32Array[] = [];
  private readonly names = new DataArena();
  /** Names longer than the arena's largest class (rare: a path may be up to jute.maxbuffer). */
  private readonly bigNames = new Map<number, string>();
  private heads = new Int32Array(MIN_BUCKETS).fill(NONE);
  private mask = MIN_BUCKETS - 1;
  private count = 0;
  private rootId = NONE;

  /** Number of nodes, the root included. */
  get size(): number {
    return this.count;
  }

  get root(): number {
    return this.rootId;
  }

  /** The id of the node at `path` (absolute), or -1. */
  lookup(path: string): number {
    return this.lookupRange(path, path.length);
  }

  /** The id of the node at `path.slice(0, end)`, or -1; `end` 0 or 1 means the root. */
  lookupRange(path: string, end: number): number {
    let id = this.rootId;
    if (id === NONE || path.charCodeAt(0) !== 47 /* '/' */) return NONE;
    if (end > 1 && path.charCodeAt(end - 1) === 47) return NONE; // "/a/" names no node
    let start = 1;
    while (start < end) {
      let stop = path.indexOf('/', start);
      if (stop < 0 || stop > end) stop = end;
      id = this.find(id, path, start, stop);
      if (id === NONE) return NONE;
      start = stop + 1;
    }
    return id;
  }

  /** The child of `parent` named `path.slice(start, end)`, or -1. */
  find(parent: number, path: string, start: number, end: number): number {
    const h = hashName(parent, path, start, end);
    for (let c = this.heads[h & this.mask]; c !== NONE; c = this.get(c, CHAIN)) {
      if (
        this.get(c, HASH) === h &&
        this.get(c, PARENT) === parent &&
        this.nameIs(c, path, start, end)
      )
        return c;
    }
    return NONE;
  }

  /** Makes `id` the root ('/'). */
  setRoot(id: number): void {
    this.ensure(id);
    this.reset(id);
    this.rootId = id;
    this.count++;
  }

  /**
   * Adds node `id` as the last child of `parent`, named `path.slice(nameStart)`. The caller
   * has checked that no such child exists.
   */
  add(parent: number, id: number, path: string, nameStart: number): void {
    this.ensure(id);
    this.reset(id);
    const h = hashName(parent, path, nameStart, path.length);
    this.set(id, PARENT, parent);
    this.set(id, HASH, h);
    this.storeName(id, path, nameStart);
    const last = this.get(parent, LAST);
    this.set(id, PREV, last);
    if (last === NONE) this.set(parent, FIRST, id);
    else this.set(last, NEXT, id);
    this.set(parent, LAST, id);
    this.set(parent, COUNT, this.get(parent, COUNT) + 1);
    const b = h & this.mask;
    this.set(id, CHAIN, this.heads[b]);
    this.heads[b] = id;
    if (++this.count > this.heads.length) this.grow();
  }

  /** Removes a node that has no children (the caller removes children first). */
  remove(id: number): void {
    const parent = this.get(id, PARENT);
    if (id === this.rootId) {
      this.rootId = NONE;
      this.count--;
      return;
    }
    const prev = this.get(id, PREV);
    const next = this.get(id, NEXT);
    if (prev === NONE) this.set(parent, FIRST, next);
    else this.set(prev, NEXT, next);
    if (next === NONE) this.set(parent, LAST, prev);
    else this.set(next, PREV, prev);
    this.set(parent, COUNT, this.get(parent, COUNT) - 1);
    const b = this.get(id, HASH) & this.mask;
    if (this.heads[b] === id) {
      this.heads[b] = this.get(id, CHAIN);
    } else {
      let c = this.heads[b];
      while (this.get(c, CHAIN) !== id) c = this.get(c, CHAIN);
      this.set(c, CHAIN, this.get(id, CHAIN));
    }
    this.releaseName(id);
    this.reset(id);
    this.count--;
  }

  parent(id: number): number {
    return this.get(id, PARENT);
  }

  childCount(id: number): number {
    return this.get(id, COUNT);
  }

  firstChild(id: number): number {
    return this.get(id, FIRST);
  }

  /** The next sibling in the parent's child list, or -1. */
  nextSibling(id: number): number {
    return this.get(id, NEXT);
  }

  /** The node's name, the last component of its path ('' for the root). */
  name(id: number): string {
    const length = this.get(id, NAME_LENGTH);
    if (length === 0) return '';
    const bytes = length < 0 ? -length : length;
    const cls = dataClass(bytes);
    if (cls < 0) return this.bigNames.get(id) as string;
    const slot = this.get(id, NAME_SLOT);
    const slab = this.names.slab(cls, slot);
    const at = this.names.slotOffset(cls, slot);
    return length < 0
      ? slab.toString('utf8', at, at + bytes)
      : slab.toString('latin1', at, at + bytes);
  }

  /** Names of the children, in insertion order. */
  childNames(id: number): string[] {
    const out = new Array<string>(this.get(id, COUNT));
    let i = 0;
    for (let c = this.get(id, FIRST); c !== NONE; c = this.get(c, NEXT)) out[i++] = this.name(c);
    return out;
  }

  /** The absolute path of a node (built from its ancestors' names). */
  pathOf(id: number): string {
    if (id === this.rootId) return '/';
    let path = '';
    for (let c = id; c !== this.rootId; c = this.get(c, PARENT)) path = `/${this.name(c)}${path}`;
    return path;
  }

  /** Byte length of the name (UTF-8). */
  nameBytes(id: number): number {
    const length = this.get(id, NAME_LENGTH);
    return length < 0 ? -length : length;
  }

  clear(): void {
    this.pages.length = 0;
    this.names.clear();
    this.bigNames.clear();
    this.heads = new Int32Array(MIN_BUCKETS).fill(NONE);
    this.mask = MIN_BUCKETS - 1;
    this.count = 0;
    this.rootId = NONE;
  }

  // ---- rows ------------------------------------------------------------------------------

  private get(id: number, field: number): number {
    return this.pages[id >>> PAGE_BITS][(id & PAGE_MASK) * FIELDS + field];
  }

  private set(id: number, field: number, value: number): void {
    this.pages[id >>> PAGE_BITS][(id & PAGE_MASK) * FIELDS + field] = value;
  }

  private ensure(id: number): void {
    while (id >>> PAGE_BITS >= this.pages.length)
      this.pages.push(new Int32Array(PAGE_SIZE * FIELDS));
  }

  /** A row with no parent, no children, no name. */
  private reset(id: number): void {
    const page = this.pages[id >>> PAGE_BITS];
    const at = (id & PAGE_MASK) * FIELDS;
    page.fill(NONE, at, at + FIELDS);
    page[at + COUNT] = 0;
    page[at + NAME_LENGTH] = 0;
    page[at + HASH] = 0;
  }

  /** Doubles the bucket table and re-chains every node (load factor at most 1). */
  private grow(): void {
    const old = this.heads;
    const heads = new Int32Array(old.length * 2).fill(NONE);
    const mask = heads.length - 1;
    for (let b = 0; b < old.length; b++) {
      for (let c = old[b]; c !== NONE;) {
        const next = this.get(c, CHAIN);
        const nb = this.get(c, HASH) & mask;
        this.set(c, CHAIN, heads[nb]);
        heads[nb] = c;
        c = next;
      }
    }
    this.heads = heads;
    this.mask = mask;
  }

  // ---- names -----------------------------------------------------------------------------

  private storeName(id: number, path: string, start: number): void {
    const n = path.length - start;
    if (n === 0) return;
    let ascii = true;
    for (let i = start; i < path.length; i++) {
      if (path.charCodeAt(i) > 0x7f) {
        ascii = false;
        break;
      }
    }
    const bytes = ascii ? Buffer.from(path.slice(start), 'latin1') : Buffer.from(path.slice(start));
    const cls = dataClass(bytes.length);
    this.set(id, NAME_LENGTH, ascii ? bytes.length : -bytes.length);
    if (cls < 0) this.bigNames.set(id, path.slice(start));
    else this.set(id, NAME_SLOT, this.names.store(cls, bytes));
  }

  private releaseName(id: number): void {
    const bytes = this.nameBytes(id);
    if (bytes === 0) return;
    const cls = dataClass(bytes);
    if (cls < 0) this.bigNames.delete(id);
    else this.names.release(cls, this.get(id, NAME_SLOT));
  }

  /** Whether node `id`'s name is `path.slice(start, end)`, compared in place when ASCII. */
  private nameIs(id: number, path: string, start: number, end: number): boolean {
    const length = this.get(id, NAME_LENGTH);
    if (length < 0 || dataClass(length) < 0) return this.name(id) === path.slice(start, end);
    if (length !== end - start) return false;
    if (length === 0) return true;
    const cls = dataClass(length);
    const slot = this.get(id, NAME_SLOT);
    const slab = this.names.slab(cls, slot);
    const at = this.names.slotOffset(cls, slot) - start;
    for (let i = start; i < end; i++) if (slab[at + i] !== path.charCodeAt(i)) return false;
    return true;
  }
}

/** FNV-1a over the name's UTF-16 code units, seeded with the parent id. */
function hashName(parent: number, path: string, start: number, end: number): number {
  let h = Math.imul(parent ^ 0x811c9dc5, 0x9e3779b1);
  for (let i = start; i < end; i++) {
    h ^= path.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h | 0;
}
