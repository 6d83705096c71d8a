import {
  ACL,
  JuteDecodeError,
  JuteReader,
  JuteWriter,
  readACLList,
  writeACLList,
} from '@app/zk-protocol';
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
 *   i64  zxid     the last txn reflected in the snapshot
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
 * Unlike ZooKeeper's fuzzy snapshot (taken by a background thread while txns keep applying, and
 * fixed up by replaying overlapping txns), ours is an exact cut: the tree is serialized
 * synchronously in one turn of the event loop, so nothing can change under it; only the I/O is
 * asynchronous. ACLs are stored inline rather than through ZooKeeper's ReferenceCountedACLCache.
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
const CHUNK_SIZE = 1024 * 1024;
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
 * What a snapshot walks, parents before children, root first: either an iterable of nodes (e.g.
 * DataTree.walk()) or a forEachNode-style visitor.
 */
export type SnapshotNodeSource =
  | Iterable<PersistedNode>
  | {
      forEachNode(cb: (path: string, node: Omit<PersistedNode, 'path'>) => void): void;
    };

export interface SessionEntry {
  id: bigint;
  /** Negotiated session timeout, ms. */
  timeout: number;
}

/** A consistent cut of the server state, read synchronously by writeSnapshot. */
export interface SnapshotContent {
  /** The last zxid applied to `nodes`. */
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
 * Serializes synchronously into ~1 MiB chunks (no giant contiguous buffer, no regrowth copies of
 * the whole tree), trailer included.
 */
export function serializeSnapshot(content: SnapshotContent): Buffer[] {
  const chunks: Buffer[] = [];
  let crc = 0;
  let w = new JuteWriter(CHUNK_SIZE + 64 * 1024);
  const cut = () => {
    const b = w.toBuffer();
    crc = crc32(b, 0, b.length, crc);
    chunks.push(b);
    w = new JuteWriter(CHUNK_SIZE + 64 * 1024);
  };
  const header = Buffer.alloc(HEADER_SIZE);
  header.writeUInt32BE(SNAPSHOT_MAGIC, 0);
  header.writeUInt32BE(SNAPSHOT_VERSION, 4);
  header.writeBigInt64BE(content.zxid, 8);
  w.writeBytes(header);
  const sessions = [...content.sessions];
  w.writeInt(sessions.length);
  for (const s of sessions) {
    w.writeLong(s.id).writeInt(s.timeout);
  }
  let count = 0;
  const put = (p: string, node: Omit<PersistedNode, 'path'>) => {
    w.writeString(p).writeBuffer(node.data);
    writeACLList(w, node.acl);
    writePersistedStat(w, node.stat);
    count++;
    if (w.length >= CHUNK_SIZE) {
      cut();
    }
  };
  const source = content.nodes;
  if (Symbol.iterator in source) {
    for (const node of source) {
      put(node.path, node);
    }
  } else {
    source.forEachNode(put);
  }
  w.writeInt(-1).writeInt(count);
  const body = w.toBuffer();
  crc = crc32(body, 0, body.length, crc);
  const trailer = Buffer.alloc(TRAILER_SIZE);
  trailer.writeUInt32BE(crc, 0);
  trailer.writeUInt32BE(SNAPSHOT_END_MAGIC, 4);
  chunks.push(body, trailer);
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

/** StatPersisted on disk: six longs and three ints. */
const STAT_SIZE = 6 * 8 + 3 * 4;

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

function writePersistedStat(w: JuteWriter, s: PersistedNodeStat): void {
  w.writeLong(s.czxid).writeLong(s.mzxid).writeLong(s.ctime).writeLong(s.mtime);
  w.writeInt(s.version).writeInt(s.cversion).writeInt(s.aversion);
  w.writeLong(s.ephemeralOwner).writeLong(s.pzxid);
}

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

export async function writeSnapshot(
  dir: string,
  content: SnapshotContent,
  options: WriteSnapshotOptions = {},
): Promise<SnapshotWritten> {
  const sfs = options.fs ?? nodeSyncFs;
  const zxid = content.zxid;
  const chunks = serializeSnapshot(content);
  const last = chunks[chunks.length - 2];
  const nodes = last.readInt32BE(last.length - 4);
  const bytes = chunks.reduce((n, c) => n + c.length, 0);
  const file = makeSnapshotName(zxid);
  const temp = path.join(dir, file + TEMP_SUFFIX);
  await sfs.mkdir(dir);
  let published = false;
  try {
    const fd = await sfs.open(temp, 'w');
    try {
      await writeFully(sfs, fd, chunks, 0);
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
  return { file, zxid, bytes, nodes };
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
