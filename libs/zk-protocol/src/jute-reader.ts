import { JuteDecodeError } from './errors/protocol-errors';

/**
 * Reads jute primitives the way BinaryInputArchive.java does. Unlike the Java archive (which
 * only caps lengths at jute.maxbuffer), every length is checked against the bytes actually left,
 * so hostile or truncated input fails fast with a JuteDecodeError instead of a RangeError or a
 * huge allocation.
 */
export class JuteReader {
  private pos: number;

  constructor(
    private readonly buf: Buffer,
    offset = 0,
  ) {
    if (!Number.isInteger(offset) || offset < 0 || offset > buf.length) {
      throw new JuteDecodeError(`reader offset outside the buffer (length ${buf.length})`, offset);
    }
    this.pos = offset;
  }

  get offset(): number {
    return this.pos;
  }

  get remaining(): number {
    return this.buf.length - this.pos;
  }

  private need(size: number, what: string): void {
    if (this.remaining < size) {
      throw new JuteDecodeError(
        `unexpected end of input reading ${what}: need ${size} bytes, have ${this.remaining}`,
        this.pos,
      );
    }
  }

  readInt(): number {
    this.need(4, 'int');
    const value = this.buf.readInt32BE(this.pos);
    this.pos += 4;
    return value;
  }

  readLong(): bigint {
    this.need(8, 'long');
    const value = this.buf.readBigInt64BE(this.pos);
    this.pos += 8;
    return value;
  }

  /** Java's DataInput.readBoolean: any non-zero byte is true. */
  readBool(): boolean {
    this.need(1, 'boolean');
    return this.buf[this.pos++] !== 0;
  }

  /** Reads an int length for a buffer/string/vector; -1 means null. */
  private readLength(what: string): number | null {
    const start = this.pos;
    const length = this.readInt();
    if (length === -1) {
      return null;
    }
    if (length < 0) {
      throw new JuteDecodeError(`negative ${what} length ${length}`, start);
    }
    if (length > this.remaining) {
      throw new JuteDecodeError(
        `${what} length ${length} exceeds the ${this.remaining} bytes remaining`,
        start,
      );
    }
    return length;
  }

  /**
   * Returns a copy, so decoded data never pins (or aliases) the frame it came from.
   */
  readBuffer(): Buffer | null {
    const length = this.readLength('buffer');
    if (length === null) {
      return null;
    }
    const out = Buffer.from(this.buf.subarray(this.pos, this.pos + length));
    this.pos += length;
    return out;
  }

  /**
   * A buffer without copying: a view of the input, for bytes that are decoded at once and not
   * kept (a multi txn's sub-records), so the frame is neither pinned nor aliased afterwards.
   */
  readBufferView(): Buffer | null {
    const length = this.readLength('buffer');
    if (length === null) {
      return null;
    }
    const out = this.buf.subarray(this.pos, this.pos + length);
    this.pos += length;
    return out;
  }

  /** Whether the bytes at the current position are `bytes` (nothing is consumed). */
  peekEquals(bytes: Buffer): boolean {
    return (
      this.remaining >= bytes.length &&
      this.buf.compare(bytes, 0, bytes.length, this.pos, this.pos + bytes.length) === 0
    );
  }

  /** Moves past `length` bytes (checked like any read). */
  skip(length: number): void {
    this.need(length, 'skipped bytes');
    this.pos += length;
  }

  /** A copy of the bytes from `start` to the current position (what was just read). */
  copyFrom(start: number): Buffer {
    return Buffer.from(this.buf.subarray(start, this.pos));
  }

  readString(): string | null {
    const length = this.readLength('string');
    if (length === null) {
      return null;
    }
    const out = this.buf.toString('utf8', this.pos, this.pos + length);
    this.pos += length;
    return out;
  }

  /**
   * A vector element occupies at least one byte, so a count larger than the bytes left is
   * necessarily corrupt; rejecting it up front avoids looping on garbage.
   */
  readVector<T>(each: (r: JuteReader) => T): T[] | null {
    const count = this.readLength('vector');
    if (count === null) {
      return null;
    }
    const items: T[] = new Array<T>(count);
    for (let i = 0; i < count; i++) {
      items[i] = each(this);
    }
    return items;
  }
}
