import { EventType } from '@shepherd/zk-protocol';
import {
  InvalidTaskError,
  compareSubmitOrder,
  TaskRecord,
  isTaskId,
  newTaskId,
  newTaskRecord,
  priorityOf,
  submittedAt,
} from '@shepherd/taskqueue';
// The units below are internals of the client role, not part of @shepherd/taskqueue.
import { stateIn, toTaskView } from '../../src/client/task-view';
import { TaskIdSequence, successorId } from '../../src/client/task-id-sequence';
import {
  MAX_BUCKETS_PER_READ,
  areasFor,
  bucketsPerRead,
  checkListQuery,
} from '../../src/client/list-query';
import { ListedFolder, ListedTask, newestFirst } from '../../src/client/newest-first';
import { selectNewest } from '../../src/client/select-newest';
import { MAX_OWN_SUBMISSIONS, OwnSubmissions } from '../../src/client/own-submissions';
import { RecordReaction, eventsFromRecord, reactionTo } from '../../src/client/event-classifier';
import {
  electionOrder,
  parseCandidate,
  parseWorkerView,
  sequenceOf,
} from '../../src/client/cluster-info';

const NOW = 1_700_000_000_000;

function record(patch: Partial<TaskRecord> = {}): TaskRecord {
  return { ...newTaskRecord('task-00000000000000000', 'echo', { n: 1 }, {}, NOW), ...patch };
}

/** Each listed task as a folder of its own, in the same order. */
function foldersOf(listed: readonly ListedTask[]): ListedFolder[] {
  return listed.map(({ id, area, folder }) => ({ area, folder, ids: [id] }));
}

describe('task views', () => {
  it('takes the state from the area where the area has one state', () => {
    const r = record({ state: 'assigned' });
    expect(stateIn('tasks', r)).toBe('queued');
    expect(stateIn('dead', r)).toBe('dead');
    expect(stateIn('assign', r)).toBe('assigned');
    expect(stateIn('assign', record({ state: 'running' }))).toBe('running');
    expect(stateIn('status', record({ state: 'cancelled' }))).toBe('cancelled');
  });

  it('shows the worker of an assignment, never of a queued task, and omits unset fields', () => {
    const r = record({ worker: 'w1', notBefore: NOW + 5 });
    const queued = toTaskView(r, 'tasks');
    expect(queued.worker).toBeUndefined();
    expect(queued.notBefore).toBe(NOW + 5);
    expect(Object.keys(queued)).not.toContain('result');
    expect(toTaskView(r, 'assign', 'w2').worker).toBe('w2');
    const done = toTaskView(record({ state: 'done', worker: 'w1', result: 7 }), 'status');
    expect(done).toMatchObject({ state: 'done', worker: 'w1', result: 7, maxAttempts: 3 });
    expect(done.notBefore).toBeUndefined();
  });

  it('shows the priority: stored in the record, or from the id of a record written before', () => {
    expect(toTaskView(record(), 'tasks').priority).toBe(0);
    const high = newTaskRecord(newTaskId(NOW, undefined, 9), 'echo', null, { priority: 9 }, NOW);
    expect(toTaskView(high, 'tasks').priority).toBe(9);
    const legacy = { ...high, options: { maxAttempts: 3, timeoutMs: null, backoffMs: 1000 } };
    expect(toTaskView(legacy, 'status').priority).toBe(9);
  });
});

describe('task id sequence', () => {
  it('increments the base-36 body with carry', () => {
    expect(successorId('task-00000000000000000')).toBe('task-00000000000000001');
    expect(successorId('task-0000000000000000z')).toBe('task-00000000000000010');
    expect(successorId('task-00000000azzzzzzzz')).toBe('task-00000000b00000000');
    expect(() => successorId('task-zzzzzzzzzzzzzzzzz')).toThrow(RangeError);
    // The priority field is never touched: a carry stops at the time part.
    expect(successorId('task-0rs00000000azzzzzzzz')).toBe('task-0rs00000000b00000000');
    expect(() => successorId('task-0rszzzzzzzzzzzzzzzzz')).toThrow(RangeError);
  });

  it('makes strictly increasing ids within a millisecond and when the clock steps back', () => {
    const seq = new TaskIdSequence();
    const ids = Array.from({ length: 1000 }, (_, i) => seq.next(i < 500 ? NOW : NOW - 10));
    expect(ids.every(isTaskId)).toBe(true);
    for (let i = 1; i < ids.length; i++) expect(ids[i] > ids[i - 1]).toBe(true);
    // Time moved on: a fresh id, the new time after the priority field.
    expect(seq.next(NOW + 1000).slice(8, 17)).toBe((NOW + 1000).toString(36).padStart(9, '0'));
  });

  it('keeps each priority in submit order, whatever priorities come between', () => {
    const seq = new TaskIdSequence();
    const priorities = Array.from({ length: 600 }, (_, i) => [5, 0, -5][i % 3]);
    const ids = priorities.map((p) => seq.next(NOW, p));
    expect(ids.map((id) => priorityOf(id))).toEqual(priorities);
    for (const p of [5, 0, -5]) {
      const mine = ids.filter((_, i) => priorities[i] === p);
      for (let i = 1; i < mine.length; i++) expect(mine[i] > mine[i - 1]).toBe(true);
    }
    // In id order (the master's): all of 5, then 0, then -5, each in the order made.
    expect([...ids].sort()).toEqual([
      ...ids.filter((_, i) => priorities[i] === 5),
      ...ids.filter((_, i) => priorities[i] === 0),
      ...ids.filter((_, i) => priorities[i] === -5),
    ]);
  });
});

describe('list queries', () => {
  it('applies defaults and refuses bad input', () => {
    expect(checkListQuery()).toEqual({ limit: 50 });
    expect(checkListQuery({ state: 'dead', type: 'x', limit: 1000 })).toEqual({
      state: 'dead',
      type: 'x',
      limit: 1000,
    });
    for (const bad of [
      { limit: 0 },
      { limit: 1001 },
      { limit: 2.5 },
      { state: 'sleeping' },
      { cursor: 'nope' },
      { type: '' },
    ])
      expect(() => checkListQuery(bad as never)).toThrow(InvalidTaskError);
  });

  it('reads only the areas a state can be in', () => {
    expect(areasFor()).toEqual(['waiting', 'tasks', 'assign', 'status', 'dead']);
    expect(areasFor('waiting')).toEqual(['waiting']);
    expect(areasFor('queued')).toEqual(['tasks']);
    expect(areasFor('running')).toEqual(['assign']);
    expect(areasFor('cancelled')).toEqual(['status']);
    expect(areasFor('dead')).toEqual(['dead']);
  });

  it('sorts newest first, after the cursor, once per id', () => {
    const t = (id: string, area: 'tasks' | 'assign' = 'tasks') => ({ id, area, folder: area });
    const listed = [t('task-a'), t('task-c'), t('task-b'), t('task-c', 'assign'), t('task-d')];
    const sorted = [...newestFirst(foldersOf(listed))];
    expect(sorted.map((x) => x.id)).toEqual(['task-d', 'task-c', 'task-b', 'task-a']);
    expect(sorted[1].area).toBe('tasks'); // the first entry of a task listed twice
    expect([...newestFirst(foldersOf(listed), 'task-c')].map((x) => x.id)).toEqual([
      'task-b',
      'task-a',
    ]);
  });

  it('gives the order of a full sort, lazily, whatever the input order and duplicates', () => {
    const t = (id: string, folder: string) => ({ id, area: 'tasks' as const, folder });
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return seed / 2 ** 32;
    };
    for (let round = 0; round < 20; round++) {
      const ids = Array.from({ length: 1 + Math.floor(random() * 300) }, () =>
        newTaskId(NOW + Math.floor(random() * 50), undefined, Math.floor(random() * 3) - 1),
      );
      // Some tasks listed twice (caught moving between areas), in a shuffled order.
      const listed = ids.map((id, i) => t(id, `first-${i}`));
      for (const id of ids.filter(() => random() < 0.2)) listed.push(t(id, 'second'));
      listed.sort(() => random() - 0.5);
      const expected = [...new Set(ids)].sort((a, b) => compareSubmitOrder(b, a));
      const got = [...newestFirst(foldersOf(listed))];
      expect(got.map((x) => x.id)).toEqual(expected);
      for (const x of got) expect(x.folder).toBe(listed.find((y) => y.id === x.id)?.folder);
      const cursor = expected[Math.floor(expected.length / 2)];
      expect([...newestFirst(foldersOf(listed), cursor)].map((x) => x.id)).toEqual(
        expected.slice(expected.indexOf(cursor) + 1),
      );
    }
  });

  it('selects the newest k by submit time, whole milliseconds, as a full sort would', () => {
    let seed = 11;
    const random = () => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return seed / 2 ** 32;
    };
    for (let round = 0; round < 30; round++) {
      const ids = [
        ...new Set(
          Array.from({ length: Math.floor(random() * 400) }, () =>
            newTaskId(NOW + Math.floor(random() * 60), undefined, Math.floor(random() * 3) - 1),
          ),
        ),
      ];
      const folders: ListedFolder[] = [];
      for (let i = 0; i < ids.length; i += 37)
        folders.push({ area: 'status', folder: `/status/${i}`, ids: ids.slice(i, i + 37) });
      const k = 1 + Math.floor(random() * 120);
      const sorted = [...ids].sort(compareSubmitOrder);
      const got = selectNewest(folders, k);
      if (ids.length <= k) {
        expect(got).toEqual({ ids: sorted, complete: true });
        continue;
      }
      // Every id from the k-th newest's millisecond on, oldest first, and nothing older.
      const kth = submittedAt(sorted[sorted.length - k]);
      const expected = sorted.filter((id) => submittedAt(id) >= kth);
      expect(got.ids).toEqual(expected);
      expect(got.complete).toBe(expected.length === ids.length);
    }
  });

  it('sorts newest first by submit time, not by priority, and pages by it', () => {
    const t = (id: string) => ({ id, area: 'tasks' as const, folder: 'tasks' });
    const old = `task-${(NOW - 5).toString(36).padStart(9, '0')}00000000`; // before priorities
    const ids = [
      newTaskId(NOW, undefined, -1000),
      newTaskId(NOW + 1, undefined, 1000),
      newTaskId(NOW + 2, undefined, 0),
      newTaskId(NOW + 3, undefined, 7),
    ];
    const listed = [ids[1], old, ids[3], ids[0], ids[2]].map(t);
    const newest = [ids[3], ids[2], ids[1], ids[0], old];
    expect([...newestFirst(foldersOf(listed))].map((x) => x.id)).toEqual(newest);
    expect([...newestFirst(foldersOf(listed), ids[2])].map((x) => x.id)).toEqual(newest.slice(2));
  });

  it('lists fewer buckets per read as an area grows', () => {
    expect(bucketsPerRead(0, 256)).toBe(MAX_BUCKETS_PER_READ);
    // A 100,000-task backlog: about 400 names of 29 bytes a bucket, 30 buckets a read.
    expect(bucketsPerRead(100_000, 256)).toBeGreaterThanOrEqual(MAX_BUCKETS_PER_READ - 2);
    const big = bucketsPerRead(1_000_000, 256);
    expect(big).toBeGreaterThanOrEqual(1);
    // The planned reply stays well inside jute.maxbuffer, uneven buckets included.
    expect(big * (1_000_000 / 256) * 29 * 1.5).toBeLessThanOrEqual(1024 * 1024);
    expect(bucketsPerRead(100_000_000, 256)).toBe(1);
  });
});

describe('event classification', () => {
  const at = NOW;
  const id = 'task-00000000000000000';

  it('reads the record for arrivals and ignores departures', () => {
    expect(reactionTo(EventType.NodeCreated, `/tasks/ab/${id}`, at)).toEqual({
      kind: 'record',
      path: `/tasks/ab/${id}`,
      area: 'tasks',
      taskId: id,
    });
    expect(reactionTo(EventType.NodeDeleted, `/tasks/ab/${id}`, at)).toBeUndefined();
    expect(reactionTo(EventType.NodeCreated, '/tasks/ab', at)).toBeUndefined();
    expect(reactionTo(EventType.NodeCreated, '/keys/ab/123', at)).toBeUndefined();
    expect(reactionTo(EventType.NodeCreated, '/layout', at)).toBeUndefined();
    expect(reactionTo(EventType.NodeDeleted, `/assign/w1/${id}`, at)).toBeUndefined();
  });

  it('knows assignments and workers from the path alone', () => {
    expect(reactionTo(EventType.NodeCreated, `/assign/w1/${id}`, at)).toEqual({
      kind: 'emit',
      events: [{ type: 'task.assigned', at, taskId: id, workerId: 'w1', state: 'assigned' }],
    });
    expect(reactionTo(EventType.NodeCreated, '/assign/w1', at)).toBeUndefined();
    expect(reactionTo(EventType.NodeCreated, '/workers/w1', at)).toEqual({
      kind: 'emit',
      events: [{ type: 'worker.joined', at, workerId: 'w1' }],
    });
    expect(reactionTo(EventType.NodeDeleted, '/workers/w1', at)).toEqual({
      kind: 'emit',
      events: [{ type: 'worker.left', at, workerId: 'w1' }],
    });
    expect(reactionTo(EventType.NodeDataChanged, '/workers/w1', at)).toBeUndefined();
    expect(reactionTo(EventType.NodeDeleted, '/election/_c_x-n_0000000001', at)).toEqual({
      kind: 'election',
    });
  });

  const tasksArrival = { kind: 'record', path: 'p', area: 'tasks', taskId: id } as const;
  const types = (r: TaskRecord | undefined, reaction: RecordReaction = tasksArrival) =>
    eventsFromRecord(reaction, r, at).map((e) => e.type);

  it('tells a retry, a reassignment and a plain queueing apart by the last history entry', () => {
    const h = (...events: string[]) =>
      record({ history: events.map((event) => ({ at, event })) as TaskRecord['history'] });
    expect(types(h('queued'))).toEqual(['task.queued']);
    expect(types(h('queued', 'assigned', 'handed-back'))).toEqual(['task.queued']);
    expect(types(h('queued', 'failed', 'retry-scheduled'))).toEqual(['task.failed', 'task.queued']);
    expect(types(h('queued', 'assigned', 'reassigned'))).toEqual(['task.reassigned']);
    expect(types(h('queued', 'failed', 'dead', 'redriven'))).toEqual(['task.queued']);
    expect(types(undefined)).toEqual(['task.queued']);
  });

  it('maps terminal records and worker updates', () => {
    const status = { kind: 'record', path: 'p', area: 'status', taskId: id } as const;
    expect(types(record({ state: 'done' }), status)).toEqual(['task.completed']);
    expect(types(record({ state: 'failed' }), status)).toEqual(['task.failed']);
    expect(types(record({ state: 'cancelled' }), status)).toEqual(['task.cancelled']);
    expect(types(undefined, status)).toEqual([]);
    const dead = { kind: 'record', path: 'p', area: 'dead', taskId: id } as const;
    expect(types(record({ state: 'dead' }), dead)).toEqual(['task.dead']);
    const assign = {
      kind: 'record',
      path: 'p',
      area: 'assign',
      taskId: id,
      workerId: 'w',
    } as const;
    expect(types(record({ state: 'running' }), assign)).toEqual(['task.started']);
    const progress = eventsFromRecord(assign, record({ state: 'running', progress: 0.5 }), at);
    expect(progress).toEqual([
      expect.objectContaining({ type: 'task.progress', progress: 0.5, workerId: 'w' }),
    ]);
    expect(types(undefined, assign)).toEqual([]);
  });
});

describe('cluster info parsing', () => {
  it('reads worker registrations tolerantly', () => {
    const data = Buffer.from(
      JSON.stringify({ host: 'h', pid: 1, concurrency: 4, prefetch: 2, types: ['a'] }),
    );
    expect(parseWorkerView('w', data, ['task-1'])).toEqual({
      id: 'w',
      host: 'h',
      pid: 1,
      concurrency: 4,
      prefetch: 2,
      types: ['a'],
      draining: false,
      running: ['task-1'],
    });
    expect(parseWorkerView('w', Buffer.from('garbage'), [])).toMatchObject({
      id: 'w',
      concurrency: 1,
      prefetch: 0,
      types: [],
    });
  });

  it('orders candidates by sequence, whatever their guid prefix', () => {
    const names = ['_c_b-n_0000000003', '_c_z-n_0000000001', '_c_a-n_0000000002'];
    expect(electionOrder(names)).toEqual([
      '_c_z-n_0000000001',
      '_c_a-n_0000000002',
      '_c_b-n_0000000003',
    ]);
    expect(sequenceOf('n_0000000042')).toBe(42);
    expect(parseCandidate('/election/n', Buffer.from('{"id":"m1","pid":7}'))).toEqual({
      id: 'm1',
      node: '/election/n',
      pid: 7,
    });
    expect(parseCandidate('/election/n', Buffer.from('plain-id')).id).toBe('plain-id');
  });
});

describe('OwnSubmissions', () => {
  it('notes nothing while no stream watches, and forgets everything when the last one stops', () => {
    const own = new OwnSubmissions();
    own.note('t1', 'echo');
    own.setActive(1, true);
    const from = own.next();
    expect(own.claim('t1', 1, from)).toBeUndefined();
    own.note('t2', 'echo');
    own.setActive(1, false);
    own.setActive(1, true);
    expect(own.claim('t2', 1, 0)).toBeUndefined();
  });

  it('hands a type out once per stream, only for a note taken at or after its `from`', () => {
    const own = new OwnSubmissions();
    own.setActive(1, true);
    own.setActive(2, true);
    own.note('early', 'a');
    const from1 = own.next();
    own.note('t1', 'b');
    const from2 = own.next();
    own.note('t2', 'c');
    expect(own.claim('early', 1, from1)).toBeUndefined(); // before the watch: read instead
    expect(own.claim('t1', 1, from1)).toBe('b');
    expect(own.claim('t1', 1, from1)).toBeUndefined(); // a later arrival: read
    expect(own.claim('t1', 2, from2)).toBeUndefined(); // noted before stream 2's watch
    expect(own.claim('t2', 2, from2)).toBe('c');
    expect(own.claim('t2', 1, from1)).toBe('c');
    expect(own.claim('t2', 2, from2)).toBeUndefined();
    expect(own.claim('unknown', 1, from1)).toBeUndefined();
  });

  it('keeps at most MAX_OWN_SUBMISSIONS, forgetting the oldest', () => {
    const own = new OwnSubmissions();
    own.setActive(2, true);
    const from = own.next();
    for (let i = 0; i <= MAX_OWN_SUBMISSIONS; i++) own.note(`t${i}`, 'x');
    expect(own.claim('t0', 2, from)).toBeUndefined();
    expect(own.claim('t1', 2, from)).toBe('x');
    expect(own.claim(`t${MAX_OWN_SUBMISSIONS}`, 2, from)).toBe('x');
  });
});
