import * as path from 'path';
import { Txn, TxnHeader } from '../txn/txn';
import { LOG_PREFIX, ZxidFile, listZxidFiles, readdirOrEmpty } from './file-names';
import { InvalidSnapshot, isSnapshotTempFile, loadNewestValidSnapshot } from './snapshot';
import { LoadedSnapshot } from './snapshot-content';
import { SyncFs, nodeSyncFs } from './sync-fs';
import { TxnDecoder } from './txn-codec';
import { LOG_HEADER_SIZE, LogDamage } from './txn-log-format';
import { scanLogFile } from './txn-log-scan';

/**
 * Startup recovery (FileTxnSnapLog.restore + FileTxnLog's iterator): load the newest valid
 * snapshot, then hand over, in zxid order, every logged txn newer than it, for the server to
 * apply with DataTree.processTxn.
 *
 * Damage is never replayed past. The first bad record of the log (torn or short write, checksum
 * mismatch, impossible length, undecodable payload, zxid not increasing, non-zero bytes after the
 * end) ends the replay: the file is truncated at the end of its last good record (or removed
 * when none is left), every later log file is renamed aside to `<name>.discarded` (they would
 * leave a gap in the history), and the whole thing is reported. ZooKeeper 3.8 refuses to start
 * on a CRC error and only tolerates a torn tail; cutting at the first bad record recovers
 * exactly the prefix of the history that can be trusted, and the report lets an operator see
 * what was lost.
 */

export interface RecoveryOptions {
  /** dataDir: snapshots. */
  snapDir: string;
  /** dataLogDir: txn log files (may equal snapDir). */
  logDir: string;
  fs?: SyncFs;
}

export interface RecoveryHandler {
  /** Called once, before any txn, with the snapshot to start from (if there is one). */
  onSnapshot?(snapshot: LoadedSnapshot): void;
  /**
   * Called for every txn with zxid > the snapshot's, in order. May throw to abort recovery.
   * The txn's Buffers are views of the log reader's buffer, valid only during the call: copy
   * what you keep (the data tree copies node data in).
   */
  onTxn(header: TxnHeader, txn: Txn): void;
}

export interface LogTruncation {
  file: string;
  /** Where the damage starts; the file now ends here (unless removed). */
  offset: number;
  reason: LogDamage;
  /** The last txn read intact from the log before the damage (any file), null if none. */
  lastGoodZxid: bigint | null;
  bytesCut: number;
  /** The file held no intact record and was deleted. */
  fileRemoved: boolean;
}

export interface RecoveryReport {
  snapshot: { file: string; zxid: bigint } | null;
  /** Newer snapshots that failed their checks and were skipped (kept on disk). */
  invalidSnapshots: InvalidSnapshot[];
  /** Temp files of interrupted snapshot writes, deleted. */
  removedTempFiles: string[];
  logFilesRead: string[];
  txnsReplayed: number;
  /** The newest zxid on disk (snapshot or intact log record): new txns must come after it. */
  lastZxid: bigint;
  /** At most one: replay stops at the first damage. */
  truncation: LogTruncation | null;
  /** Log files after the damage, renamed to `<name>.discarded`. */
  discardedFiles: string[];
}

export const DISCARDED_SUFFIX = '.discarded';

export async function recover(
  options: RecoveryOptions,
  handler: RecoveryHandler,
): Promise<RecoveryReport> {
  const sfs = options.fs ?? nodeSyncFs;
  const removedTempFiles = await removeTempSnapshots(sfs, options.snapDir);
  const { snapshot, invalid } = await loadNewestValidSnapshot(options.snapDir, sfs);
  const snapZxid = snapshot?.zxid ?? -1n;
  if (snapshot) {
    handler.onSnapshot?.(snapshot);
  }

  const report: RecoveryReport = {
    snapshot: snapshot ? { file: snapshot.file, zxid: snapshot.zxid } : null,
    invalidSnapshots: invalid,
    removedTempFiles,
    logFilesRead: [],
    txnsReplayed: 0,
    lastZxid: snapshot?.zxid ?? 0n,
    truncation: null,
    discardedFiles: [],
  };

  const logs = await listZxidFiles(sfs, options.logDir, LOG_PREFIX);
  // Util.getLogFiles: start at the newest file whose first zxid is <= the snapshot's (it may
  // hold txns after it); older files are fully covered by the snapshot and are not read.
  let first = 0;
  for (let i = 0; i < logs.length; i++) {
    if (logs[i].zxid <= snapZxid) {
      first = i;
    }
  }

  let lastLogZxid: bigint | null = null;
  // Views: each txn is applied before the scan reads on, and the tree copies the data it keeps.
  const decoder = new TxnDecoder({ views: true });
  for (let i = first; i < logs.length; i++) {
    const file = logs[i];
    report.logFilesRead.push(file.name);
    const full = path.join(options.logDir, file.name);
    const scan = await scanLogFile(sfs, full, file.zxid, (rec) => {
      let decoded: { header: TxnHeader; txn: Txn };
      try {
        decoded = decoder.decode(rec.payload);
      } catch {
        return 'bad-payload';
      }
      const zxid = decoded.header.zxid;
      if (lastLogZxid !== null && zxid <= lastLogZxid) {
        return 'zxid-out-of-order';
      }
      lastLogZxid = zxid;
      if (zxid > snapZxid) {
        handler.onTxn(decoded.header, decoded.txn);
        report.txnsReplayed++;
      }
      return null;
    });
    if (scan.damage === null) {
      continue;
    }
    const removed = scan.goodEnd <= LOG_HEADER_SIZE;
    if (removed) {
      await sfs.unlink(full);
    } else {
      await truncateFile(sfs, full, scan.goodEnd);
    }
    report.truncation = {
      file: file.name,
      offset: scan.damageOffset,
      reason: scan.damage,
      lastGoodZxid: lastLogZxid,
      bytesCut: scan.fileLength - scan.goodEnd,
      fileRemoved: removed,
    };
    report.discardedFiles = await discard(sfs, options.logDir, logs.slice(i + 1));
    await sfs.syncDir(options.logDir);
    break;
  }
  if (lastLogZxid !== null && lastLogZxid > report.lastZxid) {
    report.lastZxid = lastLogZxid;
  }
  return report;
}

async function truncateFile(sfs: SyncFs, file: string, length: number): Promise<void> {
  const fd = await sfs.open(file, 'r+');
  try {
    await sfs.ftruncate(fd, length);
    await sfs.fsync(fd);
  } finally {
    await sfs.close(fd);
  }
}

async function discard(sfs: SyncFs, dir: string, files: ZxidFile[]): Promise<string[]> {
  const out: string[] = [];
  for (const f of files) {
    await sfs.rename(path.join(dir, f.name), path.join(dir, f.name + DISCARDED_SUFFIX));
    out.push(f.name);
  }
  return out;
}

async function removeTempSnapshots(sfs: SyncFs, dir: string): Promise<string[]> {
  const temps = (await readdirOrEmpty(sfs, dir)).filter(isSnapshotTempFile).sort();
  for (const name of temps) {
    await sfs.unlink(path.join(dir, name));
  }
  if (temps.length > 0) {
    await sfs.syncDir(dir);
  }
  return temps;
}
