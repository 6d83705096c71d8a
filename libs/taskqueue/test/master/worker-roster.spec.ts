import { WorkerRoster, parseWorkerInfo } from '../../src/master/worker-roster';

const json = (v: unknown) => Buffer.from(JSON.stringify(v));

describe('parseWorkerInfo', () => {
  it('reads a registration', () => {
    expect(
      parseWorkerInfo(
        'w',
        json({ id: 'w', host: 'h', pid: 7, concurrency: 3, prefetch: 1, types: ['a'], since: 5 }),
      ),
    ).toEqual({
      id: 'w',
      host: 'h',
      pid: 7,
      concurrency: 3,
      prefetch: 1,
      types: ['a'],
      since: 5,
      draining: false,
    });
    expect(
      parseWorkerInfo('w', json({ concurrency: 1, types: ['a'], draining: true })).draining,
    ).toBe(true);
  });

  it('gives an unreadable registration no capacity', () => {
    expect(parseWorkerInfo('w', Buffer.from('{nope')).concurrency).toBe(0);
    expect(parseWorkerInfo('w', json({ concurrency: -1, types: 'a' }))).toMatchObject({
      concurrency: 0,
      types: [],
    });
  });
});

describe('WorkerRoster', () => {
  it('reports loads of live workers only, counting every assignment', () => {
    const r = new WorkerRoster();
    const live = r.entry('live');
    live.info = parseWorkerInfo('live', json({ concurrency: 2, types: ['*'] }));
    live.session = 's1';
    r.assigned('live', 't1', 's1');
    r.assigned('live', 't0', 'old');
    r.assigned('gone', 't2', 's9');
    expect(r.loads()).toEqual([
      { id: 'live', types: ['*'], concurrency: 2, assigned: 2, draining: false },
    ]);
    expect(r.liveCount).toBe(1);
    expect(r.assignedCount).toBe(3);
  });

  it('counts slots held by commits in flight until they settle', () => {
    const r = new WorkerRoster();
    const w = r.entry('w');
    w.info = parseWorkerInfo('w', json({ concurrency: 4, types: ['*'] }));
    w.session = 's1';
    r.assigned('w', 't1', 's1');
    r.reserve('w');
    r.reserve('w');
    expect(r.loads()[0].assigned).toBe(3);
    // A re-listing replaces the assignments; the reservations stay until the commit settles.
    r.replaceAssignments('w', new Map([['t1', 's1']]));
    expect(r.loads()[0].assigned).toBe(3);
    r.unreserve('w');
    r.unreserve('w');
    r.unreserve('w');
    r.unreserve('gone');
    expect(r.loads()[0].assigned).toBe(1);
  });

  it('frees a slot when an assignment is deleted, even one whose commit reply comes later', () => {
    const r = new WorkerRoster();
    const w = r.entry('w');
    w.info = parseWorkerInfo('w', json({ concurrency: 2, types: ['*'] }));
    w.session = 's1';
    r.assigned('w', 'done', 's1');
    expect(r.removed('w', 'done')).toBe(true);
    expect(r.removed('nobody', 'x')).toBe(false);
    // A commit in flight; its task completes (the event) before its reply is handled.
    r.reserve('w');
    expect(r.removed('w', 'fast')).toBe(false);
    r.assigned('w', 'fast', 's1');
    r.unreserve('w');
    expect(r.loads()[0].assigned).toBe(0);
    // Nothing in flight: an unknown deletion is not remembered.
    expect(r.removed('w', 'later')).toBe(false);
    r.assigned('w', 'later', 's1');
    expect(r.loads()[0].assigned).toBe(1);
  });

  it('finds orphans: a gone worker, or a record naming another session', () => {
    const r = new WorkerRoster();
    const live = r.entry('live');
    live.session = 's1';
    r.assigned('live', 'mine', 's1');
    r.assigned('live', 'stale', 's0');
    r.setAssignment('live', 'unknown', undefined);
    r.assigned('gone', 'lost', 's2');
    expect(r.orphans('live')).toEqual(['stale']);
    expect(r.orphans('gone')).toEqual(['lost']);
    expect(r.orphans('nobody')).toEqual([]);
  });

  it('keeps the running counts per type and group as assignments come and go', () => {
    const r = new WorkerRoster();
    // Class known first (the leader's own commit), then listed.
    r.setClass('t1', 'a', 'g1');
    r.assigned('w1', 't1', 's1');
    // Listed first (a re-listing), class read afterwards.
    r.setAssignment('w1', 't2', undefined);
    expect(r.runningOfType('a')).toBe(1);
    r.setClass('t2', 'a', 'g1');
    r.replaceAssignments('w2', new Map([['t3', 's2']]));
    r.setClass('t3', 'a');
    expect([
      r.runningOfType('a'),
      r.runningInGroup('a', 'g1'),
      r.runningInGroup('a', 'g2'),
    ]).toEqual([3, 2, 0]);
    // A class read again that changed (not in practice, but counted right).
    r.setClass('t3', 'b', 'g2');
    expect([r.runningOfType('a'), r.runningOfType('b'), r.runningInGroup('b', 'g2')]).toEqual([
      2, 1, 1,
    ]);
    // Gone through each path: a deletion event, a re-listing, a worker dropped.
    expect(r.removed('w1', 't1')).toBe(true);
    expect(r.runningInGroup('a', 'g1')).toBe(1);
    r.replaceAssignments('w1', new Map());
    expect(r.runningOfType('a')).toBe(0);
    r.delete('w2');
    expect([...r.typeCounts()]).toEqual([]);
    // A class set for an assignment never listed (its reply came after its deletion) counts
    // nothing, and comes back counted if it is listed later.
    r.setClass('t9', 'a', 'g1');
    expect(r.runningOfType('a')).toBe(0);
    r.setAssignment('w1', 't9', 's1');
    expect(r.runningInGroup('a', 'g1')).toBe(1);
  });
});
