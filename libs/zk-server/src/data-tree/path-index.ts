import { EncodedStringList } from '@shepherd/zk-protocol';
import { DataArena, dataClass } from './data-arena';
import { PAGE_BITS, PAGE_MASK, PAGE_SIZE } from './pages';
import { SpareRows } from './spare-rows';

/**
 * Which node is at a path, and each node's children, for millions of nodes without a JS object
 * per node.
 *
 * A Map from full path to node id plus a Set of child paths per parent cost about 135 bytes of
 * garbage-collected heap per node (the path string, a map entry, a set entry), were most of the
 * coordinator's heap with a million task records, and made a restart spend most of its time
 * growing those tables. Here a node is a row of Int32 columns (parent, its place in the parent's
 * child list, its hash, its name's place; first child, last child and count in a second row
 * while it has children) and its name, the last path component, lives in a DataArena as UTF-8
 * bytes: about 60 bytes per leaf, none of it scanned by the collector.
 *
 * Lookup walks the path from the root one component at a time in a hash table keyed by
 * (parent id, name), hashing and comparing the path's characters in place, so it allocates
 * nothing. The table is open addressing with linear probing, each slot holding the hash beside
 * the id, so a miss (every create asks first) usually touches one cache line and no node row.
 * Children are a doubly linked list in insertion order, like ZooKeeper's child set iterates in
 * its HashSet order (clients may not rely on any order).
 *
 * Ids come from the NodeStore (node-store.ts); this index keeps its own columns for them.
 */

/** Bytes a child list reserves per name before it learns their lengths (a task id is 25). */
const TYPICAL_NAME_BYTES = 28;

const FIELDS = 7;
const PARENT = 0;
const NEXT = 1;
const PREV = 2;
const HASH = 3;
/** Byte length of the name; negative when the name is not ASCII (the bytes are UTF-8). */
const NAME_LENGTH = 4;
const NAME_SLOT = 5;
/** The node's row in the dir columns while it has children, else NONE. */
const DIR = 6;

/**
 * First child, last child and count, only for nodes that have children: most nodes are leaves
 * (a task queue's records), and these 12 bytes would be NONE, NONE, 0 for every one of them.
 */
const DIR_FIELDS = 3;
const FIRST = 0;
const LAST = 1;
const COUNT = 2;

const NONE = -1;
/** Slots of a new table; it doubles when more than 3/4 full. */
const MIN_SLOTS = 1024;

export class PathIndex {
  private readonly pages: Int32Array[] = [];
  /** First child, last child and count of the nodes that have children (see DIR). */
  private readonly dirs = new SpareRows(DIR_FIELDS, (n) => new Int32Array(n));
  private readonly names = new DataArena();
  /** Names longer than the arena's largest class (rare: a path may be up to jute.maxbuffer). */
  private readonly bigNames = new Map<number, string>();
  /** Slot i is (hash, id) at [2i, 2i + 1]; id -1 is an empty slot. */
  private table = emptyTable(MIN_SLOTS);
  private mask = MIN_SLOTS - 1;
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
    return this.findHashed(hashName(parent, path, start, end), parent, path, start, end);
  }

  /** find() with the name's hash already computed. */
  private findHashed(h: number, parent: number, path: string, start: number, end: number) {
    const table = this.table;
    const mask = this.mask;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const c = table[2 * i + 1];
      if (c === NONE) return NONE;
      if (table[2 * i] === h && this.get(c, PARENT) === parent && this.nameIs(c, path, start, end))
        return c;
    }
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
    this.link(parent, id, path, nameStart, hashName(parent, path, nameStart, path.length));
  }

  /**
   * add() for input that may name a node twice (a snapshot being restored): false, and nothing
   * changed, when `parent` already has a child of that name. The name is hashed once for both.
   */
  addNew(parent: number, id: number, path: string, nameStart: number): boolean {
    const h = hashName(parent, path, nameStart, path.length);
    if (this.findHashed(h, parent, path, nameStart, path.length) !== NONE) return false;
    this.link(parent, id, path, nameStart, h);
    return true;
  }

  /**
   * Makes the table big enough for `nodes` nodes, so a restore that knows its node count does
   * not double and re-place every entry about twenty times on the way to a million.
   */
  reserve(nodes: number): void {
    if (this.count > 0) {
      while (nodes * 4 > this.mask * 3) this.grow();
      return;
    }
    let slots = MIN_SLOTS;
    while (nodes * 4 > (slots - 1) * 3) slots *= 2;
    if (slots - 1 <= this.mask) return;
    this.table = emptyTable(slots);
    this.mask = slots - 1;
  }

  private link(parent: number, id: number, path: string, nameStart: number, h: number): void {
    this.ensure(id);
    this.reset(id);
    this.set(id, PARENT, parent);
    this.set(id, HASH, h);
    this.storeName(id, path, nameStart);
    const d = this.dirFor(parent);
    const last = this.dirs.get(d, LAST);
    this.set(id, PREV, last);
    if (last === NONE) this.dirs.set(d, FIRST, id);
    else this.set(last, NEXT, id);
    this.dirs.set(d, LAST, id);
    this.dirs.set(d, COUNT, this.dirs.get(d, COUNT) + 1);
    place(this.table, this.mask, h, id);
    if (++this.count * 4 > this.mask * 3) this.grow();
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
    const d = this.get(parent, DIR);
    if (prev === NONE) this.dirs.set(d, FIRST, next);
    else this.set(prev, NEXT, next);
    if (next === NONE) this.dirs.set(d, LAST, prev);
    else this.set(next, PREV, prev);
    const left = this.dirs.get(d, COUNT) - 1;
    if (left === 0) {
      this.set(parent, DIR, NONE);
      this.dirs.give(d);
    } else this.dirs.set(d, COUNT, left);
    this.unplace(id);
    this.releaseName(id);
    this.reset(id);
    this.count--;
  }

  parent(id: number): number {
    return this.get(id, PARENT);
  }

  childCount(id: number): number {
    const d = this.get(id, DIR);
    return d === NONE ? 0 : this.dirs.get(d, COUNT);
  }

  firstChild(id: number): number {
    const d = this.get(id, DIR);
    return d === NONE ? NONE : this.dirs.get(d, FIRST);
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
    const out = new Array<string>(this.childCount(id));
    let i = 0;
    for (let c = this.firstChild(id); c !== NONE; c = this.get(c, NEXT)) out[i++] = this.name(c);
    return out;
  }

  /**
   * Names of the children in their wire form (a vector<ustring> without its count), in the
   * order childNames gives: copied from the arena, no string per name (a bucket of a task queue
   * holds thousands, and a listing asks for every bucket).
   */
  encodeChildNames(id: number): EncodedStringList {
    const count = this.childCount(id);
    // One walk (each child's row is a cache miss away in a big tree): room for names of a
    // typical length, grown if they are longer.
    let out = Buffer.allocUnsafe(count * (4 + TYPICAL_NAME_BYTES));
    let at = 0;
    for (let c = this.firstChild(id); c !== NONE; c = this.get(c, NEXT)) {
      const bytes = this.nameBytes(c);
      if (at + 4 + bytes > out.length) {
        const grown = Buffer.allocUnsafe(Math.max(2 * out.length, at + 4 + bytes));
        out.copy(grown, 0, 0, at);
        out = grown;
      }
      out.writeInt32BE(bytes, at);
      at += 4;
      if (bytes === 0) continue;
      const cls = dataClass(bytes);
      if (cls < 0) {
        at += out.write(this.bigNames.get(c) as string, at, bytes, 'utf8');
        continue;
      }
      const slot = this.get(c, NAME_SLOT);
      const slab = this.names.slab(cls, slot);
      const from = this.names.slotOffset(cls, slot);
      slab.copy(out, at, from, from + bytes);
      at += bytes;
    }
    return new EncodedStringList(count, out.subarray(0, at));
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
    this.dirs.clear();
    this.names.clear();
    this.bigNames.clear();
    this.table = emptyTable(MIN_SLOTS);
    this.mask = MIN_SLOTS - 1;
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
    page[at + NAME_LENGTH] = 0;
    page[at + HASH] = 0;
  }

  /** The node's dir row, made (no children yet) if it has none. */
  private dirFor(id: number): number {
    let d = this.get(id, DIR);
    if (d !== NONE) return d;
    d = this.dirs.take();
    this.dirs.set(d, FIRST, NONE);
    this.dirs.set(d, LAST, NONE);
    this.dirs.set(d, COUNT, 0);
    this.set(id, DIR, d);
    return d;
  }

  /** Doubles the table and places every entry again. */
  private grow(): void {
    const old = this.table;
    const slots = old.length; // twice as many slots as the old table had
    const table = emptyTable(slots);
    const mask = slots - 1;
    for (let i = 0; i < old.length; i += 2)
      if (old[i + 1] !== NONE) place(table, mask, old[i], old[i + 1]);
    this.table = table;
    this.mask = mask;
  }

  /**
   * Takes `id` out of the table by backward-shift deletion (Knuth 6.4, Algorithm R): later
   * entries of the probe run move up into the hole unless their home slot lies after it, so
   * no tombstones pile up and every search still stops at the first empty slot.
   */
  private unplace(id: number): void {
    const table = this.table;
    const mask = this.mask;
    let i = this.get(id, HASH) & mask;
    while (table[2 * i + 1] !== id) i = (i + 1) & mask;
    for (let j = i; ;) {
      table[2 * i + 1] = NONE;
      for (;;) {
        j = (j + 1) & mask;
        if (table[2 * j + 1] === NONE) return;
        const home = table[2 * j] & mask;
        // Stays where it is when its home slot is cyclically in (i, j].
        if (i <= j ? i < home && home <= j : i < home || home <= j) continue;
        break;
      }
      table[2 * i] = table[2 * j];
      table[2 * i + 1] = table[2 * j + 1];
      i = j;
    }
  }

  // ---- names -----------------------------------------------------------------------------

  private storeName(id: number, path: string, start: number): void {
    if (path.length === start) return;
    let ascii = true;
    for (let i = start; i < path.length; i++) {
      if (path.charCodeAt(i) > 0x7f) {
        ascii = false;
        break;
      }
    }
    const name = path.slice(start);
    const bytes = ascii ? name.length : Buffer.byteLength(name);
    this.set(id, NAME_LENGTH, ascii ? bytes : -bytes);
    const cls = dataClass(bytes);
    if (cls < 0) {
      this.bigNames.set(id, name);
      return;
    }
    // Written straight into the arena's slot: no Buffer per name.
    const slot = this.names.reserve(cls);
    this.set(id, NAME_SLOT, slot);
    const at = this.names.slotOffset(cls, slot);
    this.names.slab(cls, slot).write(name, at, bytes, ascii ? 'latin1' : 'utf8');
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
    const cls = length > 0 ? dataClass(length) : 0;
    if (length < 0 || cls < 0) return this.name(id) === path.slice(start, end);
    if (length !== end - start) return false;
    if (length === 0) return true;
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

function emptyTable(slots: number): Int32Array {
  const t = new Int32Array(2 * slots);
  for (let i = 1; i < t.length; i += 2) t[i] = NONE;
  return t;
}

/** Puts (hash, id) in the first empty slot from the hash's home slot on. */
function place(table: Int32Array, mask: number, hash: number, id: number): void {
  let i = hash & mask;
  while (table[2 * i + 1] !== NONE) i = (i + 1) & mask;
  table[2 * i] = hash;
  table[2 * i + 1] = id;
}
