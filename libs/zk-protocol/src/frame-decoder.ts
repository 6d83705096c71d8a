import { FrameLengthError } from './errors/protocol-errors';
import { DEFAULT_MAX_FRAME, FRAME_HEADER_SIZE } from './framing';

export interface FrameDecoderOptions {
  /** Largest accepted body length; ClientCnxnSocket uses jute.maxbuffer (default 0xfffff). */
  maxFrameSize?: number;
}

/**
 * Splits a TCP byte stream into ZooKeeper packets: each is a 4-byte big-endian length followed
 * by that many bytes (ClientCnxnSocket.readLength / NIOServerCnxn.readLength). Chunks may end
 * anywhere, including inside the length prefix.
 *
 * Returned bodies are views, never copies: either into the chunk passed to push() or into an
 * internal buffer that is never written again once a frame has been handed out (it is replaced,
 * not compacted), so a returned frame stays valid for as long as the caller keeps it.
 *
 * A FrameLengthError leaves the stream unsynchronised; the caller must drop the connection, as
 * the Java client does.
 */
export class FrameDecoder {
  private readonly maxFrameSize: number;
  private pending: Buffer = Buffer.alloc(0);
  private start = 0;
  private end = 0;

  constructor(opts: FrameDecoderOptions = {}) {
    const max = opts.maxFrameSize ?? DEFAULT_MAX_FRAME;
    if (!Number.isInteger(max) || max < 0 || max > 0x7fffffff) {
      throw new RangeError(`maxFrameSize must be an int in [0, 2^31-1], got ${max}`);
    }
    this.maxFrameSize = max;
  }

  /** Bytes received but not yet returned as part of a complete frame. */
  get buffered(): number {
    return this.end - this.start;
  }

  push(chunk: Buffer): Buffer[] {
    const frames: Buffer[] = [];
    if (chunk.length === 0) {
      return frames;
    }
    if (this.buffered === 0) {
      // Fast path: nothing carried over, so frames can be sliced straight out of the chunk.
      const used = this.extract(chunk, 0, chunk.length, frames);
      if (used < chunk.length) {
        this.append(chunk.subarray(used));
      }
      return frames;
    }
    this.append(chunk);
    this.start = this.extract(this.pending, this.start, this.end, frames);
    if (this.start === this.end) {
      // Drop the reference rather than rewinding: handed-out frames may live in this buffer.
      this.pending = Buffer.alloc(0);
      this.start = this.end = 0;
    }
    return frames;
  }

  /** Collects every complete frame in buf[from, to); returns the offset of the first unused byte. */
  private extract(buf: Buffer, from: number, to: number, frames: Buffer[]): number {
    let pos = from;
    while (to - pos >= FRAME_HEADER_SIZE) {
      const length = buf.readInt32BE(pos);
      if (length < 0 || length > this.maxFrameSize) {
        throw new FrameLengthError(length, this.maxFrameSize);
      }
      if (to - pos - FRAME_HEADER_SIZE < length) {
        break;
      }
      const bodyStart = pos + FRAME_HEADER_SIZE;
      frames.push(buf.subarray(bodyStart, bodyStart + length));
      pos = bodyStart + length;
    }
    return pos;
  }

  private append(bytes: Buffer): void {
    if (this.end + bytes.length <= this.pending.length) {
      // Space after `end` has never been handed out, so writing there is safe.
      bytes.copy(this.pending, this.end);
      this.end += bytes.length;
      return;
    }
    const live = this.end - this.start;
    let capacity = Math.max(this.pending.length * 2, 256);
    // If the length prefix is already known, size the buffer for the whole frame at once.
    const needed = Math.max(live + bytes.length, this.expectedFrameSize(bytes));
    while (capacity < needed) {
      capacity *= 2;
    }
    const next = Buffer.allocUnsafe(capacity);
    this.pending.copy(next, 0, this.start, this.end);
    bytes.copy(next, live);
    this.pending = next;
    this.start = 0;
    this.end = live + bytes.length;
  }

  /** Total size of the frame at the head of the buffer, if its prefix is complete. */
  private expectedFrameSize(incoming: Buffer): number {
    const live = this.end - this.start;
    if (live >= FRAME_HEADER_SIZE) {
      const length = this.pending.readInt32BE(this.start);
      if (length >= 0 && length <= this.maxFrameSize) {
        return FRAME_HEADER_SIZE + length;
      }
    } else if (live + incoming.length >= FRAME_HEADER_SIZE) {
      const head = Buffer.concat([this.pending.subarray(this.start, this.end), incoming]);
      const length = head.readInt32BE(0);
      if (length >= 0 && length <= this.maxFrameSize) {
        return FRAME_HEADER_SIZE + length;
      }
    }
    return 0;
  }
}
