import { negotiateSessionTimeout, sessionTimeoutBounds } from '@shepherd/zk-server';

describe('session timeout negotiation', () => {
  it('defaults to 2 and 20 ticks (-1 also means default)', () => {
    expect(sessionTimeoutBounds(2000)).toEqual({ min: 4000, max: 40000 });
    expect(sessionTimeoutBounds(2000, -1, -1)).toEqual({ min: 4000, max: 40000 });
    expect(sessionTimeoutBounds(100, 500)).toEqual({ min: 500, max: 2000 });
    expect(sessionTimeoutBounds(100, undefined, 900)).toEqual({ min: 200, max: 900 });
  });

  it('refuses min > max', () => {
    expect(() => sessionTimeoutBounds(2000, 5000, 3000)).toThrow(RangeError);
  });

  it('clamps into [min, max] and keeps values inside', () => {
    const b = { min: 4000, max: 40000 };
    expect(negotiateSessionTimeout(0, b)).toBe(4000);
    expect(negotiateSessionTimeout(3999, b)).toBe(4000);
    expect(negotiateSessionTimeout(4000, b)).toBe(4000);
    expect(negotiateSessionTimeout(15000, b)).toBe(15000);
    expect(negotiateSessionTimeout(40001, b)).toBe(40000);
    expect(negotiateSessionTimeout(-5, b)).toBe(4000);
  });
});
