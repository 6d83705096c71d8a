import { DEFAULT_MAX_FRAME, FrameDecoder, FrameLengthError } from '../src';
import { cat, frame, hex, i32 } from './bytes';

const BODIES = [hex('01'), Buffer.alloc(0), hex('aabbccddeeff00112233'), Buffer.alloc(64, 7)];
const STREAM = cat(...BODIES.map(frame));

function feed(decoder: FrameDecoder, chunks: Buffer[]): Buffer[] {
  return chunks.flatMap((c) => decoder.push(c));
}

describe('FrameDecoder', () => {
  it('defaults to jute.maxbuffer as ZKClientConfig uses it', () => {
    expect(DEFAULT_MAX_FRAME).toBe(0xfffff);
  });

  it('returns every frame of a single chunk, without prefixes', () => {
    const d = new FrameDecoder();
    expect(d.push(STREAM)).toEqual(BODIES);
    expect(d.buffered).toBe(0);
  });

  it('reassembles the stream split at every byte offset', () => {
    for (let at = 0; at <= STREAM.length; at++) {
      const d = new FrameDecoder();
      const out = feed(d, [STREAM.subarray(0, at), STREAM.subarray(at)]);
      expect(out).toEqual(BODIES);
      expect(d.buffered).toBe(0);
    }
  });

  it('reassembles the stream split at every pair of offsets', () => {
    const small = cat(frame(hex('0102')), frame(hex('03')), frame(hex('040506')));
    const want = [hex('0102'), hex('03'), hex('040506')];
    for (let a = 0; a <= small.length; a++) {
      for (let b = a; b <= small.length; b++) {
        const d = new FrameDecoder();
        const chunks = [small.subarray(0, a), small.subarray(a, b), small.subarray(b)];
        expect(feed(d, chunks)).toEqual(want);
      }
    }
  });

  it('handles one byte at a time, including partial length headers', () => {
    const d = new FrameDecoder();
    const out: Buffer[] = [];
    for (let i = 0; i < STREAM.length; i++) {
      out.push(...d.push(STREAM.subarray(i, i + 1)));
      if (i === 2) {
        expect(d.buffered).toBe(3); // three bytes of the first length prefix
      }
    }
    expect(out).toEqual(BODIES);
  });

  it('keeps earlier frames intact when its buffer is reused or replaced', () => {
    const d = new FrameDecoder();
    const first = feed(d, [hex('000000'), hex('02 aabb 0000')]);
    const later = feed(d, [hex('0002 ccdd'), frame(Buffer.alloc(1000, 1))]);
    expect(first).toEqual([hex('aabb')]);
    expect(later).toEqual([hex('ccdd'), Buffer.alloc(1000, 1)]);
  });

  it('accepts a frame of exactly maxFrameSize', () => {
    const d = new FrameDecoder({ maxFrameSize: 4 });
    expect(d.push(frame(hex('01020304')))).toEqual([hex('01020304')]);
  });

  it('rejects an oversize length as soon as the prefix is complete', () => {
    const d = new FrameDecoder({ maxFrameSize: 4 });
    d.push(hex('0000'));
    try {
      d.push(hex('0005'));
      throw new Error('expected FrameLengthError');
    } catch (e) {
      expect(e).toBeInstanceOf(FrameLengthError);
      expect((e as FrameLengthError).length).toBe(5);
      expect((e as FrameLengthError).max).toBe(4);
    }
  });

  it('rejects a length above the default maximum', () => {
    expect(() => new FrameDecoder().push(i32(0xfffff + 1))).toThrow(FrameLengthError);
  });

  it('rejects a negative length, even after good frames in the same chunk', () => {
    const d = new FrameDecoder();
    expect(() => d.push(cat(frame(hex('01')), i32(-1)))).toThrow(FrameLengthError);
    expect(() => new FrameDecoder().push(hex('80000000'))).toThrow(FrameLengthError);
  });

  it('validates its option', () => {
    expect(() => new FrameDecoder({ maxFrameSize: -1 })).toThrow(RangeError);
  });

  it('ignores empty chunks', () => {
    const d = new FrameDecoder();
    expect(d.push(Buffer.alloc(0))).toEqual([]);
    expect(d.buffered).toBe(0);
  });
});
