import { systemClock } from '@shepherd/zk-server';
import { FakeClock } from '../../../../test/support/fake-clock';

describe('FakeClock', () => {
  it('starts at a non-zero epoch time and only moves in advance()', () => {
    const clock = new FakeClock();
    expect(clock.now()).toBe(Date.UTC(2024, 0, 1));
    expect(new FakeClock(5).now()).toBe(5);
  });

  it('fires due timers in deadline order, ties in the order they were set', () => {
    const clock = new FakeClock(0);
    const fired: string[] = [];
    clock.setTimeout(() => fired.push(`c@${clock.now()}`), 30);
    clock.setTimeout(() => fired.push(`a@${clock.now()}`), 10);
    clock.setTimeout(() => fired.push(`b@${clock.now()}`), 10);
    clock.setTimeout(() => fired.push('late'), 31);
    clock.advance(30);
    expect(fired).toEqual(['a@10', 'b@10', 'c@30']);
    expect(clock.now()).toBe(30);
    expect(clock.pending).toBe(1);
    expect(clock.nextDeadline).toBe(31);
  });

  it('fires timers set by timers within the same advance, and not cleared ones', () => {
    const clock = new FakeClock(0);
    const fired: number[] = [];
    clock.setTimeout(() => {
      fired.push(clock.now());
      clock.setTimeout(() => fired.push(clock.now()), 5);
    }, 5);
    const h = clock.setTimeout(() => fired.push(-1), 7);
    clock.clearTimeout(h);
    clock.advance(10);
    expect(fired).toEqual([5, 10]);
    expect(clock.pending).toBe(0);
  });

  it('treats a zero or negative delay as due now (advance(0) fires it)', () => {
    const clock = new FakeClock(0);
    let n = 0;
    clock.setTimeout(() => n++, 0);
    clock.setTimeout(() => n++, -5);
    expect(n).toBe(0);
    clock.advance(0);
    expect(n).toBe(2);
  });

  it('refuses to go back; advanceTo moves to an absolute time', () => {
    const clock = new FakeClock(100);
    expect(() => clock.advance(-1)).toThrow(RangeError);
    clock.advanceTo(150);
    expect(clock.now()).toBe(150);
  });
});

describe('systemClock', () => {
  it('reads epoch milliseconds as an integer', () => {
    const now = systemClock.now();
    expect(Number.isInteger(now)).toBe(true);
    expect(Math.abs(now - Date.now())).toBeLessThan(60_000);
  });

  it('can cancel a timer', () => {
    const h = systemClock.setTimeout(() => {
      throw new Error('should have been cleared');
    }, 10_000);
    systemClock.clearTimeout(h);
  });
});
