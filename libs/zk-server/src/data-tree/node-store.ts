import { DataArena, dataClass } from './data-arena';
import { PathIndex } from './path-index';
import { PAGE_BITS, PAGE_MASK, PAGE_SIZE } from './pages';
import { SpareRows } from './spare-rows';

/**
 * The fields of every znode, stored by node id in columns rather than one object per node: a
 * tree may hold millions of nodes, and a JS object per node (16+ bytes of header, 8 bytes per
 * field, a boxed number or bigint per zxid and time, a string or Buffer for the data) costs
 * about twice what the columns do, all of it on the garbage-collected heap.
 *
 * - zxids and times are doubles in Float64Arrays: exact integers up to 2^53 (zxids are a
 *   counter, times are ms since the epoch); they become bigints only at the Stat/wire edge.
 * - mzxid, mtime and pzxid equal czxid, ctime and czxid until the node's data or children
 *   change, which most nodes of a task queue never do (a record is created where it belongs
 *   and deleted when it moves): they live in a second set of columns ("ext"), given to a node
 *   at its first change, so an unchanged node costs 44 bytes of columns instead of 64.
 * - version, cversion, aversion, the id of the node's interned ACL list and where its data is
 *   are Int32Arrays.
 * - data bytes live outside the JS heap in a DataArena (slabs of size classes); only data
 *   bigger than the largest class gets a Buffer of its own.
 * - ephemeralOwner is non-zero for few nodes: kept in a Map by id, absent means 0.
 * - paths, names and children: the PathIndex (path-index.ts), in columns of its own, by the
 *   same ids.
 *
 * Columns are allocated in fixed pages, so growing never copies what exists and never leaves
 * more than one page unused; ids of deleted nodes are reused.
 */

const F64_FIELDS = 2;
const CZXID = 0;
const CTIME = 1;

const I32_FIELDS = 7;
const VERSION = 0;
const CVERSION = 1;
const AVERSION = 2;
const ACL_ID = 3;
/**
 * The data's length, which gives its size class in the arena (see dataClass), and slot. Null
 * data (a create or setData that sent none) is NULL_DATA, class 0 like empty data: the two
 * read back differently, as in ZooKeeper (getData answers null, not empty bytes).
 */
const DATA_LENGTH = 4;
const NULL_DATA = -1;
const DATA_SLOT = 5;
/** 1 + the node's row in the ext columns; 0 for none (mzxid = pzxid = czxid, mtime = ctime). */
const EXT = 6;

const EXT_FIELDS = 3;
const MZXID = 0;
const PZXID = 1;
const MTIME = 2;

const EMPTY = Buffer.alloc(0);

/** A bigint zxid/time as the double the store keeps; throws beyond 2^53 rather than round. */
export function exactNumber(value: bigint, what: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new RangeError(`${what} ${value} is beyond 2^53`);
  return n;
}

export class NodeStore {
  private readonly f64: Float64Array[] = [];
  private readonly i32: Int32Array[] = [];
  /** mzxid, pzxid, mtime of the nodes that changed since their create (see EXT). */
  private readonly ext = new SpareRows(EXT_FIELDS, (n) => new Float64Array(n));
  private readonly arena = new DataArena();
  /** Data too big for the arena's classes. */
  private readonly bigData = new Map<number, Buffer>();
  private readonly owners = new Map<number, bigint>();
  /** Which node is at a path, and each node's children. */
  readonly paths = new PathIndex();
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
      }
    }
    return id;
  }

  /** Forgets a node (already out of the path index); its id may be handed out again. */
  free(id: number): void {
    this.releaseData(id);
    const ext = this.extOf(id);
    if (ext >= 0) this.ext.give(ext);
    const page = id >>> PAGE_BITS;
    const slot = id & PAGE_MASK;
    this.f64[page].fill(0, slot * F64_FIELDS, slot * F64_FIELDS + F64_FIELDS);
    this.i32[page].fill(0, slot * I32_FIELDS, slot * I32_FIELDS + I32_FIELDS);
    this.owners.delete(id);
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
    f[fi + CTIME] = ctime;
    const n = this.i32[id >>> PAGE_BITS];
    const ni = (id & PAGE_MASK) * I32_FIELDS;
    n[ni + VERSION] = version;
    n[ni + CVERSION] = cversion;
    n[ni + AVERSION] = aversion;
    if (mzxid !== czxid || pzxid !== czxid || mtime !== ctime) {
      const e = this.extFor(id);
      this.ext.set(e, MZXID, mzxid);
      this.ext.set(e, PZXID, pzxid);
      this.ext.set(e, MTIME, mtime);
    }
    if (ephemeralOwner !== 0n) this.owners.set(id, ephemeralOwner);
  }

  czxid(id: number): number {
    return this.f64[id >>> PAGE_BITS][(id & PAGE_MASK) * F64_FIELDS + CZXID];
  }

  mzxid(id: number): number {
    const ext = this.extOf(id);
    return ext < 0 ? this.czxid(id) : this.ext.get(ext, MZXID);
  }

  pzxid(id: number): number {
    const ext = this.extOf(id);
    return ext < 0 ? this.czxid(id) : this.ext.get(ext, PZXID);
  }

  ctime(id: number): number {
    return this.f64[id >>> PAGE_BITS][(id & PAGE_MASK) * F64_FIELDS + CTIME];
  }

  mtime(id: number): number {
    const ext = this.extOf(id);
    return ext < 0 ? this.ctime(id) : this.ext.get(ext, MTIME);
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

  /** The stat's dataLength: 0 for null data as for empty. */
  dataLength(id: number): number {
    return Math.max(0, this.i32[id >>> PAGE_BITS][(id & PAGE_MASK) * I32_FIELDS + DATA_LENGTH]);
  }

  /** The data's length as jute writes a buffer: -1 for null. */
  wireDataLength(id: number): number {
    return this.i32[id >>> PAGE_BITS][(id & PAGE_MASK) * I32_FIELDS + DATA_LENGTH];
  }

  /** The data, as a fresh Buffer (the store's bytes may move or be reused); null if null. */
  data(id: number): Buffer | null {
    const n = this.i32[id >>> PAGE_BITS];
    const ni = (id & PAGE_MASK) * I32_FIELDS;
    const length = n[ni + DATA_LENGTH];
    if (length === NULL_DATA) return null;
    if (length === 0) return EMPTY;
    const out = Buffer.allocUnsafe(length);
    this.copyData(id, out, 0);
    return out;
  }

  /** Copies the data into `target` at `at`; returns the number of bytes copied. */
  copyData(id: number, target: Buffer, at: number): number {
    const n = this.i32[id >>> PAGE_BITS];
    const ni = (id & PAGE_MASK) * I32_FIELDS;
    const length = n[ni + DATA_LENGTH];
    const cls = dataClass(length);
    if (cls === 0) return 0;
    if (cls < 0) return (this.bigData.get(id) as Buffer).copy(target, at);
    return this.arena.copyOut(cls, n[ni + DATA_SLOT], length, target, at);
  }

  numChildren(id: number): number {
    return this.paths.childCount(id);
  }

  /** Replaces the data with a copy of `data` (null stays null, as ZooKeeper's DataNode keeps it). */
  setData(id: number, data: Buffer | null): void {
    this.releaseData(id);
    const n = this.i32[id >>> PAGE_BITS];
    const ni = (id & PAGE_MASK) * I32_FIELDS;
    if (data === null) {
      n[ni + DATA_LENGTH] = NULL_DATA;
      return;
    }
    const length = data.length;
    n[ni + DATA_LENGTH] = length;
    const cls = dataClass(length);
    if (cls > 0) n[ni + DATA_SLOT] = this.arena.store(cls, data);
    else if (cls < 0) this.bigData.set(id, Buffer.from(data));
  }

  private releaseData(id: number): void {
    const n = this.i32[id >>> PAGE_BITS];
    const ni = (id & PAGE_MASK) * I32_FIELDS;
    const cls = dataClass(n[ni + DATA_LENGTH]);
    if (cls > 0) this.arena.release(cls, n[ni + DATA_SLOT]);
    else if (cls < 0) this.bigData.delete(id);
    n[ni + DATA_LENGTH] = 0;
  }

  setAclId(id: number, aclId: number): void {
    this.i32[id >>> PAGE_BITS][(id & PAGE_MASK) * I32_FIELDS + ACL_ID] = aclId;
  }

  /** A setData: new mtime, mzxid and version. */
  setModified(id: number, mzxid: number, mtime: number, version: number): void {
    const e = this.extFor(id);
    this.ext.set(e, MZXID, mzxid);
    this.ext.set(e, MTIME, mtime);
    this.i32[id >>> PAGE_BITS][(id & PAGE_MASK) * I32_FIELDS + VERSION] = version;
  }

  setPzxid(id: number, pzxid: number): void {
    if (this.extOf(id) < 0 && pzxid === this.czxid(id)) return;
    this.ext.set(this.extFor(id), PZXID, pzxid);
  }

  /** The node's row in the ext columns, or -1. */
  private extOf(id: number): number {
    return this.i32[id >>> PAGE_BITS][(id & PAGE_MASK) * I32_FIELDS + EXT] - 1;
  }

  /** The node's ext row (made at its first change, holding the values it implied until then). */
  private extFor(id: number): number {
    let ext = this.extOf(id);
    if (ext >= 0) return ext;
    ext = this.ext.take();
    this.i32[id >>> PAGE_BITS][(id & PAGE_MASK) * I32_FIELDS + EXT] = ext + 1;
    this.ext.set(ext, MZXID, this.czxid(id));
    this.ext.set(ext, PZXID, this.czxid(id));
    this.ext.set(ext, MTIME, this.ctime(id));
    return ext;
  }

  setCversion(id: number, cversion: number): void {
    this.i32[id >>> PAGE_BITS][(id & PAGE_MASK) * I32_FIELDS + CVERSION] = cversion;
  }

  setAversion(id: number, aversion: number): void {
    this.i32[id >>> PAGE_BITS][(id & PAGE_MASK) * I32_FIELDS + AVERSION] = aversion;
  }

  /** Forgets every node. */
  clear(): void {
    this.f64.length = 0;
    this.i32.length = 0;
    this.ext.clear();
    this.arena.clear();
    this.bigData.clear();
    this.owners.clear();
    this.paths.clear();
    this.freeIds.length = 0;
    this.next = 0;
  }
}
