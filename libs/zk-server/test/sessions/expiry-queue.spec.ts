import { ExpiryQueue } from '@shepherd/zk-server';

describe('ExpiryQueue', () => {
  it('rounds deadlines up to the NEXT interval boundary, even from a boundary', () => {
    const q = new ExpiryQueue<string>(1000, 0);
    expect(q.roundToNextInterval(0)).toBe(1000);
    expect(q.roundToNextInterval(1)).toBe(1000);
    expect(q.roundToNextInterval(999)).toBe(1000);
    expect(q.roundToNextInterval(1000)).toBe(2000);
    expect(q.roundToNextInterval(1500)).toBe(2000);
  });

  it('rejects a non-positive interval', () => {
    expect(() => new ExpiryQueue(0, 0)).toThrow(RangeError);
  });

  it('puts an item in the bucket for now + timeout and reports only changes', () => {
    const q = new ExpiryQueue<string>(1000, 0);
    expect(q.update('a', 2500, 100)).toBe(3000);
    expect(q.expiryOf('a')).toBe(3000);
    // Still the same bucket: nothing to do.
    expect(q.update('a', 2500, 400)).toBeUndefined();
    // Moves to a later bucket and leaves the old one.
    expect(q.update('a', 2500, 600)).toBe(4000);
    expect(q.expiryMap()).toEqual(new Map([[4000, ['a']]]));
    expect(q.size).toBe(1);
  });

  it('poll hands out nothing before the bucket is due, then one bucket per call', () => {
    const q = new ExpiryQueue<string>(1000, 0); // first bucket: 1000
    q.update('a', 500, 0); // 1000
    q.update('b', 1500, 0); // 2000
    q.update('c', 1200, 0); // 2000
    expect(q.getWaitTime(400)).toBe(600);
    expect([...q.poll(999)]).toEqual([]);
    expect(q.getWaitTime(1000)).toBe(0);
    // Far behind: each poll catches up by exactly one bucket.
    expect([...q.poll(5000)]).toEqual(['a']);
    expect([...q.poll(5000)]).toEqual(['b', 'c']);
    expect([...q.poll(5000)]).toEqual([]);
    expect(q.has('a')).toBe(false);
    expect(q.size).toBe(0);
    expect(q.getWaitTime(5000)).toBe(0); // buckets 4000, 5000 still to pass
    q.poll(5000);
    q.poll(5000);
    expect(q.getWaitTime(5000)).toBe(1000);
  });

  it('remove takes the item out of its bucket', () => {
    const q = new ExpiryQueue<string>(1000, 0);
    q.update('a', 500, 0);
    q.update('b', 500, 0);
    expect(q.remove('a')).toBe(1000);
    expect(q.remove('a')).toBeUndefined();
    expect([...q.poll(1000)]).toEqual(['b']);
  });

  it('expiryMap lists non-empty buckets in time order', () => {
    const q = new ExpiryQueue<number>(10, 0);
    q.update(1, 35, 0); // 40
    q.update(2, 5, 0); // 10
    q.update(3, 12, 0); // 20
    q.update(4, 12, 0); // 20
    expect([...q.expiryMap()]).toEqual([
      [10, [2]],
      [20, [3, 4]],
      [40, [1]],
    ]);
  });
});
