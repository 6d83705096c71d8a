import { Txn, TxnHeader } from '../txn/txn';
import { RecoveryHandler, RecoveryReport, recover } from './recovery';
import { SnapshotWritten, writeSnapshot } from './snapshot';
import { SnapshotContent } from './snapshot-content';
import { SyncFs, nodeSyncFs } from './sync-fs';
import { TxnLog, TxnLogOptions, TxnLogStats } from './txn-log';

/**
 * The persistence facade the server talks to (FileTxnSnapLog.java + the snapshot trigger of
 * SyncRequestProcessor.java): recover on start, append txns, and every `snapCount` txns roll the
 * log and write a snapshot of the state handed out by `snapshotSource`.
 *
 * ZooKeeper randomises the trigger (snapCount/2 + random) so the servers of an ensemble do not
 * all snapshot at once; a standalone server has no such herd, so the trigger is plainly
 * `snapCount` txns since the last snapshot.
 */

export interface TxnSnapLogOptions {
  /** dataDir: snapshots. */
  snapDir: string;
  /** dataLogDir: txn logs (ZooKeeper defaults it to dataDir). */
  logDir?: string;
  fs?: SyncFs;
  /** Txns between snapshots (zookeeper.snapCount). Default 100000. */
  snapCount?: number;
  /**
   * Called (synchronously) when a snapshot is due: `zxid` must be the last txn applied to the
   * tree at that moment, and `sessions` the sessions then. The nodes may keep changing while
   * the snapshot is written (a fuzzy snapshot; replaying the log after `zxid` fixes it up).
   */
  snapshotSource?: () => SnapshotContent;
  /** Result of every automatic snapshot, or why it failed (it will be retried later). */
  onSnapshot?: (result: SnapshotWritten | null, error?: unknown) => void;
  /** Passed to the TxnLog. */
  log?: Pick<TxnLogOptions, 'maxFileSize' | 'preAllocSize' | 'schedule'>;
  /** Defers the automatic snapshot until the current txn is applied; default setImmediate. */
  schedule?: (run: () => void) => void;
}

export const DEFAULT_SNAP_COUNT = 100000;

export class TxnSnapLog {
  readonly snapDir: string;
  readonly logDir: string;
  private readonly fs: SyncFs;
  private readonly snapCount: number;
  private readonly schedule: (run: () => void) => void;
  private txnLog: TxnLog | null = null;
  private txnsSinceSnapshot = 0;
  private snapshotting: Promise<SnapshotWritten> | null = null;

  constructor(private readonly options: TxnSnapLogOptions) {
    this.snapDir = options.snapDir;
    this.logDir = options.logDir ?? options.snapDir;
    this.fs = options.fs ?? nodeSyncFs;
    this.snapCount = Math.max(1, options.snapCount ?? DEFAULT_SNAP_COUNT);
    this.schedule = options.schedule ?? ((run) => void setImmediate(run));
  }

  /** Recovers (see recovery.ts) and opens the log for appends after the recovered state. */
  async recover(handler: RecoveryHandler): Promise<RecoveryReport> {
    if (this.txnLog) {
      throw new Error('already recovered');
    }
    const report = await recover(
      { snapDir: this.snapDir, logDir: this.logDir, fs: this.fs },
      handler,
    );
    this.txnLog = new TxnLog({
      ...this.options.log,
      dir: this.logDir,
      fs: this.fs,
      lastZxid: report.lastZxid,
    });
    this.txnsSinceSnapshot = report.txnsReplayed;
    return report;
  }

  get log(): TxnLog {
    if (!this.txnLog) {
      throw new Error('recover() first');
    }
    return this.txnLog;
  }

  get stats(): TxnLogStats {
    return this.log.stats;
  }

  /** The automatic snapshot being written, if any (rejects if it fails). */
  get snapshotInProgress(): Promise<SnapshotWritten> | null {
    return this.snapshotting;
  }

  /** Logs a txn; resolves once it is durable. May schedule a snapshot. */
  append(header: TxnHeader, txn: Txn): Promise<void> {
    const done = this.log.append(header, txn);
    if (++this.txnsSinceSnapshot >= this.snapCount && !this.snapshotting) {
      this.txnsSinceSnapshot = 0;
      const source = this.options.snapshotSource;
      if (source) {
        this.snapshotting = new Promise<SnapshotWritten>((resolve, reject) =>
          this.schedule(() => this.snapshot(source()).then(resolve, reject)),
        )
          .then(
            (written) => {
              this.options.onSnapshot?.(written);
              return written;
            },
            (err: unknown) => {
              this.options.onSnapshot?.(null, err);
              throw err;
            },
          )
          .finally(() => (this.snapshotting = null));
        this.snapshotting.catch(() => undefined);
      }
    }
    return done;
  }

  /**
   * Rolls the log and writes `content` as a snapshot, published only once the log is durable up
   * to the last txn appended by the time the walk ends (a fuzzy snapshot may reflect any of
   * them). Safe to call directly (e.g. on shutdown).
   */
  async snapshot(content: SnapshotContent): Promise<SnapshotWritten> {
    const log = this.log;
    log.rollLog();
    return writeSnapshot(this.snapDir, content, { fs: this.fs, beforePublish: () => log.flush() });
  }

  /** Waits for a running automatic snapshot (if any), then flushes and closes the log. */
  async close(): Promise<void> {
    await this.snapshotting?.catch(() => undefined);
    await this.txnLog?.close();
  }
}
