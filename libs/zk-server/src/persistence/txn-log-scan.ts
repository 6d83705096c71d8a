import { SyncFs } from './sync-fs';
import {
  LOG_HEADER_SIZE,
  LOG_MAGIC,
  LOG_VERSION,
  LogDamage,
  MAX_RECORD_SIZE,
  RECORD_HEADER_SIZE,
  RECORD_MARKER,
  recordCrc,
} from './txn-log-format';

export interface LogRecordView {
  /** Offset of the record's marker byte in the file. */
  offset: number;
  /** Offset just past the record. */
  end: number;
  /** The payload: a view of the scan's read buffer, valid only during the onRecord call. */
  payload: Buffer;
}

export interface LogScan {
  /** Offset just past the last good record (or the header): where a damaged file is cut. */
  goodEnd: number;
  /** Why the scan stopped early, or null when the file ended cleanly. */
  damage: LogDamage | null;
  /** Where the damage starts (= goodEnd) when damage is set. */
  damageOffset: number;
  /** The file's size. */
  fileLength: number;
}

/** Bytes read at a time; a record longer than this gets a buffer of its own size. */
export const SCAN_CHUNK_BYTES = 4 * 1024 * 1024;

/**
 * Walks a log file (format in txn-log-format.ts), handing every record that is intact to
 * `onRecord` (which may itself reject the record by returning a LogDamage, e.g. a payload that
 * does not decode), and stops at the first damaged one: records after it are never handed out.
 *
 * The file is read in chunks into one buffer that is reused, not read whole: a log file is
 * 64 MB or more, and a fresh buffer for each costs a page fault per 4 KB (reading a million
 * records' logs that way took longer than replaying them). So a payload is only valid during
 * its onRecord call.
 */
export async function scanLogFile(
  sfs: SyncFs,
  file: string,
  expectedFirstZxid: bigint | null,
  onRecord: (rec: LogRecordView) => LogDamage | null,
  chunkBytes = SCAN_CHUNK_BYTES,
): Promise<LogScan> {
  const fd = await sfs.open(file, 'r');
  try {
    const fileLength = await sfs.size(fd);
    const window = new ReadWindow(sfs, fd, chunkBytes);
    const result = (goodEnd: number, damage: LogDamage | null): LogScan => ({
      goodEnd,
      damage,
      damageOffset: goodEnd,
      fileLength,
    });
    let buf = await window.ensure(0, LOG_HEADER_SIZE);
    if (
      window.available(0) < LOG_HEADER_SIZE ||
      buf.readUInt32BE(0) !== LOG_MAGIC ||
      buf.readUInt32BE(4) !== LOG_VERSION ||
      (expectedFirstZxid !== null && buf.readBigInt64BE(8) !== expectedFirstZxid)
    ) {
      return result(0, 'bad-header');
    }
    let pos = LOG_HEADER_SIZE;
    for (;;) {
      buf = await window.ensure(pos, RECORD_HEADER_SIZE);
      const avail = window.available(pos);
      if (avail === 0) return result(pos, null);
      const at = pos - window.base;
      const marker = buf[at];
      if (marker === 0) {
        // End of the log; the rest must be untouched pre-allocation.
        return result(pos, (await window.zeroFrom(pos + 1)) ? null : 'garbage-after-end');
      }
      if (marker !== RECORD_MARKER) return result(pos, 'bad-marker');
      if (avail < RECORD_HEADER_SIZE) return result(pos, 'short-record');
      const length = buf.readUInt32BE(at + 1);
      if (length === 0 || length > MAX_RECORD_SIZE) return result(pos, 'bad-length');
      const end = pos + RECORD_HEADER_SIZE + length;
      buf = await window.ensure(pos, RECORD_HEADER_SIZE + length);
      if (window.available(pos) < RECORD_HEADER_SIZE + length) return result(pos, 'short-record');
      const r = pos - window.base;
      if (recordCrc(buf, r, length) !== buf.readUInt32BE(r + 5)) return result(pos, 'bad-checksum');
      const rejected = onRecord({ offset: pos, end, payload: buf.subarray(r + 9, r + 9 + length) });
      if (rejected) return result(pos, rejected);
      pos = end;
    }
  } finally {
    await sfs.close(fd);
  }
}

/** A sliding window over a file: one buffer, refilled from where the scan stands. */
class ReadWindow {
  private buf: Buffer;
  /** File offset of buf[0]. */
  base = 0;
  private filled = 0;
  private eof = false;

  constructor(
    private readonly sfs: SyncFs,
    private readonly fd: number,
    chunkBytes: number,
  ) {
    this.buf = Buffer.allocUnsafeSlow(chunkBytes);
  }

  /** Bytes of the file held from `pos` on. */
  available(pos: number): number {
    return this.filled - (pos - this.base);
  }

  /**
   * Makes the window hold [pos, pos + need) if the file has those bytes (fewer at its end);
   * `pos` must not be before the window. Returns the buffer (it may be a new one).
   */
  async ensure(pos: number, need: number): Promise<Buffer> {
    if (this.available(pos) >= need || this.eof) return this.buf;
    const at = pos - this.base;
    this.buf.copy(this.buf, 0, at, this.filled);
    this.filled -= at;
    this.base = pos;
    if (need > this.buf.length) {
      const bigger = Buffer.allocUnsafeSlow(need);
      this.buf.copy(bigger, 0, 0, this.filled);
      this.buf = bigger;
    }
    while (this.filled < need && !this.eof) {
      const n = await this.sfs.read(
        this.fd,
        this.buf,
        this.filled,
        this.buf.length - this.filled,
        this.base + this.filled,
      );
      if (n === 0) this.eof = true;
      else this.filled += n;
    }
    return this.buf;
  }

  /** Whether every byte of the file from `pos` to its end is zero. */
  async zeroFrom(pos: number): Promise<boolean> {
    for (;;) {
      const at = pos - this.base;
      for (let i = at; i < this.filled; i++) if (this.buf[i] !== 0) return false;
      pos = this.base + this.filled;
      if (this.eof) return true;
      await this.ensure(pos, this.buf.length);
      if (this.available(pos) === 0) return true;
    }
  }
}
