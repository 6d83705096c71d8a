import {
  SESSION_PASSWORD_LENGTH,
  checkSessionPassword,
  sessionPassword,
} from '@shepherd/zk-server';

describe('session passwords', () => {
  const secret = Buffer.from('server-secret-1');

  it('are 16 bytes derived only from id and secret', () => {
    const p = sessionPassword(0x1234n, secret);
    expect(p).toHaveLength(SESSION_PASSWORD_LENGTH);
    expect(SESSION_PASSWORD_LENGTH).toBe(16);
    expect(sessionPassword(0x1234n, Buffer.from('server-secret-1'))).toEqual(p);
  });

  it('differ per id and per secret', () => {
    const p = sessionPassword(0x1234n, secret);
    expect(sessionPassword(0x1235n, secret)).not.toEqual(p);
    expect(sessionPassword(0x1234n, 'other')).not.toEqual(p);
  });

  it('check: right password only, full length only, never for session 0', () => {
    const p = sessionPassword(0x1234n, secret);
    expect(checkSessionPassword(0x1234n, p, secret)).toBe(true);
    expect(checkSessionPassword(0x1234n, Uint8Array.from(p), secret)).toBe(true);
    const wrong = Buffer.from(p);
    wrong[15] ^= 1;
    expect(checkSessionPassword(0x1234n, wrong, secret)).toBe(false);
    expect(checkSessionPassword(0x1234n, p.subarray(0, 15), secret)).toBe(false);
    expect(checkSessionPassword(0x1234n, Buffer.alloc(0), secret)).toBe(false);
    expect(checkSessionPassword(0n, sessionPassword(0n, secret), secret)).toBe(false);
  });

  it('handle negative (server id >= 128) ids', () => {
    const id = -0x3800000000000000n;
    expect(checkSessionPassword(id, sessionPassword(id, secret), secret)).toBe(true);
  });
});
