import { initializeNextSessionId, nextSessionIdAfter, sessionIdToHex } from '@shepherd/zk-server';

describe('session ids (SessionTrackerImpl.initializeNextSessionId)', () => {
  it('puts the low 40 bits of the time in bytes 2..6, zeros below, server id on top', () => {
    // 0x0123456789AB: bit 40 set, so the top time byte (0x01) must be shifted out.
    const t = 0x0123456789ab;
    expect(initializeNextSessionId(t)).toBe(0x0023456789ab0000n);
    expect(initializeNextSessionId(t, 0)).toBe(0x0023456789ab0000n);
    expect(initializeNextSessionId(t, 1)).toBe(0x0123456789ab0000n);
  });

  it('gives a signed 64-bit value like a Java long (server id >= 128 is negative)', () => {
    const id = initializeNextSessionId(0x0123456789ab, 200);
    expect(id).toBe(BigInt.asIntN(64, 0xc823456789ab0000n));
    expect(id < 0n).toBe(true);
    expect(sessionIdToHex(id)).toBe('0xc823456789ab0000');
  });

  it('keeps a standalone id positive even when bit 39 of the time is set', () => {
    const id = initializeNextSessionId(0x8000000000);
    expect(id).toBe(0x0080000000000000n);
  });

  it('matches the layout for a real epoch time', () => {
    const t = Date.UTC(2024, 0, 1);
    const expected = (BigInt(t) & ((1n << 40n) - 1n)) << 16n;
    expect(initializeNextSessionId(t)).toBe(expected);
  });

  it('never yields the container owner marker, and wraps like a long', () => {
    expect(initializeNextSessionId(0, 128)).toBe(-(1n << 63n) + 1n);
    expect(nextSessionIdAfter((1n << 63n) - 1n)).toBe(-(1n << 63n));
    expect(nextSessionIdAfter(5n)).toBe(6n);
  });

  it('rejects a server id that does not fit in a byte', () => {
    expect(() => initializeNextSessionId(1, 256)).toThrow(RangeError);
    expect(() => initializeNextSessionId(1, -1)).toThrow(RangeError);
  });

  it('prints ids as ZooKeeper does', () => {
    expect(sessionIdToHex(0x100000abcn)).toBe('0x100000abc');
  });
});
