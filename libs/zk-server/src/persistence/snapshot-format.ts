/**
 * The byte format of a snapshot of the data tree and the sessions (FileSnap.java,
 * SerializeUtils.serializeSnapshot), in our own format. Integers big-endian,
 * strings/buffers/vectors as jute (int length, -1 = null):
 *
 *   u32  magic    0x5a4b534e ("ZKSN")
 *   u32  version  1
 *   i64  zxid     the last txn applied when the snapshot started (see snapshot.ts)
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
 * ACLs are stored inline rather than through ZooKeeper's ReferenceCountedACLCache.
 * snapshot-encoder.ts writes this format, snapshot-decoder.ts checks and reads it.
 */

export const SNAPSHOT_MAGIC = 0x5a4b534e;
export const SNAPSHOT_END_MAGIC = 0x5a4b5345;
export const SNAPSHOT_VERSION = 1;
export const HEADER_SIZE = 16;
export const TRAILER_SIZE = 8;
/** StatPersisted on disk: six longs and three ints. */
export const STAT_SIZE = 6 * 8 + 3 * 4;

export class SnapshotFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SnapshotFormatError';
  }
}
