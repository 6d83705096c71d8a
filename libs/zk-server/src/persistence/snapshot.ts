import {
  ACL,
  JuteDecodeError,
  JuteReader,
  JuteWriter,
  readACLList,
  writeACLList,
} from '@shepherd/zk-protocol';
import * as path from 'path';
import { crc32 } from './crc32';
import { SNAPSHOT_PREFIX, listZxidFiles, makeSnapshotName } from './file-names';
import { SyncFs, nodeSyncFs, writeFully } from './sync-fs';
import { PersistedStat } from '../data-tree/persisted-stat';

/**
 * Snapshots of the data tree and the sessions (FileSnap.java, SerializeUtils.serializeSnapshot),
 * in our own format, file `snapshot.<hex zxid>` where zxid is the last txn the snapshot contains.
 * Integers big-endian, strings/buffers/vectors as jute (int length, -1 = null):
 *
 *   u32  magic    0x5a4b534e ("ZKSN")
 *   u32  version  1
 *   i64  zxid     the last txn applied when the snapshot started (see below)
 *   i32  session count, then per session: i64 id, i32 timeout (ms)
 *   per node, parents before children:
 *        ustring path, buffer data, vector<ACL> acl, StatPersisted stat, i.e.
 *        i64 czxid, i64 mzxid, i64 ctime, i64 mtime, i32 version, i32 cversion,
 *        i32 aversion, i64 ephemeralOwner, i64 pzxid (zookeeper.jute order; numChildren and
 *        dataLength are derived, and cversion is the raw count of child creates)
 *   i32  -1       end of nodes (a null path)
 *   i32  node count (a cross-check)
 *   u32  crc      CRC-32 of every byte before it
 *   u32  end magic 0x5a4b5345 ("ZKSE")
 *
 * Like ZooKeeper's, a snapshot of the live tree is fuzzy: it is encoded chunk by chunk while txns
 * keep applying between chunks, so each node is stored as it was when the walk reached it, i.e.
 * with the effect of any txn up to the end of the walk. Recovery replays every logged txn after
 * the header's zxid over it; DataTree.processTxn makes that replay idempotent for the txns the
 * snapshot already reflects (creates of existing nodes and deletes of missing ones are no-ops,
 * cversion and pzxid only move forward, setData and setACL carry absolute versions). A snapshot
 * is published only once the log is durable up to the last txn it may reflect (TxnSnapLog).
 * ACLs are stored inline rather than through ZooKeeper's ReferenceCountedACLCache.
 *
 * Writing is atomic: temp file, fsync, rename, fsync of the directory. A reader that finds a
 * short file, a bad magic or a checksum mismatch rejects the file, and recovery falls back to
 * the next older snapshot (FileSnap.deserialize does the same with its Adler32 check).
 */

export const SNAPSHOT_MAGIC = 0x5a4b534e;
export const SNAPSHOT_END_MAGIC = 0x5a4b5345;
export const SNAPSHOT_VERSION = 1;
const HEADER_SIZE = 16;
const TRAILER_SIZE = 8;
/** StatPersisted on disk: six longs and three ints. */
const STAT_SIZE = 6 * 8 + 3 * 4;
const TEMP_SUFFIX = '.tmp';

/** zookeeper.jute StatPersisted: what a node's stat is on disk (no numChildren/dataLength). */
export type PersistedNodeStat = PersistedStat;

/** One node as written to / read from a snapshot (same shape as DataTree's SnapshotNode). */
export interface PersistedNode {
  path: string;
  data: Buffer;
  acl: readonly ACL[];
  stat: PersistedNodeStat;
}

/**
 * What a snapshot walks, parents before children, root first: a cursor over a live tree
 * (DataTree), an iterable of nodes (e.g. DataTree.walk()) or a forEachNode-style visitor.
 */
export type SnapshotNodeSource =
  | { snapshotCursor(): SnapshotCursor }
  | Iterable<PersistedNode>
  | {
      forEachNode(cb: (path: string, node: Omit<PersistedNode, 'path'>) => void): void;
    };

export interface SessionEntry {
  id: bigint;
  /** Negotiated session timeout, ms. */
  timeout: number;
}

/** What a snapshot holds: sessions are read at once, nodes as the writer walks them. */
export interface SnapshotContent {
  /** The last zxid applied to `nodes` when the snapshot starts. */
  zxid: bigint;
  nodes: SnapshotNodeSource;
  sessions: Iterable<SessionEntry>;
}

export interface LoadedSnapshot {
  file: string;
  zxid: bigint;
  sessions: SessionEntry[];
  /** In file order, i.e. parents before children; decoded (all at once) on first access. */
  readonly nodes: PersistedNode[];
  /**
   * The same nodes decoded one at a time as the iteration goes (ready for DataTree.restore):
   * recovery of a big tree never holds every decoded node at once, only the file and the tree
   * being built (a million decoded nodes would cost more memory and GC time than the tree).
   * Node data are views into the file buffer, to be copied by the consumer.
   */
  readNodes(): Iterable<PersistedNode>;
}

export class SnapshotFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SnapshotFormatError';
  }
}

/**
 * What a snapshot can walk without allocating per node: DataTree.snapshotCursor(). The cursor
 * moves with next() and exposes the current node's fields; zxids and times are exact integers
 * (below 2^53), data is copied straight into the chunk.
 */
export interface SnapshotCursor {
  next(): boolean;
  readonly path: string;
  readonly dataLength: number;
  copyData(target: Buffer, at: number): number;
  readonly acl: readonly ACL[];
  readonly czxid: number;
  readonly mzxid: number;
  readonly pzxid: number;
  readonly ctime: number;
  readonly mtime: number;
  readonly version: number;
  readonly cversion: number;
  readonly aversion: number;
  readonly ephemeralOwner: bigint;
}

/** Chunks a snapshot is written in: two are reused for the whole file (one filling, one writing). */
const CHUNK_SIZE = 512 * 1024;
const TWO_32 = 4294967296;

/** Bytes a record takes besides its path, data and ACL vector: two lengths and the stat. */
const RECORD_FIXED = 4 + 4 + STAT_SIZE;

/** The ACL vector of a list, encoded once per distinct list. */
function encodeAclList(acl: readonly ACL[]): Buffer {
  const w = new JuteWriter(64);
  writeACLList(w, acl);
  return Buffer.from(w.toBuffer());
}

/**
 * Encodes a snapshot into chunks, one fill() at a time: header and sessions first (taken when
 * the encoder is made), then node records until the chunk is full, then the trailer. Between
 * two fills the caller may let the event loop run (and the tree change: see SnapshotCursor).
 */
export class SnapshotEncoder {
  private stage = 0; // 0 header, 1 sessions, 2 nodes, 3 trailer, 4 done
  private readonly sessions: SessionEntry[];
  private sessionIndex = 0;
  private readonly cursor: SnapshotCursor | null;
  private readonly iterator: Iterator<PersistedNode> | null;
  private pendingNode: PersistedNode | null = null;
  private pendingCursor = false;
  private crc = 0;
  private readonly aclBytes = new Map<readonly ACL[], Buffer>();
  private views = new WeakMap<Buffer, DataView>();
  /** Node records written so far. */
  count = 0;
  /** Bytes handed out so far. */
  bytes = 0;

  constructor(private readonly content: SnapshotContent) {
    this.sessions = [...content.sessions];
    const source = content.nodes;
    if ('snapshotCursor' in source) {
      this.cursor = source.snapshotCursor();
      this.iterator = null;
    } else if (Symbol.iterator in source) {
      this.cursor = null;
      this.iterator = source[Symbol.iterator]();
    } else {
      const nodes: PersistedNode[] = [];
      source.forEachNode((path, node) => nodes.push({ path, ...node }));
      this.cursor = null;
      this.iterator = nodes[Symbol.iterator]();
    }
  }

  get done(): boolean {
    return this.stage === 4;
  }

  /**
   * Encodes the next part of the snapshot into `buf` and returns it (a prefix view); empty once
   * everything was handed out. A record too big for `buf` comes alone in a buffer of its own.
   */
  fill(buf: Buffer): Buffer {
    let pos = 0;
    if (this.stage === 0) {
      buf.writeUInt32BE(SNAPSHOT_MAGIC, 0);
      buf.writeUInt32BE(SNAPSHOT_VERSION, 4);
      buf.writeBigInt64BE(this.content.zxid, 8);
      buf.writeInt32BE(this.sessions.length, 16);
      pos = HEADER_SIZE + 4;
      this.stage = 1;
    }
    if (this.stage === 1) {
      const sessions = this.sessions;
      while (this.sessionIndex < sessions.length && pos + 12 <= buf.length) {
        const s = sessions[this.sessionIndex++];
        buf.writeBigInt64BE(s.id, pos);
        buf.writeInt32BE(s.timeout, pos + 8);
        pos += 12;
      }
      if (this.sessionIndex < sessions.length) return this.seal(buf, pos);
      this.stage = 2;
    }
    if (this.stage === 2) {
      const end = this.cursor ? this.fillFromCursor(buf, pos) : this.fillFromNodes(buf, pos);
      if (end < 0) return this.oversized();
      pos = end;
      // Still walking: the chunk is full.
      if (this.stage === 2) return this.seal(buf, pos);
    }
    if (this.stage === 3) {
      if (pos + 16 > buf.length) return this.seal(buf, pos);
      buf.writeInt32BE(-1, pos);
      buf.writeInt32BE(this.count, pos + 4);
      pos += 8;
      this.crc = crc32(buf, 0, pos, this.crc);
      buf.writeUInt32BE(this.crc, pos);
      buf.writeUInt32BE(SNAPSHOT_END_MAGIC, pos + 4);
      pos += TRAILER_SIZE;
      this.stage = 4;
      this.bytes += pos;
      return buf.subarray(0, pos);
    }
    return buf.subarray(0, 0);
  }

  private seal(buf: Buffer, length: number): Buffer {
    this.crc = crc32(buf, 0, length, this.crc);
    this.bytes += length;
    return buf.subarray(0, length);
  }

  private aclOf(acl: readonly ACL[]): Buffer {
    let bytes = this.aclBytes.get(acl);
    if (!bytes) {
      // Lists from the tree are interned (few); other sources may hand out a list per node.
      if (this.aclBytes.size >= 1024) this.aclBytes.clear();
      bytes = encodeAclList(acl);
      this.aclBytes.set(acl, bytes);
    }
    return bytes;
  }

  private view(buf: Buffer): DataView {
    let v = this.views.get(buf);
    if (!v) {
      v = new DataView(buf.buffer, buf.byteOffset, buf.length);
      this.views.set(buf, v);
    }
    return v;
  }

  /**
   * Writes cursor records from `pos` while they fit; returns the new end, or -1 when the next
   * record does not fit even an empty chunk (it is then left pending for oversized()).
   */
  private fillFromCursor(buf: Buffer, start: number): number {
    const c = this.cursor as SnapshotCursor;
    const dv = this.view(buf);
    let pos = start;
    for (;;) {
      if (!this.pendingCursor) {
        if (!c.next()) {
          this.stage = 3;
          return pos;
        }
        this.pendingCursor = true;
      }
      const path = c.path;
      const dataLength = c.dataLength;
      const acl = this.aclOf(c.acl);
      const need = RECORD_FIXED + path.length * 3 + dataLength + acl.length;
      if (pos + need > buf.length) return pos === 0 ? -1 : pos;
      pos = writePath(buf, pos, path);
      dv.setInt32(pos, dataLength);
      pos += 4;
      if (dataLength > 0) pos += c.copyData(buf, pos);
      pos += acl.copy(buf, pos);
      pos = putNumber(dv, pos, c.czxid);
      pos = putNumber(dv, pos, c.mzxid);
      pos = putNumber(dv, pos, c.ctime);
      pos = putNumber(dv, pos, c.mtime);
      dv.setInt32(pos, c.version);
      dv.setInt32(pos + 4, c.cversion);
      dv.setInt32(pos + 8, c.aversion);
      dv.setBigInt64(pos + 12, c.ephemeralOwner);
      pos = putNumber(dv, pos + 20, c.pzxid);
      this.pendingCursor = false;
      this.count++;
    }
  }

  private fillFromNodes(buf: Buffer, start: number): number {
    const it = this.iterator as Iterator<PersistedNode>;
    const dv = this.view(buf);
    let pos = start;
    for (;;) {
      if (!this.pendingNode) {
        const step = it.next();
        if (step.done) {
          this.stage = 3;
          return pos;
        }
        this.pendingNode = step.value;
      }
      const n = this.pendingNode;
      const acl = this.aclOf(n.acl);
      const need = RECORD_FIXED + n.path.length * 3 + n.data.length + acl.length;
      if (pos + need > buf.length) return pos === 0 ? -1 : pos;
      pos = writePath(buf, pos, n.path);
      dv.setInt32(pos, n.data.length);
      pos += 4;
      pos += n.data.copy(buf, pos);
      pos += acl.copy(buf, pos);
      const s = n.stat;
      dv.setBigInt64(pos, s.czxid);
      dv.setBigInt64(pos + 8, s.mzxid);
      dv.setBigInt64(pos + 16, s.ctime);
      dv.setBigInt64(pos + 24, s.mtime);
      dv.setInt32(pos + 32, s.version);
      dv.setInt32(pos + 36, s.cversion);
      dv.setInt32(pos + 40, s.aversion);
      dv.setBigInt64(pos + 44, s.ephemeralOwner);
      dv.setBigInt64(pos + 52, s.pzxid);
      pos += STAT_SIZE;
      this.pendingNode = null;
      this.count++;
    }
  }

  /** The pending record, alone in a buffer of its own size. */
  private oversized(): Buffer {
    let need = RECORD_FIXED;
    if (this.cursor) {
      const c = this.cursor;
      need += c.path.length * 3 + c.dataLength + this.aclOf(c.acl).length;
    } else {
      const n = this.pendingNode as PersistedNode;
      need += n.path.length * 3 + n.data.length + this.aclOf(n.acl).length;
    }
    const big = Buffer.allocUnsafe(need);
    const end = this.cursor ? this.fillFromCursor(big, 0) : this.fillFromNodes(big, 0);
    return this.seal(big, end);
  }
}

/** A path as a jute ustring: int length, then UTF-8 (ASCII paths without a native call). */
function writePath(buf: Buffer, pos: number, path: string): number {
  const n = path.length;
  let ascii = n <= 128;
  if (ascii) {
    for (let i = 0; i < n; i++) {
      const ch = path.charCodeAt(i);
      if (ch >= 0x80) {
        ascii = false;
        break;
      }
      buf[pos + 4 + i] = ch;
    }
  }
  const length = ascii ? n : buf.write(path, pos + 4, 'utf8');
  buf.writeInt32BE(length, pos);
  return pos + 4 + length;
}

/** An exact integer (|v| < 2^53) as a jute long. */
function putNumber(dv: DataView, pos: number, v: number): number {
  const hi = Math.floor(v / TWO_32);
  dv.setInt32(pos, hi);
  dv.setUint32(pos + 4, v - hi * TWO_32);
  return pos + 8;
}

/** Serializes a whole snapshot synchronously, as a list of chunks (tests, tools). */
export function serializeSnapshot(content: SnapshotContent): Buffer[] {
  const encoder = new SnapshotEncoder(content);
  const chunks: Buffer[] = [];
  while (!encoder.done) {
    const chunk = encoder.fill(Buffer.allocUnsafe(CHUNK_SIZE));
    if (chunk.length > 0) chunks.push(chunk);
  }
  return chunks;
}

/**
 * Verifies the checksum and the structure of a whole snapshot file (throws SnapshotFormatError)
 * and decodes the sessions; the nodes are decoded when read (see LoadedSnapshot).
 */
export function parseSnapshot(buf: Buffer): Omit<LoadedSnapshot, 'file'> {
  return decodeSnapshot(buf, {});
}

/** parseSnapshot onto `into` (e.g. holding the file name): nodes and readNodes are accessors. */
function decodeSnapshot<T extends object>(buf: Buffer, into: T): T & Omit<LoadedSnapshot, 'file'> {
  if (buf.length < HEADER_SIZE + 12 + TRAILER_SIZE) {
    throw new SnapshotFormatError(`too short (${buf.length} bytes)`);
  }
  if (buf.readUInt32BE(0) !== SNAPSHOT_MAGIC || buf.readUInt32BE(4) !== SNAPSHOT_VERSION) {
    throw new SnapshotFormatError('bad magic or version');
  }
  const bodyEnd = buf.length - TRAILER_SIZE;
  if (buf.readUInt32BE(bodyEnd + 4) !== SNAPSHOT_END_MAGIC) {
    throw new SnapshotFormatError('no end marker (incomplete file)');
  }
  if (crc32(buf, 0, bodyEnd) !== buf.readUInt32BE(bodyEnd)) {
    throw new SnapshotFormatError('checksum mismatch');
  }
  const body = buf.subarray(0, bodyEnd);
  try {
    const r = new JuteReader(body, 8);
    const zxid = r.readLong();
    const sessionCount = r.readInt();
    if (sessionCount < 0 || sessionCount * 12 > r.remaining) {
      throw new SnapshotFormatError(`impossible session count ${sessionCount}`);
    }
    const sessions = new Array<SessionEntry>(sessionCount);
    for (let i = 0; i < sessions.length; i++) {
      sessions[i] = { id: r.readLong(), timeout: r.readInt() };
    }
    const nodesStart = r.offset;
    // A structural pass that allocates nothing, so a damaged file is still rejected here (and
    // recovery falls back to an older snapshot) rather than halfway through a restore.
    checkNodeRecords(body, nodesStart);
    let decoded: PersistedNode[] | undefined;
    const snapshot = Object.assign(into, { zxid, sessions }) as T & Omit<LoadedSnapshot, 'file'>;
    Object.defineProperty(snapshot, 'nodes', {
      enumerable: true,
      get: () => (decoded ??= [...decodeNodes(body, nodesStart, true)]),
    });
    Object.defineProperty(snapshot, 'readNodes', {
      enumerable: false,
      value: () => ({ [Symbol.iterator]: () => decodeNodes(body, nodesStart, false) }),
    });
    return snapshot;
  } catch (err) {
    if (err instanceof JuteDecodeError || err instanceof RangeError) {
      throw new SnapshotFormatError(`undecodable: ${err.message}`);
    }
    throw err;
  }
}

/** Walks the node records by their lengths only; throws unless they end exactly as declared. */
function checkNodeRecords(body: Buffer, start: number): void {
  let pos = start;
  let count = 0;
  const int = () => {
    if (pos + 4 > body.length) throw new SnapshotFormatError('node records run past the end');
    const v = body.readInt32BE(pos);
    pos += 4;
    return v;
  };
  const skip = (n: number) => {
    if (n < -1 || pos + Math.max(n, 0) > body.length) {
      throw new SnapshotFormatError(`bad length ${n} at offset ${pos}`);
    }
    pos += Math.max(n, 0);
  };
  for (;;) {
    const pathLength = int();
    if (pathLength === -1) break;
    if (pathLength < 0) throw new SnapshotFormatError(`bad path length ${pathLength}`);
    skip(pathLength);
    skip(int()); // data
    const acls = int();
    if (acls < -1 || acls * 12 > body.length - pos) {
      throw new SnapshotFormatError(`bad ACL count ${acls}`);
    }
    for (let i = 0; i < acls; i++) {
      int(); // perms
      skip(int()); // scheme
      skip(int()); // id
    }
    skip(STAT_SIZE);
    count++;
  }
  const declared = int();
  if (declared !== count || pos !== body.length) {
    throw new SnapshotFormatError(`node count ${declared} != ${count} or trailing bytes`);
  }
}

/**
 * Decodes the node records checked by checkNodeRecords (so by offsets, without re-checking
 * bounds). Consecutive nodes with byte-identical ACL lists (nearly all of them, in practice)
 * share one decoded list. `copyData` false hands out views into `body` instead of copies.
 */
function* decodeNodes(body: Buffer, start: number, copyData: boolean): Generator<PersistedNode> {
  let pos = start;
  let lastAcl: readonly ACL[] = [];
  let lastAclStart = -1;
  let lastAclLength = 0;
  for (;;) {
    const pathLength = body.readInt32BE(pos);
    if (pathLength === -1) return;
    const p = body.toString('utf8', pos + 4, pos + 4 + pathLength);
    pos += 4 + pathLength;
    const dataLength = body.readInt32BE(pos);
    pos += 4;
    let data: Buffer = EMPTY_DATA;
    if (dataLength > 0) {
      const view = body.subarray(pos, pos + dataLength);
      data = copyData ? Buffer.from(view) : view;
      pos += dataLength;
    }
    let acl = lastAcl;
    if (
      lastAclStart < 0 ||
      body.compare(body, lastAclStart, lastAclStart + lastAclLength, pos, pos + lastAclLength) !== 0
    ) {
      const r = new JuteReader(body, pos);
      acl = readACLList(r);
      lastAcl = acl;
      lastAclStart = pos;
      lastAclLength = r.offset - pos;
    }
    pos += lastAclLength;
    const stat: PersistedNodeStat = {
      czxid: body.readBigInt64BE(pos),
      mzxid: body.readBigInt64BE(pos + 8),
      ctime: body.readBigInt64BE(pos + 16),
      mtime: body.readBigInt64BE(pos + 24),
      version: body.readInt32BE(pos + 32),
      cversion: body.readInt32BE(pos + 36),
      aversion: body.readInt32BE(pos + 40),
      ephemeralOwner: body.readBigInt64BE(pos + 44),
      pzxid: body.readBigInt64BE(pos + 52),
    };
    pos += STAT_SIZE;
    yield { path: p, data, acl, stat };
  }
}

const EMPTY_DATA = Buffer.alloc(0);

export interface WriteSnapshotOptions {
  fs?: SyncFs;
  /**
   * Awaited after the snapshot data is on disk and before it is published by the rename: the
   * log must be durable up to the snapshot's zxid first, so a snapshot never gets ahead of what
   * the log says clients were told (TxnSnapLog passes TxnLog.flush).
   */
  beforePublish?: () => Promise<void>;
}

export interface SnapshotWritten {
  file: string;
  zxid: bigint;
  bytes: number;
  nodes: number;
}

/**
 * Writes a snapshot to `dir` atomically (temp file, fsync, rename, directory fsync), streaming
 * it through two reused chunk buffers: one is filled while the other is being written, so the
 * snapshot is never held in memory as a whole, and the event loop runs between chunks. The
 * header (zxid, sessions) is taken at once; nodes are read as the walk reaches them, so with a
 * live tree the file is a fuzzy snapshot (see SnapshotCursor, DataTree.snapshotCursor).
 */
export async function writeSnapshot(
  dir: string,
  content: SnapshotContent,
  options: WriteSnapshotOptions = {},
): Promise<SnapshotWritten> {
  const sfs = options.fs ?? nodeSyncFs;
  const zxid = content.zxid;
  const encoder = new SnapshotEncoder(content);
  const file = makeSnapshotName(zxid);
  const temp = path.join(dir, file + TEMP_SUFFIX);
  await sfs.mkdir(dir);
  let published = false;
  try {
    const fd = await sfs.open(temp, 'w');
    try {
      const buffers = [Buffer.allocUnsafe(CHUNK_SIZE), Buffer.allocUnsafe(CHUNK_SIZE)];
      let position = 0;
      let writing: Promise<void> | null = null;
      try {
        for (let i = 0; ; i ^= 1) {
          const chunk = encoder.fill(buffers[i]);
          if (writing) await writing;
          writing = null;
          if (chunk.length === 0) break;
          writing = writeFully(sfs, fd, [chunk], position);
          position += chunk.length;
        }
      } finally {
        // Never close the file under a write still in flight (e.g. the walk threw).
        await writing?.catch(() => undefined);
      }
      await sfs.fsync(fd);
    } finally {
      await sfs.close(fd);
    }
    await options.beforePublish?.();
    await sfs.rename(temp, path.join(dir, file));
    published = true;
    await sfs.syncDir(dir);
  } finally {
    if (!published) {
      await sfs.unlink(temp).catch(() => undefined);
    }
  }
  return { file, zxid, bytes: encoder.bytes, nodes: encoder.count };
}

export interface InvalidSnapshot {
  file: string;
  reason: string;
}

/**
 * The newest snapshot that passes its checks, trying older ones in turn (FileSnap.deserialize);
 * rejected files are reported, not deleted. Temp files are never considered.
 */
export async function loadNewestValidSnapshot(
  dir: string,
  sfs: SyncFs = nodeSyncFs,
): Promise<{ snapshot: LoadedSnapshot | null; invalid: InvalidSnapshot[] }> {
  const files = await listZxidFiles(sfs, dir, SNAPSHOT_PREFIX);
  const invalid: InvalidSnapshot[] = [];
  for (let i = files.length - 1; i >= 0; i--) {
    const { name, zxid } = files[i];
    try {
      const parsed = decodeSnapshot(await sfs.readFile(path.join(dir, name)), { file: name });
      if (parsed.zxid !== zxid) {
        throw new SnapshotFormatError(`holds zxid ${parsed.zxid.toString(16)}, not its name's`);
      }
      return { snapshot: parsed, invalid };
    } catch (err) {
      if (!(err instanceof SnapshotFormatError)) {
        throw err;
      }
      invalid.push({ file: name, reason: err.message });
    }
  }
  return { snapshot: null, invalid };
}

/** Leftover `snapshot.<hex>.tmp` files of interrupted writes (removed by recovery). */
export function isSnapshotTempFile(name: string): boolean {
  return /^snapshot\.[0-9a-f]{1,16}\.tmp$/.test(name);
}
