import * as path from 'path';
import { makeLogName } from './file-names';
import { SyncFs, writeFully, writeFullyBlocking } from './sync-fs';
import { LOG_HEADER_SIZE, encodeLogHeader } from './txn-log-format';

/**
 * The files of the transaction log (FileTxnLog.java's file handling, FilePadding.java's
 * pre-allocation): files `log.<hex zxid of their first txn>` (file-names.ts) in dataLogDir,
 * each started with its header (txn-log-format.ts), appended to until it is full or a roll is
 * asked for, and zero-filled ahead of the data. What is appended, and when, is the batching's
 * business (txn-log.ts); here a batch's bytes are written and fdatasynced.
 */

export interface TxnLogFileOptions {
  /** dataLogDir; created if missing. */
  dir: string;
  fs: SyncFs;
  /** Start a new file once the current one holds at least this many bytes. Default 64 MiB. */
  maxFileSize?: number;
  /** Zero-fill the file this far ahead of the data (see TxnLogOptions). Default 1 MiB. */
  preAllocSize?: number;
}

const DEFAULT_MAX_FILE_SIZE = 64 * 1024 * 1024;
const DEFAULT_PREALLOC = 1024 * 1024;

let zeros: Buffer = Buffer.alloc(0);
function zeroFill(length: number, out: Buffer[]): void {
  if (zeros.length < Math.min(length, DEFAULT_PREALLOC)) {
    zeros = Buffer.alloc(Math.min(Math.max(length, 64 * 1024), DEFAULT_PREALLOC));
  }
  for (let left = length; left > 0; left -= zeros.length) {
    out.push(left >= zeros.length ? zeros : zeros.subarray(0, left));
  }
}

export class TxnLogFile {
  private readonly dir: string;
  private readonly fs: SyncFs;
  private readonly maxFileSize: number;
  private readonly preAllocSize: number;
  private readonly blockingFs: Required<
    Pick<SyncFs, 'writevBlocking' | 'fdatasyncBlocking'>
  > | null;
  private dirReady = false;

  private fd: number | null = null;
  private fileName: string | null = null;
  /** Logical end of the data in the current file; the file is zero beyond it. */
  private fileEnd = 0;
  private allocatedEnd = 0;
  private rollRequested = false;
  private created = 0;

  constructor(options: TxnLogFileOptions) {
    this.dir = options.dir;
    this.fs = options.fs;
    this.maxFileSize = options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
    this.preAllocSize = options.preAllocSize ?? DEFAULT_PREALLOC;
    const { writevBlocking, fdatasyncBlocking } = this.fs;
    this.blockingFs =
      writevBlocking && fdatasyncBlocking
        ? {
            writevBlocking: writevBlocking.bind(this.fs),
            fdatasyncBlocking: fdatasyncBlocking.bind(this.fs),
          }
        : null;
  }

  /** Name of the file being appended to, if one is open. */
  get currentFile(): string | null {
    return this.fileName;
  }

  /** Files created so far. */
  get filesCreated(): number {
    return this.created;
  }

  /**
   * Makes the next append start a new file (FileTxnLog.rollLog, done when a snapshot is taken so
   * that older files become purgeable).
   */
  rollLog(): void {
    this.rollRequested = true;
  }

  /**
   * Whether `length` bytes can go with appendBlocking: the SyncFs offers blocking calls and they
   * fit the open file without a new file or a new pre-allocation.
   */
  canAppendBlocking(length: number): boolean {
    return (
      this.blockingFs !== null &&
      this.fd !== null &&
      !this.rollRequested &&
      this.fileEnd < this.maxFileSize &&
      // Extending the zero pre-allocation (a big write) is left to the thread pool.
      (this.preAllocSize === 0 || this.fileEnd + length <= this.allocatedEnd)
    );
  }

  /** append on the calling thread, into the open file (see canAppendBlocking). */
  appendBlocking(data: Buffer): void {
    const sfs = this.blockingFs as NonNullable<TxnLogFile['blockingFs']>;
    const fd = this.fd as number;
    const { buffers, start, end } = this.layout(data, null);
    writeFullyBlocking(sfs, fd, buffers, start);
    this.fileEnd = end;
    sfs.fdatasyncBlocking(fd);
  }

  /**
   * Writes `data`, records whose first txn is `firstZxid`, and fdatasyncs it: into the current
   * file, or first into a new one when none is open, a roll was asked for or the file is full.
   */
  async append(data: Buffer, firstZxid: bigint): Promise<void> {
    let created = false;
    // Taken before any await: a rollLog() made while this batch is being written is for the next.
    const roll = this.rollRequested;
    this.rollRequested = false;
    if (this.fd === null || roll || this.fileEnd >= this.maxFileSize) {
      await this.openFile(firstZxid);
      created = true;
    }
    const fd = this.fd as number;
    const { buffers, start, end } = this.layout(data, created ? firstZxid : null);
    await writeFully(this.fs, fd, buffers, start);
    this.fileEnd = end;
    await this.fs.fdatasync(fd);
    if (created) {
      // The new file's directory entry must be durable too before we claim its txns are.
      await this.fs.syncDir(this.dir);
    }
  }

  /**
   * Closes the current file, if one is open; with `trim`, first trims its pre-allocated tail and
   * fsyncs it (not after a failed write: then nothing more is written).
   */
  async close(trim: boolean): Promise<void> {
    if (this.fd !== null) {
      const fd = this.fd;
      this.fd = null;
      this.fileName = null;
      try {
        if (trim) {
          await this.fs.ftruncate(fd, this.fileEnd);
          await this.fs.fsync(fd);
        }
      } finally {
        await this.fs.close(fd);
      }
    }
  }

  /**
   * Where a batch's bytes go: at the end of the current file (after a new file's header when
   * `headerZxid` is set), followed by zeros up to the next pre-allocation step when the data
   * crosses the allocated end.
   */
  private layout(
    data: Buffer,
    headerZxid: bigint | null,
  ): { buffers: Buffer[]; start: number; end: number } {
    const buffers: Buffer[] = [];
    if (headerZxid !== null) {
      buffers.push(encodeLogHeader(headerZxid));
    }
    buffers.push(data);
    const start = this.fileEnd;
    const end = start + (headerZxid !== null ? LOG_HEADER_SIZE : 0) + data.length;
    if (this.preAllocSize > 0 && end > this.allocatedEnd) {
      const newEnd = (Math.floor(end / this.preAllocSize) + 1) * this.preAllocSize;
      zeroFill(newEnd - end, buffers);
      this.allocatedEnd = newEnd;
    }
    return { buffers, start, end };
  }

  private async openFile(firstZxid: bigint): Promise<void> {
    if (this.fd !== null) {
      const old = this.fd;
      this.fd = null;
      this.fileName = null;
      try {
        // Trim the zero padding of the finished file; not needed for correctness, so no fsync.
        await this.fs.ftruncate(old, this.fileEnd);
      } finally {
        await this.fs.close(old);
      }
    }
    if (!this.dirReady) {
      await this.fs.mkdir(this.dir);
      this.dirReady = true;
    }
    const name = makeLogName(firstZxid);
    // 'wx': never overwrite a log file; zxids only grow, so a clash means a bug or a stale dir.
    this.fd = await this.fs.open(path.join(this.dir, name), 'wx');
    this.fileName = name;
    this.fileEnd = 0;
    this.allocatedEnd = 0;
    this.created++;
  }
}
