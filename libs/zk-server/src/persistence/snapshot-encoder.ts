import { ACL, JuteWriter, writeACLList } from '@shepherd/zk-protocol';
import { crc32 } from './crc32';
import { PersistedNode, SessionEntry, SnapshotContent, SnapshotCursor } from './snapshot-content';
import {
  HEADER_SIZE,
  SNAPSHOT_END_MAGIC,
  SNAPSHOT_MAGIC,
  SNAPSHOT_VERSION,
  STAT_SIZE,
  TRAILER_SIZE,
} from './snapshot-format';

/**
 * Writing the snapshot format (snapshot-format.ts; SerializeUtils.serializeSnapshot and
 * DataTree.serialize in ZooKeeper) chunk by chunk, so a big tree is never encoded into one
 * buffer and the event loop can run between chunks (see snapshot.ts for the files).
 */

/** Chunks a snapshot is written in: two are reused for the whole file (one filling, one writing). */
export const CHUNK_SIZE = 512 * 1024;
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
      const need = RECORD_FIXED + path.length * 3 + Math.max(0, dataLength) + acl.length;
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
      const data = n.data;
      const need = RECORD_FIXED + n.path.length * 3 + (data?.length ?? 0) + acl.length;
      if (pos + need > buf.length) return pos === 0 ? -1 : pos;
      pos = writePath(buf, pos, n.path);
      // jute's buffer: null data is length -1 and no bytes (DataNode.serialize).
      dv.setInt32(pos, data === null ? -1 : data.length);
      pos += 4;
      if (data !== null) pos += data.copy(buf, pos);
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
      need += c.path.length * 3 + Math.max(0, c.dataLength) + this.aclOf(c.acl).length;
    } else {
      const n = this.pendingNode as PersistedNode;
      need += n.path.length * 3 + (n.data?.length ?? 0) + this.aclOf(n.acl).length;
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
