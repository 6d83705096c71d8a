import * as zlib from 'zlib';

/**
 * CRC-32 (IEEE 802.3, the polynomial of zlib, gzip and java.util.zip.CRC32) for record and
 * snapshot checksums. ZooKeeper uses Adler32 (FileTxnLog, FileSnap); CRC-32 detects more
 * short burst errors at the same cost and is native in newer Node.
 *
 * zlib.crc32 exists from Node 20.15/22.2 and runs in C; older Node 20 releases fall back to a
 * table-driven implementation (slicing-by-1) that produces the same values.
 */

const TABLE: Uint32Array = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) {
      c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    }
    table[n] = c >>> 0;
  }
  return table;
})();

/** Pure-JS CRC-32 of buf[start, end), continuing from `prev` (0 to start a new checksum). */
export function crc32Js(buf: Uint8Array, start = 0, end = buf.length, prev = 0): number {
  let c = ~prev;
  for (let i = start; i < end; i++) {
    c = TABLE[(c ^ buf[i]) & 0xff] ^ (c >>> 8);
  }
  return ~c >>> 0;
}

type NativeCrc32 = (data: Uint8Array, value?: number) => number;
const native: NativeCrc32 | undefined = (zlib as { crc32?: NativeCrc32 }).crc32;

/** CRC-32 of buf[start, end), continuing from `prev`; native when the runtime has it. */
export const crc32: (buf: Uint8Array, start?: number, end?: number, prev?: number) => number =
  native
    ? (buf, start = 0, end = buf.length, prev = 0) =>
        native(start === 0 && end === buf.length ? buf : buf.subarray(start, end), prev) >>> 0
    : crc32Js;
