import { WatchManager, WatcherMode, pathAndAncestors } from '@shepherd/zk-server';

describe('pathAndAncestors', () => {
  it('walks from the path up to the root', () => {
    expect([...pathAndAncestors('/a/b/c')]).toEqual(['/a/b/c', '/a/b', '/a', '/']);
    expect([...pathAndAncestors('/a')]).toEqual(['/a', '/']);
    expect([...pathAndAncestors('/')]).toEqual(['/']);
  });
});

describe('WatchManager', () => {
  const w1 = { id: 1 };
  const w2 = { id: 2 };
  const sorted = (s: Set<{ id: number }>) => [...s].map((w) => w.id).sort();

  it('fires a standard watch once', () => {
    const m = new WatchManager<typeof w1>();
    expect(m.addWatch('/a', w1)).toBe(true);
    expect(m.addWatch('/a', w1)).toBe(false); // already there
    expect(sorted(m.triggerWatch('/a'))).toEqual([1]);
    expect(sorted(m.triggerWatch('/a'))).toEqual([]);
    expect(m.size()).toBe(0);
    expect(m.summary()).toEqual({ numConnections: 0, numPaths: 0, totalWatches: 0 });
  });

  it('keeps persistent watches after firing; only on the path itself', () => {
    const m = new WatchManager<typeof w1>();
    m.addWatch('/a', w1, WatcherMode.Persistent);
    expect(sorted(m.triggerWatch('/a'))).toEqual([1]);
    expect(sorted(m.triggerWatch('/a'))).toEqual([1]);
    expect(sorted(m.triggerWatch('/a/b'))).toEqual([]);
  });

  it('fires recursive watches for the path and every descendant, and keeps them', () => {
    const m = new WatchManager<typeof w1>();
    m.addWatch('/a', w1, WatcherMode.PersistentRecursive);
    expect(sorted(m.triggerWatch('/a'))).toEqual([1]);
    expect(sorted(m.triggerWatch('/a/b'))).toEqual([1]);
    expect(sorted(m.triggerWatch('/a/b/c'))).toEqual([1]);
    expect(sorted(m.triggerWatch('/ab'))).toEqual([]); // a sibling prefix is not a descendant
    expect(sorted(m.triggerWatch('/'))).toEqual([]);
  });

  it('a recursive watch on / sees everything', () => {
    const m = new WatchManager<typeof w1>();
    m.addWatch('/', w1, WatcherMode.PersistentRecursive);
    expect(sorted(m.triggerWatch('/x/y'))).toEqual([1]);
  });

  it('standard watches on an ancestor do not fire for descendants, and stay', () => {
    const m = new WatchManager<typeof w1>();
    m.addWatch('/a', w1);
    m.addWatch('/', w2, WatcherMode.PersistentRecursive); // forces the ancestor walk
    expect(sorted(m.triggerWatch('/a/b'))).toEqual([2]);
    expect(m.containsWatcher('/a', w1)).toBe(true);
  });

  it('notifies a watcher once even when several of its watches match', () => {
    const m = new WatchManager<typeof w1>();
    m.addWatch('/a/b', w1);
    m.addWatch('/a/b', w1, WatcherMode.Persistent);
    m.addWatch('/a', w1, WatcherMode.PersistentRecursive);
    m.addWatch('/', w1, WatcherMode.PersistentRecursive);
    m.addWatch('/a', w2, WatcherMode.PersistentRecursive);
    const told = m.triggerWatch('/a/b');
    expect(told.size).toBe(2);
    expect(sorted(told)).toEqual([1, 2]);
  });

  it('consumes only the standard mode when modes coexist on a path', () => {
    const m = new WatchManager<typeof w1>();
    m.addWatch('/a', w1, WatcherMode.Standard);
    m.addWatch('/a', w1, WatcherMode.Persistent);
    expect(m.modesOf('/a', w1)).toBe(WatcherMode.Standard | WatcherMode.Persistent);
    m.triggerWatch('/a');
    expect(m.modesOf('/a', w1)).toBe(WatcherMode.Persistent);
    expect(m.containsWatcher('/a', w1, WatcherMode.Standard)).toBe(false);
    expect(m.containsWatcher('/a', w1, WatcherMode.Persistent)).toBe(true);
  });

  it('removeWatcher drops everything of one watcher only', () => {
    const m = new WatchManager<typeof w1>();
    m.addWatch('/a', w1);
    m.addWatch('/b', w1, WatcherMode.PersistentRecursive);
    m.addWatch('/a', w2);
    m.removeWatcher(w1);
    m.removeWatcher(w1); // idempotent
    expect(sorted(m.triggerWatch('/b/c'))).toEqual([]);
    expect(sorted(m.triggerWatch('/a'))).toEqual([2]);
    expect(m.size()).toBe(0);
  });

  it('removeWatch by mode, or all modes; false when nothing matched', () => {
    const m = new WatchManager<typeof w1>();
    m.addWatch('/a', w1, WatcherMode.Standard);
    m.addWatch('/a', w1, WatcherMode.PersistentRecursive);
    expect(m.removeWatch('/a', w1, WatcherMode.Persistent)).toBe(false);
    expect(m.removeWatch('/a', w2)).toBe(false);
    expect(m.removeWatch('/zz', w1)).toBe(false);
    expect(m.removeWatch('/a', w1, WatcherMode.PersistentRecursive)).toBe(true);
    expect(sorted(m.triggerWatch('/a/b'))).toEqual([]); // recursive gone
    expect(m.containsWatcher('/a', w1)).toBe(true);
    expect(m.removeWatch('/a', w1)).toBe(true);
    expect(m.containsWatcher('/a', w1)).toBe(false);
    expect(m.summary().numPaths).toBe(0);
  });

  it('ignores watches from stale watchers', () => {
    const dead = new Set<unknown>([w2]);
    const m = new WatchManager<typeof w1>({ isStale: (w) => dead.has(w) });
    expect(m.addWatch('/a', w2)).toBe(false);
    expect(m.addWatch('/a', w1)).toBe(true);
    expect(sorted(m.triggerWatch('/a'))).toEqual([1]);
  });

  it('reports counts, by watcher and by path', () => {
    const m = new WatchManager<typeof w1>();
    m.addWatch('/a', w1);
    m.addWatch('/a', w1, WatcherMode.Persistent); // same pair: counted once
    m.addWatch('/b', w1);
    m.addWatch('/a', w2);
    expect(m.size()).toBe(3);
    expect(m.summary()).toEqual({ numConnections: 2, numPaths: 2, totalWatches: 3 });
    expect(m.byWatcher()).toEqual(
      new Map([
        [w1, ['/a', '/b']],
        [w2, ['/a']],
      ]),
    );
    expect(m.byPath()).toEqual(
      new Map([
        ['/a', [w1, w2]],
        ['/b', [w1]],
      ]),
    );
  });
});
