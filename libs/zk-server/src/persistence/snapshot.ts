import * as path from 'path';
import { SNAPSHOT_PREFIX, listZxidFiles, makeSnapshotName } from './file-names';
import { LoadedSnapshot, SnapshotContent } from './snapshot-content';
import { decodeSnapshot } from './snapshot-decoder';
import { CHUNK_SIZE, SnapshotEncoder } from './snapshot-encoder';
import { SnapshotFormatError } from './snapshot-format';
import { SyncFs, nodeSyncFs, writeFully } from './sync-fs';

/**
 * Snapshot files of the data tree and the sessions (FileSnap.java): file
 * `snapshot.<hex zxid>` where zxid is the last txn the snapshot contains, holding the byte
 * format of snapshot-format.ts (written by snapshot-encoder.ts, read by snapshot-decoder.ts).
 *
 * Like ZooKeeper's, a snapshot of the live tree is fuzzy: it is encoded chunk by chunk while txns
 * keep applying between chunks, so each node is stored as it was when the walk reached it, i.e.
 * with the effect of any txn up to the end of the walk. Recovery replays every logged txn after
 * the header's zxid over it; DataTree.processTxn makes that replay idempotent for the txns the
 * snapshot already reflects (creates of existing nodes and deletes of missing ones are no-ops,
 * cversion and pzxid only move forward, setData and setACL carry absolute versions). A snapshot
 * is published only once the log is durable up to the last txn it may reflect (TxnSnapLog).
 *
 * Writing is atomic: temp file, fsync, rename, fsync of the directory. A reader that finds a
 * short file, a bad magic or a checksum mismatch rejects the file, and recovery falls back to
 * the next older snapshot (FileSnap.deserialize does the same with its Adler32 check).
 */

const TEMP_SUFFIX = '.tmp';

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
