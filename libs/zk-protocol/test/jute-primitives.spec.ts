import { JuteDecodeError, JuteEncodeError, JuteReader, JuteWriter, encodeFrame } from '../src';
import { bool, buf, cat, frame, hex, i32, i64, str, vec } from './bytes';

describe('test byte builder (sanity check against literal hex)', () => {
  it('encodes ints and longs big-endian two’s complement', () => {
    expect(i32(1)).toEqual(hex('00000001'));
    expect(i32(-1)).toEqual(hex('ffffffff'));
    expect(i32(-2147483648)).toEqual(hex('80000000'));
    expect(i64(0x7fffffffffffffffn)).toEqual(hex('7fffffff ffffffff'));
    expect(i64(-2n)).toEqual(hex('ffffffff fffffffe'));
    expect(str('ab')).toEqual(hex('00000002 6162'));
  });
});

describe('JuteWriter', () => {
  it('writes every primitive as BinaryOutputArchive does', () => {
    const w = new JuteWriter();
    w.writeInt(-5).writeLong(0x0102030405060708n).writeBool(true).writeBool(false);
    w.writeBuffer(Buffer.from([9, 8]))
      .writeBuffer(null)
      .writeBuffer(Buffer.alloc(0));
    w.writeString('zk/ü').writeString(null).writeString('');
    w.writeVector(['a', 'b'], (ww, s) => ww.writeString(s));
    w.writeVector<string>(null, (ww, s) => ww.writeString(s));
    w.writeVector<string>([], (ww, s) => ww.writeString(s));
    const expected = cat(
      i32(-5),
      hex('0102030405060708'),
      bool(true),
      bool(false),
      buf(Buffer.from([9, 8])),
      i32(-1),
      i32(0),
      hex('00000005 7a6b2fc3bc'),
      i32(-1),
      i32(0),
      vec([str('a'), str('b')]),
      i32(-1),
      i32(0),
    );
    expect(w.toBuffer()).toEqual(expected);
    expect(w.length).toBe(expected.length);
    expect(w.toFrame()).toEqual(frame(expected));
  });

  it('grows past its initial capacity', () => {
    const w = new JuteWriter(8);
    const big = Buffer.alloc(10_000, 0xab);
    w.writeInt(1).writeBuffer(big).writeLong(-1n);
    expect(w.toFrame()).toEqual(frame(cat(i32(1), buf(big), i64(-1n))));
  });

  it('keeps longs exact at the edges of the signed 64-bit range', () => {
    for (const n of [0x7fffffffffffffffn, -(2n ** 63n), -1n, 0n, 2n ** 53n + 1n]) {
      const w = new JuteWriter().writeLong(n);
      expect(w.toBuffer()).toEqual(i64(n));
      expect(new JuteReader(w.toBuffer()).readLong()).toBe(n);
    }
  });

  it('rejects values jute cannot represent with JuteEncodeError', () => {
    expect(() => new JuteWriter().writeInt(2 ** 31)).toThrow(JuteEncodeError);
    expect(() => new JuteWriter().writeInt(1.5)).toThrow(JuteEncodeError);
    expect(() => new JuteWriter().writeLong(2n ** 63n)).toThrow(JuteEncodeError);
    expect(() => new JuteWriter().writeLong(-(2n ** 63n) - 1n)).toThrow(JuteEncodeError);
  });

  it('encodeFrame prefixes the body length', () => {
    expect(encodeFrame(hex('aabb'))).toEqual(hex('00000002 aabb'));
    expect(encodeFrame(Buffer.alloc(0))).toEqual(hex('00000000'));
  });
});

describe('JuteReader', () => {
  it('reads every primitive and tracks offset/remaining', () => {
    const bytes = cat(
      i32(-5),
      i64(-0x123456789abcdefn),
      hex('02'),
      buf(hex('0908')),
      buf(null),
      str('zk/ü'),
      str(null),
      vec([str('a'), str('b')]),
      vec(null),
    );
    const r = new JuteReader(bytes);
    expect(r.readInt()).toBe(-5);
    expect(r.readLong()).toBe(-0x123456789abcdefn);
    expect(r.readBool()).toBe(true); // any non-zero byte, like DataInput.readBoolean
    expect(r.readBuffer()).toEqual(hex('0908'));
    expect(r.readBuffer()).toBeNull();
    expect(r.readString()).toBe('zk/ü');
    expect(r.readString()).toBeNull();
    expect(r.readVector((rr) => rr.readString())).toEqual(['a', 'b']);
    expect(r.readVector((rr) => rr.readString())).toBeNull();
    expect(r.remaining).toBe(0);
    expect(r.offset).toBe(bytes.length);
  });

  it('starts at a given offset', () => {
    const r = new JuteReader(cat(i32(1), i32(2)), 4);
    expect(r.readInt()).toBe(2);
    expect(() => new JuteReader(hex('00'), 2)).toThrow(JuteDecodeError);
  });

  it('returns buffers that do not alias the input', () => {
    const bytes = buf(hex('0102'));
    const out = new JuteReader(bytes).readBuffer();
    bytes[4] = 0xff;
    expect(out).toEqual(hex('0102'));
  });

  it('gives views of the input where asked, checked the same way', () => {
    const bytes = cat(buf(hex('0102')), i32(-1), i32(5));
    const r = new JuteReader(bytes);
    const view = r.readBufferView();
    expect(view).toEqual(hex('0102'));
    bytes[4] = 0xff;
    expect(view?.[0]).toBe(0xff); // the same memory
    expect(r.readBufferView()).toBeNull();
    expect(() => r.readBufferView()).toThrow(JuteDecodeError);
  });

  it.each([
    ['int', hex('000000'), (r: JuteReader) => r.readInt()],
    ['long', hex('00000000000000'), (r: JuteReader) => r.readLong()],
    ['bool', Buffer.alloc(0), (r: JuteReader) => r.readBool()],
    ['buffer body', hex('00000003 0102'), (r: JuteReader) => r.readBuffer()],
    ['string body', hex('00000003 6162'), (r: JuteReader) => r.readString()],
    ['buffer length -2', i32(-2), (r: JuteReader) => r.readBuffer()],
    ['string length -7', i32(-7), (r: JuteReader) => r.readString()],
    ['huge buffer length', i32(0x7fffffff), (r: JuteReader) => r.readBuffer()],
    ['vector count -2', i32(-2), (r: JuteReader) => r.readVector((rr) => rr.readInt())],
    [
      'vector count beyond remaining bytes',
      cat(i32(1000), i32(1)),
      (r: JuteReader) => r.readVector((rr) => rr.readInt()),
    ],
    [
      'vector element truncated',
      cat(i32(2), i32(1), hex('00')),
      (r: JuteReader) => r.readVector((rr) => rr.readInt()),
    ],
  ])('throws JuteDecodeError on malformed %s', (_name, bytes, read) => {
    expect(() => read(new JuteReader(bytes))).toThrow(JuteDecodeError);
  });
});
