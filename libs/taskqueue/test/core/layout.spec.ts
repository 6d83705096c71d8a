import { BUCKETS, BUCKET_COUNT, bucketOf, locate, newTaskId, paths } from '@shepherd/taskqueue';

describe('buckets', () => {
  it('names 256 buckets as two hex digits', () => {
    expect(BUCKET_COUNT).toBe(256);
    expect(BUCKETS[0]).toBe('00');
    expect(BUCKETS[255]).toBe('ff');
    expect(new Set(BUCKETS).size).toBe(256);
  });

  it('is a stable function of the key (FNV-1a)', () => {
    // Fixed expectations: a change here would strand every task already stored.
    expect(bucketOf('')).toBe('c5');
    expect(bucketOf('a')).toBe('2c');
    expect(bucketOf('task-000000000aaaaaaaa')).toBe(bucketOf('task-000000000aaaaaaaa'));
  });

  it('spreads ids evenly enough to keep every child list small', () => {
    const counts = new Map<string, number>();
    const t0 = 1_700_000_000_000;
    for (let i = 0; i < 100_000; i++) {
      const b = bucketOf(newTaskId(t0 + Math.floor(i / 10)));
      counts.set(b, (counts.get(b) ?? 0) + 1);
    }
    expect(counts.size).toBe(256);
    // 100,000 / 256 = 390 on average; the fullest bucket stays far below 1 MiB of names.
    expect(Math.max(...counts.values())).toBeLessThan(520);
  });
});

describe('paths and locate', () => {
  const id = 'task-00lz8k3ab12345678';
  const b = bucketOf(id);

  it('puts a task in the same bucket in every area', () => {
    expect(paths.task(id)).toBe(`/tasks/${b}/${id}`);
    expect(paths.status(id)).toBe(`/status/${b}/${id}`);
    expect(paths.dead(id)).toBe(`/dead/${b}/${id}`);
    expect(paths.assignment('w1', id)).toBe(`/assign/w1/${id}`);
  });

  it('classifies layout paths', () => {
    expect(locate(paths.task(id))).toEqual({ area: 'tasks', bucket: b, id });
    expect(locate(`/tasks/${b}`)).toEqual({ area: 'tasks', bucket: b });
    expect(locate(paths.assignment('w1', id))).toEqual({ area: 'assign', workerId: 'w1', id });
    expect(locate('/assign/w1')).toEqual({ area: 'assign', workerId: 'w1' });
    expect(locate('/workers/w1')).toEqual({ area: 'workers', workerId: 'w1' });
    expect(locate('/election/_c_x-n_0000000001')).toEqual({
      area: 'election',
      node: '_c_x-n_0000000001',
    });
    expect(locate(paths.dead(id))).toEqual({ area: 'dead', bucket: b, id });
  });

  it('ignores paths outside the layout', () => {
    for (const p of ['/', '/zookeeper', '/tasks', '/tasks/a/b/c', '/workers/a/b', 'tasks/x'])
      expect(locate(p)).toBeUndefined();
  });
});
