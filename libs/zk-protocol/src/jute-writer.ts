import { JuteEncodeError } from './errors/protocol-errors';

const INITIAL_SIZE = 256;
const INT_MIN = -0x80000000;
const INT_MAX = 0x7fffffff;
const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;

/** Bytes kept free at the front of every writer for the frame length prefix. */
const HEADER_SIZE = 4;

/**
 * Serializes jute primitives the way BinaryOutputArchive.java does: big-endian ints and longs,
 * one byte per boolean, and int-length-prefixed buffers, strings and vectors where -1 means null.
 *
 * Like pg-protocol's Writer it reserves room for the 4-byte length prefix up front, so a whole
 * frame is produced with one allocation pass and no final concat. A writer is single-use: the
 * buffers returned by toBuffer()/toFrame() share its memory.
 */
export class JuteWriter {
  private buffer: Buffer;
  private offset = HEADER_SIZE;

  constructor(initialSize = INITIAL_SIZE) {
    this.buffer = Buffer.allocUnsafe(Math.max(initialSize, HEADER_SIZE + 8));
  }

  private ensure(size: number): void {
    const needed = this.offset + size;
    if (needed <= this.buffer.length) {
      return;
    }
    // Grow geometrically so long vectors stay linear-time.
    let capacity = this.buffer.length * 2;
    while (capacity < needed) {
      capacity *= 2;
    }
    const next = Buffer.allocUnsafe(capacity);
    this.buffer.copy(next, 0, 0, this.offset);
    this.buffer = next;
  }

  writeInt(n: number): this {
    if (!Number.isInteger(n) || n < INT_MIN || n > INT_MAX) {
      throw new JuteEncodeError(`jute int out of range: ${n}`);
    }
    this.ensure(4);
    this.offset = this.buffer.writeInt32BE(n, this.offset);
    return this;
  }

  /** Jute longs are signed 64-bit; bigint keeps session ids and zxids exact. */
  writeLong(n: bigint): this {
    if (typeof n !== 'bigint' || n < LONG_MIN || n > LONG_MAX) {
      throw new JuteEncodeError(`jute long out of range: ${String(n)}`);
    }
    this.ensure(8);
    this.offset = this.buffer.writeBigInt64BE(n, this.offset);
    return this;
  }

  writeBool(b: boolean): this {
    this.ensure(1);
    this.buffer[this.offset++] = b ? 1 : 0;
    return this;
  }

  /** BinaryOutputArchive.writeBuffer: int length then the bytes; null is length -1. */
  writeBuffer(b: Buffer | null): this {
    if (b === null || b === undefined) {
      return this.writeInt(-1);
    }
    this.writeInt(b.length);
    this.ensure(b.length);
    b.copy(this.buffer, this.offset);
    this.offset += b.length;
    return this;
  }

  /** BinaryOutputArchive.writeString: UTF-8 byte length then the bytes; null is length -1. */
  writeString(s: string | null): this {
    if (s === null || s === undefined) {
      return this.writeInt(-1);
    }
    const length = Buffer.byteLength(s, 'utf8');
    this.writeInt(length);
    this.ensure(length);
    this.offset += this.buffer.write(s, this.offset, length, 'utf8');
    return this;
  }

  /** BinaryOutputArchive.startVector: int count (-1 for null), then each element inline. */
  writeVector<T>(items: readonly T[] | null, each: (w: JuteWriter, item: T) => void): this {
    if (items === null || items === undefined) {
      return this.writeInt(-1);
    }
    this.writeInt(items.length);
    for (const item of items) {
      each(this, item);
    }
    return this;
  }

  /** Raw bytes, no length prefix (used when splicing an already-encoded record). */
  writeBytes(b: Buffer): this {
    this.ensure(b.length);
    b.copy(this.buffer, this.offset);
    this.offset += b.length;
    return this;
  }

  /** Bytes written so far, excluding the reserved length prefix. */
  get length(): number {
    return this.offset - HEADER_SIZE;
  }

  /** The record body only (no length prefix). */
  toBuffer(): Buffer {
    return this.buffer.subarray(HEADER_SIZE, this.offset);
  }

  /** The body preceded by its 4-byte big-endian length: one ZooKeeper frame (ClientCnxnSocket). */
  toFrame(): Buffer {
    this.buffer.writeInt32BE(this.offset - HEADER_SIZE, 0);
    return this.buffer.subarray(0, this.offset);
  }
}
