import fc from 'fast-check';
import { OPEN_ACL_UNSAFE } from '@shepherd/zk-protocol';
import {
  CorruptTaskRecordError,
  TaskRecord,
  assignTransition,
  completeTransition,
  decodeRecord,
  encodeRecord,
  newTaskId,
  newTaskRecord,
  paths,
  startTransition,
} from '@shepherd/taskqueue';

const ID = newTaskId(1_700_000_000_000, Buffer.alloc(8, 7));
const PATH = paths.status(ID);

/** Decoded records list every field; compared as a stored-then-read JSON would be. */
const roundTrip = (r: TaskRecord) => decodeRecord(encodeRecord(r), paths.status(r.id));

describe('record encoding', () => {
  // Every field set, each time after createdAt, the history naming the record's worker, another
  // worker, none, and carrying both kinds of detail.
  const full: Required<TaskRecord> = {
    v: 1,
    id: ID,
    type: 'img.resize',
    payload: { a: [1, 'x'] },
    options: {
      maxAttempts: 5,
      timeoutMs: 100,
      backoffMs: 10,
      priority: 2,
      idempotencyKey: 'k',
      group: 'g',
    },
    state: 'failed',
    attempts: 2,
    createdAt: 1_700_000_000_000,
    updatedAt: 1_700_000_000_050,
    notBefore: 1_700_000_000_900,
    worker: 'w2',
    workerSession: 'abc',
    startedAt: 1_700_000_000_040,
    finishedAt: 1_700_000_000_050,
    progress: { p: 1 },
    result: null,
    error: { message: 'm', name: 'Error' },
    history: [
      { at: 1_700_000_000_000, event: 'queued' },
      { at: 1_700_000_000_001, event: 'assigned', worker: 'w1', detail: 'attempt 1 of 5' },
      { at: 1_700_000_000_020, event: 'reassigned', detail: 'worker w1 lost' },
      { at: 1_700_000_000_030, event: 'assigned', worker: 'w2', detail: 'attempt 2 of 5' },
      { at: 1_700_000_000_031, event: 'assigned', worker: 'w2', detail: 'attempt 9 of 4' },
      { at: 1_700_000_000_040, event: 'started', worker: 'w2' },
      { at: 1_700_000_000_050, event: 'failed', worker: 'w2', detail: 'boom' },
    ],
    schedule: 'nightly',
    scheduledFor: 1_699_999_999_000,
    flow: { id: 'flow-1', key: 'b', dependsOn: ['a'] },
    dependencies: { a: 1 },
    failedDependencies: { c: { state: 'dead', error: { message: 'x' } } },
    trace: {
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      tracestate: 'vendor=1',
      lastAttempt: '00-0af7651916cd43dd8448eb211c80319c-00f067aa0ba902b7-01',
      dependencies: ['00-0af7651916cd43dd8448eb211c80319c-b9c7c989f97918e1-01'],
    },
  };

  it('round-trips every field of a record', () => {
    expect(roundTrip(full)).toStrictEqual(full);
  });

  it('stores the trace context under tc, and drops a damaged one instead of the record', () => {
    const stored = JSON.parse(encodeRecord(full).toString()) as { tc: unknown };
    expect(stored.tc).toEqual(full.trace);
    const record = (tc: unknown) =>
      Buffer.from(JSON.stringify({ v: 2, t: 'e', s: 'queued', c: 1, h: [], tc }));
    for (const bad of [7, null, 'x', { traceparent: 3 }])
      expect(decodeRecord(record(bad), PATH).trace).toBeUndefined();
    expect(decodeRecord(record({ traceparent: 'a', lastAttempt: 1 }), PATH).trace).toEqual({
      traceparent: 'a',
    });
  });

  it('round-trips records from the transitions, null payloads and results included', () => {
    const ctx = (now: number) => ({ acl: OPEN_ACL_UNSAFE, now });
    const queued = newTaskRecord(ID, 'noop', null, {}, 1000);
    const assigned = assignTransition(ctx(1001), queued, 0, { workerId: 'w', session: '1' }).record;
    const running = startTransition(ctx(1002), assigned, 0).record;
    const done = completeTransition(ctx(1003), running, 1, null).record;
    for (const r of [queued, assigned, running, done]) {
      expect(roundTrip(r)).toEqual(r);
      expect(roundTrip(r).payload).toBeNull();
    }
    expect(roundTrip(done).result).toBeNull();
    expect(roundTrip(queued).result).toBeUndefined();
  });

  it('stores a finished no-op task in well under a third of its JSON', () => {
    const ctx = (now: number) => ({ acl: OPEN_ACL_UNSAFE, now });
    const queued = newTaskRecord(ID, 'noop', null, {}, Date.now());
    const at = queued.createdAt;
    const assigned = assignTransition(ctx(at + 1), queued, 0, {
      workerId: 'worker-1a2b3c',
      session: '10a3f4c2b1d0003',
    }).record;
    const running = startTransition(ctx(at + 2), assigned, 0).record;
    const done = completeTransition(ctx(at + 3), running, 1, null).record;
    const stored = encodeRecord(done);
    // What the znode holds: readable JSON with the id in its name, not in its data.
    expect(JSON.parse(stored.toString())).toMatchObject({ v: 2, t: 'noop', s: 'done' });
    expect(stored.toString()).not.toContain(ID);
    expect(stored.length).toBeLessThan(Buffer.byteLength(JSON.stringify(done)) / 3);
  });

  it('reads version 1 records (the whole record as JSON, with its id)', () => {
    const v1 = Buffer.from(JSON.stringify(full));
    expect(decodeRecord(v1, '/status/00/other')).toEqual(full);
  });

  it('takes the id from the znode name', () => {
    const r = newTaskRecord(ID, 'echo', 1, {}, 5);
    expect(decodeRecord(encodeRecord(r), `/tasks/ab/${ID}`).id).toBe(ID);
    expect(() => decodeRecord(encodeRecord(r), '/tasks/ab/')).toThrow(CorruptTaskRecordError);
  });

  it.each([
    ['a history entry that is not an array', '{"v":2,"t":"e","s":"queued","c":1,"h":[5]}'],
    ['an unknown history event', '{"v":2,"t":"e","s":"queued","c":1,"h":[[0,"queued"]]}'],
    ['no history', '{"v":2,"t":"e","s":"queued","c":1}'],
    ['an unknown state', '{"v":2,"t":"e","s":"lost","c":1,"h":[]}'],
    ['no createdAt', '{"v":2,"t":"e","s":"queued","h":[]}'],
    ['an array', '[2]'],
  ])('reports %s as corrupt', (_name, text) => {
    expect(() => decodeRecord(Buffer.from(text), PATH)).toThrow(CorruptTaskRecordError);
  });

  it('round-trips arbitrary histories and JSON values', () => {
    const entry = fc.record(
      {
        at: fc.integer({ min: 0, max: 10_000 }),
        event: fc.constantFrom('queued', 'assigned', 'started', 'failed', 'reassigned'),
        worker: fc.constantFrom('w1', 'w2', ''),
        detail: fc.oneof(fc.string(), fc.constantFrom('attempt 1 of 3', 'attempt 2 of 3')),
      },
      { requiredKeys: ['at', 'event'] },
    );
    fc.assert(
      fc.property(
        fc.jsonValue(),
        fc.array(entry, { maxLength: 8 }),
        fc.option(fc.constantFrom('w1', 'w2'), { nil: undefined }),
        (payload, entries, worker) => {
          const r: TaskRecord = {
            ...newTaskRecord(ID, 'echo', null, {}, 1000),
            worker,
            history: entries.map((e) => ({ ...e, at: 1000 + e.at })) as TaskRecord['history'],
          };
          r.payload = JSON.parse(JSON.stringify(payload ?? null)) as unknown;
          expect(roundTrip(r)).toEqual(JSON.parse(JSON.stringify(r)));
        },
      ),
    );
  });
});
