// A deliberately tiny, independent byte builder for expected wire bytes. It shares no code
// with the codec under test: integers are split into bytes by hand, the way the jute spec
// (BinaryOutputArchive: big-endian, length-prefixed, -1 for null) describes them.

/** Signed 32-bit big-endian. */
export function i32(n: number): Buffer {
  const u = n < 0 ? n + 0x100000000 : n;
  return Buffer.from([(u >>> 24) & 0xff, (u >>> 16) & 0xff, (u >>> 8) & 0xff, u & 0xff]);
}

/** Signed 64-bit big-endian (two's complement by hand). */
export function i64(n: bigint): Buffer {
  let u = n < 0n ? n + (1n << 64n) : n;
  const out: number[] = [];
  for (let i = 0; i < 8; i++) {
    out.unshift(Number(u & 0xffn));
    u >>= 8n;
  }
  return Buffer.from(out);
}

export function bool(b: boolean): Buffer {
  return Buffer.from([b ? 1 : 0]);
}

/** ustring: int byte length + UTF-8, or -1 for null. */
export function str(s: string | null): Buffer {
  if (s === null) {
    return i32(-1);
  }
  const bytes = Buffer.from(s, 'utf8');
  return cat(i32(bytes.length), bytes);
}

/** buffer: int length + bytes, or -1 for null. */
export function buf(b: Buffer | null): Buffer {
  return b === null ? i32(-1) : cat(i32(b.length), b);
}

/** vector: int count + the already-encoded elements, or -1 for null. */
export function vec(items: Buffer[] | null): Buffer {
  return items === null ? i32(-1) : cat(i32(items.length), ...items);
}

export function cat(...parts: Buffer[]): Buffer {
  return Buffer.concat(parts);
}

/** A frame: 4-byte big-endian length prefix + body. */
export function frame(body: Buffer): Buffer {
  return cat(i32(body.length), body);
}

/** Literal hex, spaces allowed: hex('00 00 00 01'). */
export function hex(s: string): Buffer {
  return Buffer.from(s.replace(/\s+/g, ''), 'hex');
}
