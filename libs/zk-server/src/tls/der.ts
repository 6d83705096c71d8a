/**
 * The few DER encodings (ITU-T X.690) an X.509 certificate needs (RFC 5280 section 4.1):
 * enough to write one, not to read one (node:crypto's X509Certificate reads them).
 */

/** Tag, length (short or long form, X.690 8.1.3) and contents. */
export function tlv(tag: number, contents: Buffer): Buffer {
  const n = contents.length;
  let length: Buffer;
  if (n < 0x80) {
    length = Buffer.from([n]);
  } else {
    const bytes: number[] = [];
    for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
    length = Buffer.from([0x80 | bytes.length, ...bytes]);
  }
  return Buffer.concat([Buffer.from([tag]), length, contents]);
}

export const sequence = (...items: Buffer[]): Buffer => tlv(0x30, Buffer.concat(items));
export const set = (...items: Buffer[]): Buffer => tlv(0x31, Buffer.concat(items));
/** [n] EXPLICIT: constructed, context-specific. */
export const explicit = (n: number, inner: Buffer): Buffer => tlv(0xa0 | n, inner);
/** [n] IMPLICIT of a primitive (GeneralName's dNSName [2] and iPAddress [7]). */
export const implicit = (n: number, contents: Buffer): Buffer => tlv(0x80 | n, contents);
export const octetString = (contents: Buffer): Buffer => tlv(0x04, contents);
export const utf8String = (s: string): Buffer => tlv(0x0c, Buffer.from(s, 'utf8'));
export const boolean = (v: boolean): Buffer => tlv(0x01, Buffer.from([v ? 0xff : 0]));

/** A non-negative INTEGER from big-endian bytes: minimal, with a 0 byte where the top bit is set. */
export function unsignedInteger(bytes: Buffer): Buffer {
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0) i++;
  const trimmed = bytes.subarray(i);
  return tlv(0x02, trimmed[0] & 0x80 ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed);
}

export const smallInteger = (n: number): Buffer => unsignedInteger(Buffer.from([n]));

/** BIT STRING with `unusedBits` padding bits in the last byte. */
export const bitString = (contents: Buffer, unusedBits = 0): Buffer =>
  tlv(0x03, Buffer.concat([Buffer.from([unusedBits]), contents]));

/** OBJECT IDENTIFIER (X.690 8.19): the first two arcs as 40a+b, each arc base-128. */
export function oid(dotted: string): Buffer {
  const arcs = dotted.split('.').map(Number);
  const values = [40 * arcs[0] + arcs[1], ...arcs.slice(2)];
  const out: number[] = [];
  for (const v of values) {
    const chunk = [v & 0x7f];
    for (let rest = Math.floor(v / 128); rest > 0; rest = Math.floor(rest / 128)) {
      chunk.unshift(0x80 | (rest & 0x7f));
    }
    out.push(...chunk);
  }
  return tlv(0x06, Buffer.from(out));
}

/**
 * RFC 5280 4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050, both to the second in UTC.
 */
export function time(date: Date): Buffer {
  const iso = date.toISOString(); // YYYY-MM-DDTHH:MM:SS.sssZ
  const digits = iso.slice(0, 19).replace(/[-T:]/g, '') + 'Z';
  const year = date.getUTCFullYear();
  return year < 2050
    ? tlv(0x17, Buffer.from(digits.slice(2), 'ascii'))
    : tlv(0x18, Buffer.from(digits, 'ascii'));
}
