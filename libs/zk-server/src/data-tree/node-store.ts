/**
 * The fields of every znode, stored by node id in columns rather than one object per node: a
 * tree may hold millions of nodes, and a JS object per node (16+ bytes of header, 8 bytes per
 * field, a boxed number or bigint per zxid and time) cost about twice what the columns do.
 *
 * - zxids and times are doubles in Float64Arrays: exact integers up to 2^53 (zxids are a
 *   counter, times are ms since the epoch); they become bigints only at the Stat/wire edge.
 * - version, cversion, aversion and the id of the node's interned ACL list are Int32Arrays.
 * - data is a latin1 string (one char per byte, 16 bytes of header, no Buffer object) in a
 *   plain array per page.
 * - ephemeralOwner is non-zero for few nodes: kept in a Map by id, absent means 0.
 * - children (full paths, the same strings that key the tree's map) exist for few nodes too:
 *   a Map by id of the parent, absent when it has none.
 *
 * Columns are allocated in fixed pages, so growing never copies what exists and never leaves
 * more than one page unused; ids of deleted nodes are reused.
 */

const PAGE_BITS = 13;
const PAGE_SIZE = 1 << PAGE_BITS;
const PAGE_MASK = PAGE_SIZE - 1;

const F64_FIELDS = 5;
const CZXID = 0;
const MZXID = 1;
const PZXID = 2;
const CTIME = 3;
const MTIME = 4;

const I32_FIELDS = 4;
const VERSION = 0;
const CVERSION = 1;
const AVERSION = 2;
const ACL_ID = 3;

/** A bigint zxid/time as the double the store keeps; throws beyond 2^53 rather than round. */
export function exactNumber(value: bigint, what: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new RangeError(`${what} ${value} is beyond 2^53`);
  return n;
}

export class NodeStore {
  private readonly f64: Float64Array[] = [];
  private readonly i32: Int32Array[] = [];
  private readonly bytes: string[][] = [];
  private readonly owners = new Map<number, bigint>();
  private readonly kids = new Map<number, Set<string>>();
  private readonly freeIds: number[] = [];
  private next = 0;

  /** A fresh id: all numbers 0, no data, no owner, no children. */
  alloc(): number {
    let id: number;
    if (this.freeIds.length > 0) {
      id = this.freeIds.pop() as number;
    } else {
      id = this.next++;
      if (id >>> PAGE_BITS === this.f64.length) {
        this.f64.push(new Float64Array(PAGE_SIZE * F64_FIELDS));
        this.i32.push(new Int32Array(PAGE_SIZE * I32_FIELDS));
        this.bytes.push(new Array<string>(PAGE_SIZE).fill(''));
      }
    }
    return id;
  }

  /** Forgets a node; its id may be handed out again. */
  free(id: number): void {
    const page = id >>> PAGE_BITS;
    const slot = id & PAGE_MASK;
    this.f64[page].fill(0, slot * F64_FIELDS, slot * F64_FIELDS + F64_FIELDS);
    this.i32[page].fill(0, slot * I32_FIELDS, slot * I32_FIELDS + I32_FIELDS);
    this.bytes[page][slot] = '';
    this.owners.delete(id);
    this.kids.delete(id);
    this.freeIds.push(id);
  }

  /** Sets every stat field of a node fresh from alloc() (a create or a restored node). */
  init(
    id: number,
    czxid: number,
    mzxid: number,
    pzxid: number,
    ctime: number,
    mtime: number,
    version: number,
    cversion: number,
    aversion: number,
    ephemeralOwner: bigint,
  ): void {
    const f = this.f64[id >>> PAGE_BITS];
    const fi = (id & PAGE_MASK) * F64_FIELDS;
    f[fi + CZXID] = czxid;
    f[fi + MZXID] = mzxid;
    f[fi + PZXID] = pzxid;
    f[fi + CTIME] = ctime;
    f[fi + MTIME] = mtime;
    const n = this.i32[id >>> PAGE_BITS];
    const ni = (id & PAGE_MASK) * I32_FIELDS;
    n[ni + VERSION] = version;
    n[ni + CVERSION] = cversion;
    n[ni + AVERSION] = aversion;
    if (ephemeralOwner !== 0n) this.owners.set(id, ephemeralOwner);
  }

  czxid(id: number): number {
    return this.f64[id >>> PAGE_BITS][(id & PAGE_MASK) * F64_FIELDS + CZXID];
  }

  mzxid(id: number): number {
    return this.f64[id >>> PAGE_BITS][(id & PAGE_MASK) * F64_FIELDS + MZXID];
  }

  pzxid(id: number): number {
    return this.f64[id >>> PAGE_BITS][(id & PAGE_MASK) * F64_FIELDS + PZXID];
  }

  ctime(id: number): number {
    return this.f64[id >>> PAGE_BITS][(id & PAGE_MASK) * F64_FIELDS + CTIME];
  }

  mtime(id: number): number {
    return this.f64[id >>> PAGE_BITS][(id & PAGE_MASK) * F64_FIELDS + MTIME];
  }

  version(id: number): number {
    return this.i32[id >>> PAGE_BITS][(id & PAGE_MASK) * I32_FIELDS + VERSION];
  }

  cversion(id: number): number {
    return this.i32[id >>> PAGE_BITS][(id & PAGE_MASK) * I32_FIELDS + CVERSION];
  }

  aversion(id: number): number {
    return this.i32[id >>> PAGE_BITS][(id & PAGE_MASK) * I32_FIELDS + AVERSION];
  }

  aclId(id: number): number {
    return this.i32[id >>> PAGE_BITS][(id & PAGE_MASK) * I32_FIELDS + ACL_ID];
  }

  ephemeralOwner(id: number): bigint {
    return this.owners.size === 0 ? 0n : (this.owners.get(id) ?? 0n);
  }

  /** The data as a latin1 string ('' when empty). */
  data(id: number): string {
    return this.bytes[id >>> PAGE_BITS][id & PAGE_MASK];
  }

  children(id: number): Set<string> | undefined {
    return this.kids.get(id);
  }

  numChildren(id: number): number {
    return this.kids.get(id)?.size ?? 0;
  }

  setData(id: number, data: string): void {
    this.bytes[id >>> PAGE_BITS][id & PAGE_MASK] = data;
  }

  setAclId(id: number, aclId: number): void {
    this.i32[id >>> PAGE_BITS][(id & PAGE_MASK) * I32_FIELDS + ACL_ID] = aclId;
  }

  /** A setData: new mtime, mzxid and version. */
  setModified(id: number, mzxid: number, mtime: number, version: number): void {
    const f = this.f64[id >>> PAGE_BITS];
    const fi = (id & PAGE_MASK) * F64_FIELDS;
    f[fi + MZXID] = mzxid;
    f[fi + MTIME] = mtime;
    this.i32[id >>> PAGE_BITS][(id & PAGE_MASK) * I32_FIELDS + VERSION] = version;
  }

  setPzxid(id: number, pzxid: number): void {
    this.f64[id >>> PAGE_BITS][(id & PAGE_MASK) * F64_FIELDS + PZXID] = pzxid;
  }

  setCversion(id: number, cversion: number): void {
    this.i32[id >>> PAGE_BITS][(id & PAGE_MASK) * I32_FIELDS + CVERSION] = cversion;
  }

  setAversion(id: number, aversion: number): void {
    this.i32[id >>> PAGE_BITS][(id & PAGE_MASK) * I32_FIELDS + AVERSION] = aversion;
  }

  addChild(id: number, path: string): void {
    let set = this.kids.get(id);
    if (!set) {
      set = new Set();
      this.kids.set(id, set);
    }
    set.add(path);
  }

  removeChild(id: number, path: string): void {
    const set = this.kids.get(id);
    if (!set) return;
    set.delete(path);
    if (set.size === 0) this.kids.delete(id);
  }

  hasChild(id: number, path: string): boolean {
    return this.kids.get(id)?.has(path) ?? false;
  }

  /** Forgets every node. */
  clear(): void {
    this.f64.length = 0;
    this.i32.length = 0;
    this.bytes.length = 0;
    this.owners.clear();
    this.kids.clear();
    this.freeIds.length = 0;
    this.next = 0;
  }
}
