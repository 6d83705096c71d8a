import {
  CorruptTaskRecordError,
  HistoryEntry,
  InvalidTaskError,
  LIMITS,
  PayloadTooLargeError,
  decodeRecord,
  encodeRecord,
  isTaskId,
  newTaskId,
  newTaskRecord,
  retryDelayMs,
  toTaskError,
  withHistory,
} from '@shepherd/taskqueue';

describe('task ids', () => {
  it('sort in creation order and match the id pattern', () => {
    const a = newTaskId(1_700_000_000_000, Buffer.alloc(8, 255));
    const b = newTaskId(1_700_000_000_001, Buffer.alloc(8, 0));
    expect(isTaskId(a)).toBe(true);
    expect(a.length).toBe(22);
    expect(a < b).toBe(true);
  });

  it('rejects anything else', () => {
    for (const v of ['', 'task-', 'task-ABCDEFGHIJKLMNOPQ', '../../etc', 42, null])
      expect(isTaskId(v)).toBe(false);
  });
});

describe('submission validation', () => {
  const now = 1_000;

  it('fills defaults and records the submission', () => {
    const r = newTaskRecord('task-000000000aaaaaaaa', 'echo', { x: 1 }, {}, now);
    expect(r).toMatchObject({
      state: 'queued',
      attempts: 0,
      options: { maxAttempts: 3, timeoutMs: null, backoffMs: 1000 },
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
  ])('refuses %s', (_name, type, payload, options) => {
    expect(() => newTaskRecord('task-000000000aaaaaaaa', type, payload, options, now)).toThrow(
      InvalidTaskError,
    );
  });

  it('refuses a payload over the limit with its own error', () => {
    const big = 'x'.repeat(LIMITS.maxPayloadBytes);
    expect(() => newTaskRecord('task-000000000aaaaaaaa', 'echo', big, {}, now)).toThrow(
      PayloadTooLargeError,
    );
  });
});

describe('records', () => {
  it('round-trip through JSON', () => {
    const r = newTaskRecord('task-000000000aaaaaaaa', 'echo', { a: [1, 2] }, {}, 5);
    expect(decodeRecord(encodeRecord(r))).toEqual(r);
  });

  it.each([
    ['not json', '{'],
    ['not a record', '[1]'],
    ['wrong version', '{"v":2}'],
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

describe('retry backoff', () => {
  it('doubles from the base and is capped', () => {
    expect([1, 2, 3, 4].map((n) => retryDelayMs(100, n))).toEqual([100, 200, 400, 800]);
    expect(retryDelayMs(1000, 40)).toBe(10 * 60 * 1000);
    expect(retryDelayMs(0, 3)).toBe(0);
  });
});
