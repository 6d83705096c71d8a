import fc from 'fast-check';
import { newTaskId, newTaskRecord } from '@shepherd/taskqueue';
import { QueueIndex } from '../../src/master/queue-index';

const T = Date.UTC(2030, 0, 1);
const ids = Array.from({ length: 6 }, (_, i) => newTaskId(T + i));
const order = (q: QueueIndex) => [...q.inOrder()].map(([id]) => id);
const found = (id: string, notBefore?: number) => ({
  record: { ...newTaskRecord(id, 'echo', null, {}, T), notBefore },
  version: 0,
});

describe('QueueIndex', () => {
  it('keeps ids in submit order whatever order they arrive in', () => {
    const q = new QueueIndex();
    for (const i of [3, 0, 5, 1, 4, 2]) q.add(ids[i]);
    expect(order(q)).toEqual(ids);
    expect(q.add(ids[2])).toBe(false);
    expect(q.size).toBe(6);
  });

  it('orders by priority, then submit time, and a task queued again keeps its place', () => {
    const at = (p: number, i: number) => newTaskId(T + i, undefined, p);
    const q = new QueueIndex();
    // Submitted in this order: low, high, default, then more of each.
    const low = [at(-5, 0), at(-5, 3)];
    const high = [at(5, 1), at(5, 4)];
    const normal = [at(0, 2), at(0, 5)];
    for (const id of [low[0], high[0], normal[0], low[1], high[1], normal[1]]) q.add(id);
    expect(order(q)).toEqual([...high, ...normal, ...low]);
    // The first high one is assigned, then handed back: it goes before the later high one.
    q.remove(high[0]);
    expect(order(q)).toEqual([high[1], ...normal, ...low]);
    q.add(high[0]);
    expect(order(q)).toEqual([...high, ...normal, ...low]);
  });

  it('puts a higher priority in a hole at the front instead of shifting the ids', () => {
    const q = new QueueIndex();
    const many = Array.from({ length: 100 }, (_, i) => newTaskId(T + i));
    many.forEach((id) => q.add(id));
    many.slice(0, 10).forEach((id) => q.remove(id)); // assigned: holes at the front
    const urgent = Array.from({ length: 12 }, (_, i) => newTaskId(T + 1000 + i, undefined, 9));
    urgent.forEach((id) => q.add(id));
    expect(order(q)).toEqual([...urgent, ...many.slice(10)]);
    // A removed id that comes back after its hole was taken finds its place again.
    q.add(many[3]);
    expect(order(q)).toEqual([...urgent, many[3], ...many.slice(10)]);
    expect(q.size).toBe(12 + 90 + 1);
  });

  it('matches a sorted set through any mix of priorities, removals and returns', () => {
    const op = fc.tuple(fc.boolean(), fc.nat(299));
    fc.assert(
      fc.property(fc.array(op, { maxLength: 3000 }), (ops) => {
        const pool = Array.from({ length: 300 }, (_, i) =>
          newTaskId(T + i, undefined, [0, 0, 0, 3, -2, 1000][i % 6]),
        );
        const q = new QueueIndex();
        const model = new Set<string>();
        for (const [add, i] of ops) {
          const id = pool[i];
          if (add) {
            expect(q.add(id)).toBe(!model.has(id));
            model.add(id);
          } else {
            expect(q.remove(id)).toBe(model.has(id));
            model.delete(id);
          }
          // Assigning walks from the front now and then (it cuts leading holes).
          if (i % 7 === 0) expect(order(q)).toEqual([...model].sort());
        }
        expect(order(q)).toEqual([...model].sort());
      }),
      { numRuns: 200 },
    );
  });

  it('removes ids, and takes one back in its place', () => {
    const q = new QueueIndex();
    ids.forEach((id) => q.add(id));
    expect(q.remove(ids[1])).toBe(true);
    expect(q.remove(ids[1])).toBe(false);
    expect(order(q)).toEqual([ids[0], ...ids.slice(2)]);
    q.add(ids[1]);
    expect(order(q)).toEqual(ids);
  });

  it('removes only the stay a late reply is about', () => {
    const q = new QueueIndex();
    q.add(ids[0]);
    const first = q.get(ids[0])!.stay;
    q.remove(ids[0]);
    q.add(ids[0]); // queued again (recovered, retried) before the reply about its first stay
    expect(q.remove(ids[0], first)).toBe(false);
    expect(q.has(ids[0])).toBe(true);
    expect(q.remove(ids[0], q.get(ids[0])!.stay)).toBe(true);
  });

  it('stays correct through many removals (compaction)', () => {
    const many = Array.from({ length: 5000 }, (_, i) => newTaskId(T + i));
    const q = new QueueIndex();
    many.forEach((id) => q.add(id));
    many.slice(0, 4000).forEach((id) => q.remove(id));
    q.add(many[10]);
    expect(order(q)).toEqual([many[10], ...many.slice(4000)]);
  });

  it('applies a read only to the same stay in the queue', () => {
    const q = new QueueIndex();
    q.add(ids[0]);
    const stay = q.get(ids[0])!.stay;
    q.remove(ids[0]);
    q.add(ids[0]); // left and came back: a new stay
    expect(q.learn(ids[0], stay, found(ids[0]), true)).toBe(false);
    expect(q.get(ids[0])!.read).toBe(false);
    expect(q.learn(ids[0], q.get(ids[0])!.stay, found(ids[0], T + 5), true)).toBe(true);
    expect(q.get(ids[0])).toMatchObject({ read: true, type: 'echo', notBefore: T + 5, version: 0 });
    expect(q.cached).toBe(1);
  });

  it('caches records only when asked, and forgets reads', () => {
    const q = new QueueIndex();
    ids.slice(0, 2).forEach((id) => q.add(id));
    q.learn(ids[0], q.get(ids[0])!.stay, found(ids[0]), true);
    q.learn(ids[1], q.get(ids[1])!.stay, found(ids[1]), false);
    expect(q.cached).toBe(1);
    expect(q.get(ids[1])).toMatchObject({ read: true, type: 'echo' });
    expect(q.get(ids[1])!.record).toBeUndefined();
    q.forgetRecord(ids[0]);
    expect(q.cached).toBe(0);
    q.learn(ids[0], q.get(ids[0])!.stay, found(ids[0]), true);
    q.forgetReads();
    expect(q.cached).toBe(0);
    expect([...q.inOrder()].every(([, t]) => !t.read)).toBe(true);
  });

  it('syncs with a listing without losing what watch events reported meanwhile', () => {
    const q = new QueueIndex();
    [0, 1, 2].forEach((i) => q.add(ids[i]));
    const mark = q.beginListing();
    // While the listing is read: 3 is created (the listing missed it), 1 is deleted (the
    // listing still saw it).
    q.add(ids[3]);
    q.remove(ids[1]);
    const result = q.sync([ids[1], ids[2], ids[4]], mark);
    // 0 is gone (not listed, known before the listing); 4 is new.
    expect(order(q)).toEqual([ids[2], ids[3], ids[4]]);
    expect(result).toEqual({ added: 1, removed: 1 });
  });
});
