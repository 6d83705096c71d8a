import { crc32 } from './crc32';

/**
 * On-disk format of a transaction log file `log.<hex zxid of its first txn>` (ours, modelled on
 * FileTxnLog.java; integers big-endian):
 *
 *   file header (16 bytes)
 *     u32  magic    0x5a4b544c ("ZKTL")
 *     u32  version  1
 *     i64  zxid of the first txn, the same as in the file name
 *   records, back to back
 *     u8   marker   0x52 ("R"): never 0, so a zero byte where a record should start is the end
 *     u32  length   of the payload, 1..MAX_RECORD_SIZE
 *     u32  crc      CRC-32 of the 4 length bytes followed by the payload
 *     ...  payload  TxnHeader + txn record (txn-codec.ts)
 *   zero padding up to the end of the file
 *
 * Like FileTxnLog (FilePadding), the writer pre-allocates the file with zeros ahead of the data,
 * so that an fdatasync after appending does not also have to commit a new file size. The end of
 * the log is therefore the first zero byte at a record boundary, and everything after it must be
 * zero too; a record that is cut short, fails its checksum or has an impossible length, and any
 * non-zero byte after the end, is corruption (see txn-log-scan.ts and recovery.ts).
 */

export const LOG_MAGIC = 0x5a4b544c;
export const LOG_VERSION = 1;
export const LOG_HEADER_SIZE = 16;
export const RECORD_MARKER = 0x52;
export const RECORD_HEADER_SIZE = 9;
/** Generous bound (jute.maxbuffer defaults to 1 MiB; a multi may carry several such nodes). */
export const MAX_RECORD_SIZE = 256 * 1024 * 1024;

export function encodeLogHeader(firstZxid: bigint): Buffer {
  const b = Buffer.alloc(LOG_HEADER_SIZE);
  b.writeUInt32BE(LOG_MAGIC, 0);
  b.writeUInt32BE(LOG_VERSION, 4);
  b.writeBigInt64BE(firstZxid, 8);
  return b;
}

/** A payload is checksummed together with its length: patch the crc after writing both. */
export function recordCrc(buf: Buffer, at: number, payloadLength: number): number {
  // length bytes at [at+1, at+5), payload at [at+9, at+9+len): two pieces, one running CRC.
  const c = crc32(buf, at + 1, at + 5);
  return crc32(buf, at + 9, at + 9 + payloadLength, c);
}

/** Fills in marker, length and crc of a record whose payload already sits at `at + 9`. */
export function sealRecord(buf: Buffer, at: number, payloadLength: number): void {
  buf[at] = RECORD_MARKER;
  buf.writeUInt32BE(payloadLength, at + 1);
  buf.writeUInt32BE(recordCrc(buf, at, payloadLength), at + 5);
}

export type LogDamage =
  | 'bad-header'
  | 'short-record'
  | 'bad-length'
  | 'bad-checksum'
  | 'bad-marker'
  | 'garbage-after-end'
  | 'bad-payload'
  | 'zxid-out-of-order';
