import { newTaskId, selectForPruning } from '@shepherd/taskqueue';
import { pruneCutoff, prunePredicate, taskIdTime } from '../../src/master/retention-policy';

const DAY = 24 * 3600 * 1000;
const NOW = Date.UTC(2030, 0, 1);
const id = (t: number, n = 0) => newTaskId(t, Buffer.from([n, n, n, n, n, n, n, n]));

describe('taskIdTime', () => {
  it('reads the submit time from an id', () => {
    expect(taskIdTime(id(NOW))).toBe(NOW);
    expect(taskIdTime(id(0))).toBe(0);
    expect(taskIdTime('not-a-task')).toBeNaN();
    expect(taskIdTime(newTaskId(NOW, undefined, -1000))).toBe(NOW);
    expect(taskIdTime(newTaskId(NOW, undefined, 1000))).toBe(NOW);
    expect(taskIdTime(`task-${NOW.toString(36).padStart(9, '0')}00000000`)).toBe(NOW); // old form
  });
});

describe('retention selection', () => {
  const limits = { maxAgeMs: 7 * DAY, maxCount: 1000 };

  it('selects records older than maxAgeMs', () => {
    const old = [id(NOW - 8 * DAY), id(NOW - 30 * DAY)];
    const young = [id(NOW - 6 * DAY), id(NOW)];
    expect(selectForPruning([...young, ...old], NOW, limits)).toEqual([...old].sort());
  });

  it('goes by submit time whatever the priority', () => {
    // High priorities sort first as strings; retention must not prune them first.
    const ids = [1000, 0, -1000, 500, -3].map((p, i) =>
      newTaskId(NOW - (10 - i) * 1000, undefined, p),
    );
    expect(selectForPruning([...ids].reverse(), NOW, { maxAgeMs: DAY, maxCount: 2 })).toEqual(
      ids.slice(0, 3),
    );
  });

  it('selects the oldest beyond maxCount among the rest', () => {
    const ids = Array.from({ length: 10 }, (_, i) => id(NOW - (10 - i) * 1000));
    expect(selectForPruning(ids, NOW, { maxAgeMs: DAY, maxCount: 6 })).toEqual(ids.slice(0, 4));
    expect(selectForPruning(ids, NOW, { maxAgeMs: DAY, maxCount: 10 })).toEqual([]);
  });

  it('applies both: expired ones first, then the count', () => {
    const expired = [id(NOW - 9 * DAY)];
    const rest = Array.from({ length: 5 }, (_, i) => id(NOW - (5 - i) * 1000));
    expect(
      selectForPruning([...rest, ...expired], NOW, { maxAgeMs: 7 * DAY, maxCount: 3 }),
    ).toEqual([...expired, ...rest.slice(0, 2)]);
  });

  it('cuts exactly at the count when several records share the same millisecond', () => {
    const same = [1, 2, 3, 4].map((n) => id(NOW - 5000, n));
    const newer = [id(NOW - 1000), id(NOW)];
    const selected = selectForPruning([...same, ...newer], NOW, { maxAgeMs: DAY, maxCount: 3 });
    expect(selected).toHaveLength(3);
    expect(selected.every((s) => same.includes(s))).toBe(true);
  });

  it('ignores names that are not task ids', () => {
    expect(selectForPruning(['junk', id(NOW - 9 * DAY)], NOW, limits)).toHaveLength(1);
  });

  it('works from times alone, for streaming bucket by bucket', () => {
    const times = [NOW - 9 * DAY, NOW - 3000, NOW - 3000, NOW - 2000, NOW];
    const cutoff = pruneCutoff(times, NOW, { maxAgeMs: 7 * DAY, maxCount: 3 });
    expect(cutoff).toEqual({ before: NOW - 3000, tiesAt: NOW - 3000, ties: 1, total: 2 });
    const select = prunePredicate(cutoff);
    const ids = [id(NOW - 9 * DAY), id(NOW - 3000, 1), id(NOW - 3000, 2), id(NOW - 2000), id(NOW)];
    expect(ids.map(select)).toEqual([true, true, false, false, false]);
    expect(pruneCutoff([], NOW, limits).total).toBe(0);
  });
});
