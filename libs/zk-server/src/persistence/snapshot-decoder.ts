import { JuteDecodeError, JuteReader } from '@shepherd/zk-protocol';
import { crc32 } from './crc32';
import { SnapshotRows } from './snapshot-rows';
import { LoadedSnapshot, PersistedNode, PersistedNodeStat, SessionEntry } from './snapshot-content';
import {
  HEADER_SIZE,
  SNAPSHOT_END_MAGIC,
  SNAPSHOT_MAGIC,
  SNAPSHOT_VERSION,
  STAT_SIZE,
  SnapshotFormatError,
  TRAILER_SIZE,
} from './snapshot-format';

/**
 * Reading the snapshot format (snapshot-format.ts; FileSnap.deserialize and
 * SerializeUtils.deserializeSnapshot in ZooKeeper): the whole file is checked before anything
 * is handed out, so a damaged file is rejected as a whole (see snapshot.ts for the files).
 */

/**
 * Verifies the checksum and the structure of a whole snapshot file (throws SnapshotFormatError)
 * and decodes the sessions; the nodes are decoded when read (see LoadedSnapshot).
 */
export function parseSnapshot(buf: Buffer): Omit<LoadedSnapshot, 'file'> {
  return decodeSnapshot(buf, {});
}

/** parseSnapshot onto `into` (e.g. holding the file name): nodes and readNodes are accessors. */
export function decodeSnapshot<T extends object>(
  buf: Buffer,
  into: T,
): T & Omit<LoadedSnapshot, 'file'> {
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
    const count = checkNodeRecords(body, nodesStart);
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
    Object.defineProperty(snapshot, 'rows', {
      enumerable: false,
      value: () => new SnapshotRows(body, nodesStart, count),
    });
    return snapshot;
  } catch (err) {
    if (err instanceof JuteDecodeError || err instanceof RangeError) {
      throw new SnapshotFormatError(`undecodable: ${err.message}`);
    }
    throw err;
  }
}

/**
 * Walks the node records by their lengths only; throws unless they end exactly as declared.
 * Returns the node count.
 */
function checkNodeRecords(body: Buffer, start: number): number {
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
  return count;
}

/**
 * Decodes the node records checked by checkNodeRecords into objects (SnapshotRows reads the
 * offsets; the stat is read here as bigints, so values past 2^53 decode too). `copyData` false
 * hands out views into `body` instead of copies.
 */
function* decodeNodes(body: Buffer, start: number, copyData: boolean): Generator<PersistedNode> {
  const rows = new SnapshotRows(body, start);
  while (rows.next()) {
    const pos = rows.statOffset;
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
    const data = rows.data;
    yield {
      path: rows.path,
      data: copyData && data !== null && data.length > 0 ? Buffer.from(data) : data,
      acl: rows.acl,
      stat,
    };
  }
}
