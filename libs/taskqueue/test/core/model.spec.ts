import fc from 'fast-check';
import {
  CorruptTaskRecordError,
  HistoryEntry,
  InvalidTaskError,
  LIMITS,
  PayloadTooLargeError,
  compareSubmitOrder,
  decodeRecord,
  encodeRecord,
  isTaskId,
  newTaskId,
  newTaskRecord,
  priorityOf,
  retryDelayMs,
  submittedAt,
  toTaskError,
  validateSubmission,
  withChanges,
  withHistory,
  TaskRecord,
} from '@shepherd/taskqueue';

describe('task ids', () => {
  it('sort in creation order and match the id pattern', () => {
    const a = newTaskId(1_700_000_000_000, Buffer.alloc(8, 255));
    const b = newTaskId(1_700_000_000_001, Buffer.alloc(8, 0));
    expect(isTaskId(a)).toBe(true);
    expect(a.length).toBe(25);
    expect(a < b).toBe(true);
  });

  it('carry 1000 - priority in 3 base-36 characters before the submit time', () => {
    const t = 1_700_000_000_000;
    const time = t.toString(36).padStart(9, '0');
    const zeros = Buffer.alloc(8, 0);
    expect(newTaskId(t, zeros)).toBe(`task-0rs${time}00000000`);
    expect(newTaskId(t, zeros, 1000)).toBe(`task-000${time}00000000`);
    expect(newTaskId(t, zeros, -1000)).toBe(`task-1jk${time}00000000`);
    for (const p of [-1000, -7, 0, 1, 999, 1000]) {
      const id = newTaskId(t, undefined, p);
      expect([isTaskId(id), priorityOf(id), submittedAt(id)]).toEqual([true, p, t]);
    }
    for (const bad of [1001, -1001, 1.5, NaN]) expect(() => newTaskId(t, zeros, bad)).toThrow();
  });

  it('order by priority (higher first), then submit time, as plain strings', () => {
    const pair = fc.tuple(fc.integer({ min: -1000, max: 1000 }), fc.nat(36 ** 9 - 1));
    fc.assert(
      fc.property(pair, pair, fc.uint8Array({ minLength: 16, maxLength: 16 }), (a, b, bytes) => {
        const [pa, ta] = a;
        const [pb, tb] = b;
        fc.pre(pa !== pb || ta !== tb);
        const idA = newTaskId(ta, Buffer.from(bytes.subarray(0, 8)), pa);
        const idB = newTaskId(tb, Buffer.from(bytes.subarray(8)), pb);
        const expected = pa !== pb ? pb - pa : ta - tb; // < 0: a goes first
        expect(Math.sign(idA < idB ? -1 : 1)).toBe(Math.sign(expected));
        // Lists and retention go by submit time alone.
        if (ta !== tb) expect(Math.sign(compareSubmitOrder(idA, idB))).toBe(Math.sign(ta - tb));
        expect([priorityOf(idA), submittedAt(idA)]).toEqual([pa, ta]);
      }),
      { numRuns: 2000 },
    );
  });

  it('accept ids made before priorities: priority 0, sorted before new ones of 0', () => {
    const t = 1_700_000_000_000;
    const old = `task-${t.toString(36).padStart(9, '0')}abcdefgh`;
    expect(isTaskId(old)).toBe(true);
    expect([priorityOf(old), submittedAt(old)]).toEqual([0, t]);
    expect(old < newTaskId(t - 1000, undefined, 0)).toBe(true);
    // By submit time they compare with new ids as any other.
    expect(compareSubmitOrder(old, newTaskId(t + 1, undefined, 500))).toBeLessThan(0);
    expect(compareSubmitOrder(old, newTaskId(t - 1, undefined, -500))).toBeGreaterThan(0);
  });

  it('rejects anything else', () => {
    for (const v of [
      '',
      'task-',
      'task-ABCDEFGHIJKLMNOPQ',
      'task-0123456789abcdefgh', // 18 characters
      'task-1jl0mx9a5efb00000000', // priority field beyond -1000
      'task-zzz0mx9a5efb00000000',
      '../../etc',
      42,
      null,
    ])
      expect(isTaskId(v)).toBe(false);
    expect(priorityOf('nope')).toBeNaN();
    expect(submittedAt('nope')).toBeNaN();
  });
});

describe('submission validation', () => {
  const now = 1_000;

  it('fills defaults and records the submission', () => {
    const r = newTaskRecord('task-000000000aaaaaaaa', 'echo', { x: 1 }, {}, now);
    expect(r).toMatchObject({
      state: 'queued',
      attempts: 0,
      options: { maxAttempts: 3, timeoutMs: null, backoffMs: 1000, priority: 0 },
      history: [{ at: now, event: 'queued' }],
    });
    expect(r.notBefore).toBeUndefined();
  });

  it('turns a delay into notBefore', () => {
    expect(
      newTaskRecord('task-000000000aaaaaaaa', 'echo', null, { delayMs: 500 }, now).notBefore,
    ).toBe(1500);
  });

  it.each([
    ['bad type', 'a b', null, {}],
    ['long type', 'x'.repeat(65), null, {}],
    ['zero attempts', 'echo', null, { maxAttempts: 0 }],
    ['fractional timeout', 'echo', null, { timeoutMs: 1.5 }],
    ['negative delay', 'echo', null, { delayMs: -1 }],
    ['empty key', 'echo', null, { idempotencyKey: '' }],
    ['bigint payload', 'echo', 10n, {}],
    ['priority above 1000', 'echo', null, { priority: 1001 }],
    ['priority below -1000', 'echo', null, { priority: -1001 }],
    ['fractional priority', 'echo', null, { priority: 1.5 }],
    ['priority as a string', 'echo', null, { priority: '5' as unknown as number }],
  ])('refuses %s', (_name, type, payload, options) => {
    expect(() => newTaskRecord('task-000000000aaaaaaaa', type, payload, options, now)).toThrow(
      InvalidTaskError,
    );
  });

  it('stores the priority (default 0), which the id must carry', () => {
    expect(validateSubmission('echo', null, {})).toMatchObject({ priority: 0 });
    expect(validateSubmission('echo', null, { priority: -1000 }).priority).toBe(-1000);
    expect(validateSubmission('echo', null, { priority: 1000 }).priority).toBe(1000);
    expect(() => validateSubmission('echo', null, { priority: 1001 })).toThrow(
      'priority must be an integer from -1000 to 1000',
    );
    const id = newTaskId(now, undefined, 7);
    expect(newTaskRecord(id, 'echo', null, { priority: 7 }, now).options.priority).toBe(7);
    expect(() => newTaskRecord(id, 'echo', null, {}, now)).toThrow(InvalidTaskError);
    expect(() => newTaskRecord(newTaskId(now), 'echo', null, { priority: 7 }, now)).toThrow(
      /carries priority 0, not the priority 7/,
    );
  });

  it('refuses a payload over the limit with its own error', () => {
    const big = 'x'.repeat(LIMITS.maxPayloadBytes);
    expect(() => newTaskRecord('task-000000000aaaaaaaa', 'echo', big, {}, now)).toThrow(
      PayloadTooLargeError,
    );
  });

  it('refuses a payload nested past the depth limit with a clear message, however deep', () => {
    const nest = (levels: number) => {
      let v: unknown = 1;
      for (let i = 0; i < levels; i++) v = [v];
      return v;
    };
    expect(() => validateSubmission('echo', nest(LIMITS.maxPayloadDepth))).not.toThrow();
    for (const levels of [LIMITS.maxPayloadDepth + 1, 5_000, 100_000])
      expect(() => validateSubmission('echo', nest(levels))).toThrow(
        `payload nests deeper than ${LIMITS.maxPayloadDepth} levels of arrays and objects`,
      );
    expect(() =>
      validateSubmission('echo', { group: 'g', tags: ['x'] }, { group: 'g' }),
    ).not.toThrow();
    expect(() => validateSubmission('echo', null, { group: '' })).toThrow(
      'group must be a string of 1 to 128 characters',
    );
  });
});

describe('records', () => {
  it('round-trip through JSON', () => {
    const r = newTaskRecord('task-000000000aaaaaaaa', 'echo', { a: [1, 2] }, {}, 5);
    expect(decodeRecord(encodeRecord(r), `/tasks/00/${r.id}`)).toEqual(r);
  });

  it.each([
    ['not json', '{'],
    ['not a record', '[1]'],
    ['wrong version', '{"v":3}'],
    ['version 2 without a state', '{"v":2,"t":"echo","c":1,"h":[]}'],
    ['null', 'null'],
  ])('reports %s as corrupt', (_name, text) => {
    expect(() => decodeRecord(Buffer.from(text), '/tasks/00/x')).toThrow(CorruptTaskRecordError);
  });

  it('keep a bounded history with the first entry', () => {
    let h: HistoryEntry[] = [{ at: 0, event: 'queued' }];
    for (let i = 1; i <= 500; i++) h = withHistory(h, { at: i, event: 'failed' });
    expect(h).toHaveLength(LIMITS.maxHistory);
    expect(h[0].event).toBe('queued');
    expect(h[h.length - 1].at).toBe(500);
  });

  it('store errors bounded', () => {
    const e = toTaskError(new Error('x'.repeat(LIMITS.maxErrorChars * 2)));
    expect(e.message).toHaveLength(LIMITS.maxErrorChars);
    expect(e.name).toBe('Error');
    expect(toTaskError('plain').message).toBe('plain');
  });
});

describe('withChanges', () => {
  // Every field set: adding a field to TaskRecord fails to compile here until it is listed,
  // and the test then fails until withChanges carries it.
  const full: Required<TaskRecord> = {
    v: 1,
    id: 'task-x',
    type: 't',
    payload: { a: 1 },
    options: { maxAttempts: 3, timeoutMs: null, backoffMs: 10, priority: 2, group: 'g' },
    state: 'running',
    attempts: 1,
    createdAt: 1,
    updatedAt: 2,
    notBefore: 3,
    worker: 'w1',
    workerSession: 'abc',
    startedAt: 4,
    finishedAt: 5,
    progress: { p: 1 },
    result: { r: 1 },
    error: { message: 'm' },
    history: [{ at: 1, event: 'queued' }],
    schedule: 's',
    scheduledFor: 6,
    flow: { id: 'f', key: 'k', dependsOn: [] },
    dependencies: { d: 1 },
    failedDependencies: { e: { state: 'dead' } },
    trace: { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' },
  };

  it('carries every field of a record, like a spread', () => {
    expect(withChanges(full, {})).toStrictEqual({ ...full });
    expect(Object.keys(withChanges(full, {})).sort()).toEqual(Object.keys(full).sort());
  });

  it('applies changes, and clears a field given as undefined', () => {
    const next = withChanges(full, { state: 'done', notBefore: undefined, result: 7 });
    expect(next).toEqual({ ...full, state: 'done', notBefore: undefined, result: 7 });
    expect(JSON.parse(encodeRecord(next).toString())).not.toHaveProperty('notBefore');
    expect(full.state).toBe('running');
  });
});

describe('retry backoff', () => {
  it('doubles from the base and is capped', () => {
    expect([1, 2, 3, 4].map((n) => retryDelayMs(100, n))).toEqual([100, 200, 400, 800]);
    expect(retryDelayMs(1000, 40)).toBe(10 * 60 * 1000);
    expect(retryDelayMs(0, 3)).toBe(0);
  });
});
