import { JuteWriter } from '@shepherd/zk-protocol';
import { Txn, TxnHeader } from '../txn/txn';
import { SyncFs, nodeSyncFs } from './sync-fs';
import { writeTxn } from './txn-codec';
import { TxnLogFile } from './txn-log-file';
import { MAX_RECORD_SIZE, RECORD_HEADER_SIZE, sealRecord } from './txn-log-format';

/**
 * The append-only transaction log with group commit (FileTxnLog.java for the file handling,
 * SyncRequestProcessor.java for the batching). The on-disk format is in txn-log-format.ts, the
 * files (naming, pre-allocation, rolling) in txn-log-file.ts; this is the batching.
 *
 * append() encodes the record straight into the pending batch buffer and returns the batch's
 * shared promise. One writer at a time takes the whole pending batch and makes it durable with a
 * single positional write and a single fdatasync; only then is the batch's promise resolved.
 * Appends made while that write/fsync is in flight go into the next batch, which is written as
 * soon as the previous fsync returns. So under load the number of fsyncs per second stays at what
 * the disk allows while the txns per fsync grow with the offered load.
 *
 * A failed write or fsync is fatal for the log (as in PostgreSQL after fsyncgate): after an fsync
 * error the kernel may have dropped the dirty pages, so nothing written since the last good fsync
 * can be trusted. Every waiting and every later append is rejected with that error; the server
 * must restart and recover from what is really on disk.
 */

export interface TxnLogOptions {
  /** dataLogDir; created if missing. */
  dir: string;
  fs?: SyncFs;
  /** Start a new file once the current one holds at least this many bytes. Default 64 MiB. */
  maxFileSize?: number;
  /**
   * Zero-fill the file this far ahead of the data (FilePadding's zookeeper.preAllocSize), so
   * most fdatasyncs need not commit a size change. Default 1 MiB; 0 disables.
   */
  preAllocSize?: number;
  /** The last zxid already in the log or snapshot (from recovery); appends must exceed it. */
  lastZxid?: bigint;
  /**
   * Starts the writer when a batch opens and no write is in flight. The default, setImmediate,
   * lets every append made in the same turn of the event loop (e.g. a burst of pipelined
   * requests read from sockets) join the first fsync.
   */
  schedule?: (run: () => void) => void;
  /**
   * A batch of at most this many txns is written and fdatasynced on the event loop's thread
   * (when the SyncFs offers blocking calls and the batch needs no new file) instead of in the
   * thread pool. Same durability, one fsync per batch either way; what it saves is the two
   * thread-pool round trips per batch, which on a small machine cost about as much latency as
   * the fsync itself. Bigger batches go to the thread pool, so that under load the next batch
   * is prepared while the disk syncs. Default 64; 0 never blocks.
   */
  inlineSyncMaxTxns?: number;
}

export interface TxnLogStats {
  /** Batches made durable; one write and one fdatasync each. */
  fsyncs: number;
  txns: number;
  bytes: number;
  lastBatchTxns: number;
  maxBatchTxns: number;
  /** txns / fsyncs: the group-commit factor. */
  avgTxnsPerFsync: number;
  filesCreated: number;
}

/** Thrown for appends to a closed log, out-of-order zxids and oversized records. */
export class TxnLogError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TxnLogError';
  }
}

interface Batch {
  writer: JuteWriter;
  count: number;
  firstZxid: bigint;
  lastZxid: bigint;
  done: Promise<void>;
  resolve: () => void;
  reject: (err: Error) => void;
}

const DEFAULT_INLINE_SYNC_MAX_TXNS = 64;
const MIN_BATCH_BUFFER = 2048;
const MAX_BATCH_BUFFER_HINT = 16 * 1024 * 1024;
const RECORD_HEADER_PLACEHOLDER = Buffer.alloc(RECORD_HEADER_SIZE);

export class TxnLog {
  private readonly file: TxnLogFile;
  private readonly schedule: (run: () => void) => void;
  private readonly inlineSyncMaxTxns: number;

  private pending: Batch | null = null;
  private inFlight: Batch | null = null;
  private scheduled = false;
  private failure: Error | null = null;
  private closing = false;
  private batchBufferHint = MIN_BATCH_BUFFER;

  private appendedZxid: bigint;
  private syncedZxid: bigint;
  private readonly counters = {
    fsyncs: 0,
    txns: 0,
    bytes: 0,
    lastBatchTxns: 0,
    maxBatchTxns: 0,
  };

  constructor(options: TxnLogOptions) {
    this.file = new TxnLogFile({
      dir: options.dir,
      fs: options.fs ?? nodeSyncFs,
      maxFileSize: options.maxFileSize,
      preAllocSize: options.preAllocSize,
    });
    this.schedule = options.schedule ?? ((run) => void setImmediate(run));
    this.inlineSyncMaxTxns = options.inlineSyncMaxTxns ?? DEFAULT_INLINE_SYNC_MAX_TXNS;
    this.appendedZxid = options.lastZxid ?? -1n;
    this.syncedZxid = this.appendedZxid;
  }

  /** zxid of the newest txn handed to append(). */
  get lastAppendedZxid(): bigint {
    return this.appendedZxid;
  }

  /** zxid of the newest txn known to be on disk (its batch's fdatasync returned). */
  get lastSyncedZxid(): bigint {
    return this.syncedZxid;
  }

  /** The error that broke the log, if any (then every append rejects with it). */
  get error(): Error | null {
    return this.failure;
  }

  /** Name of the file being appended to, if one is open. */
  get currentFile(): string | null {
    return this.file.currentFile;
  }

  get stats(): TxnLogStats {
    const c = this.counters;
    return {
      ...c,
      filesCreated: this.file.filesCreated,
      avgTxnsPerFsync: c.fsyncs === 0 ? 0 : c.txns / c.fsyncs,
    };
  }

  /** Txns appended but not yet durable. */
  get unsyncedTxns(): number {
    return (this.pending?.count ?? 0) + (this.inFlight?.count ?? 0);
  }

  /**
   * Queues a txn; the promise resolves once it is on disk, rejects if it never will be. All
   * appends of one batch share the same promise object, so an append allocates no promise.
   */
  append(header: TxnHeader, txn: Txn): Promise<void> {
    if (this.failure) {
      return Promise.reject(this.failure);
    }
    if (this.closing) {
      return Promise.reject(new TxnLogError('the txn log is closed'));
    }
    if (header.zxid <= this.appendedZxid) {
      return Promise.reject(
        new TxnLogError(
          `zxid ${header.zxid} is not after the last logged zxid ${this.appendedZxid}`,
        ),
      );
    }
    const batch = this.pending ?? (this.pending = this.newBatch());
    const w = batch.writer;
    const start = w.length;
    try {
      w.writeBytes(RECORD_HEADER_PLACEHOLDER);
      writeTxn(w, header, txn);
      const payloadLength = w.length - start - RECORD_HEADER_SIZE;
      if (payloadLength > MAX_RECORD_SIZE) {
        throw new TxnLogError(`txn of ${payloadLength} bytes exceeds ${MAX_RECORD_SIZE}`);
      }
      sealRecord(w.toBuffer(), start, payloadLength);
    } catch (err) {
      // JuteWriter cannot rewind: rebuild the batch from the records before this one.
      batch.writer = new JuteWriter(Math.max(start, MIN_BATCH_BUFFER));
      batch.writer.writeBytes(w.toBuffer().subarray(0, start));
      return Promise.reject(err);
    }
    if (batch.count === 0) {
      batch.firstZxid = header.zxid;
    }
    batch.count++;
    batch.lastZxid = header.zxid;
    this.appendedZxid = header.zxid;
    this.kick();
    return batch.done;
  }

  /** Resolves once everything appended so far is durable (rejects if it cannot be). */
  flush(): Promise<void> {
    if (this.failure) {
      return Promise.reject(this.failure);
    }
    // An empty pending batch (its only append failed to encode) is never written: skip it.
    const last = this.pending && this.pending.count > 0 ? this.pending : this.inFlight;
    return last ? last.done : Promise.resolve();
  }

  /**
   * Makes the next batch start a new file (FileTxnLog.rollLog, done when a snapshot is taken so
   * that older files become purgeable).
   */
  rollLog(): void {
    this.file.rollLog();
  }

  /** Flushes, trims the pre-allocated tail of the current file and closes it. */
  async close(): Promise<void> {
    this.closing = true;
    let flushError: unknown = null;
    await this.flush().catch((err: unknown) => (flushError = err));
    await this.file.close(!this.failure);
    if (flushError) {
      throw flushError;
    }
  }

  private newBatch(): Batch {
    let resolve!: () => void;
    let reject!: (err: Error) => void;
    const done = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    // Callers observe failures through their own await; this only keeps a batch nobody awaits
    // from crashing the process with an unhandled rejection. The failure stays in `error`.
    done.catch(() => undefined);
    return {
      writer: new JuteWriter(this.batchBufferHint),
      count: 0,
      firstZxid: 0n,
      lastZxid: 0n,
      done,
      resolve,
      reject,
    };
  }

  private kick(): void {
    if (this.inFlight || this.scheduled) {
      return;
    }
    this.scheduled = true;
    this.schedule(() => {
      this.scheduled = false;
      void this.drain();
    });
  }

  /** The single writer: one batch at a time, each appended-to-while-syncing batch next. */
  private async drain(): Promise<void> {
    if (this.inFlight) {
      return;
    }
    while (this.pending && !this.failure) {
      const batch = this.pending;
      this.pending = null;
      this.inFlight = batch;
      try {
        if (this.canWriteInline(batch)) {
          this.writeBatchInline(batch);
        } else {
          await this.writeBatch(batch);
        }
        if (batch.count > 0) {
          this.syncedZxid = batch.lastZxid;
        }
        this.inFlight = null;
        batch.resolve();
      } catch (err) {
        this.inFlight = null;
        this.fail(err instanceof Error ? err : new Error(String(err)), batch);
      }
    }
  }

  private fail(err: Error, batch: Batch): void {
    this.failure = err;
    batch.reject(err);
    if (this.pending) {
      this.pending.reject(err);
      this.pending = null;
    }
  }

  private canWriteInline(batch: Batch): boolean {
    return (
      batch.count > 0 &&
      batch.count <= this.inlineSyncMaxTxns &&
      this.file.canAppendBlocking(batch.writer.length)
    );
  }

  /** writeBatch on the calling thread, into the open file (see inlineSyncMaxTxns). */
  private writeBatchInline(batch: Batch): void {
    const data = batch.writer.toBuffer();
    this.file.appendBlocking(data);
    this.account(batch, data);
  }

  private async writeBatch(batch: Batch): Promise<void> {
    if (batch.count === 0) {
      return;
    }
    const data = batch.writer.toBuffer();
    await this.file.append(data, batch.firstZxid);
    this.account(batch, data);
  }

  private account(batch: Batch, data: Buffer): void {
    const c = this.counters;
    c.fsyncs++;
    c.txns += batch.count;
    c.bytes += data.length;
    c.lastBatchTxns = batch.count;
    c.maxBatchTxns = Math.max(c.maxBatchTxns, batch.count);
    // Size the next batch buffer like this one, so a steady load does not regrow every time.
    this.batchBufferHint = Math.min(
      Math.max(MIN_BATCH_BUFFER, data.length + (data.length >> 2)),
      MAX_BATCH_BUFFER_HINT,
    );
  }
}
