import { OPEN_ACL_UNSAFE } from '@shepherd/zk-protocol';
import { FakeClock } from '../../../../test/support/fake-clock';
import {
  LIMITS,
  NonRetryableError,
  ResultNotStorableError,
  TaskAbortError,
  TaskRecord,
  TaskTimeoutError,
  WORKER_ID_PATTERN,
  Worker,
  assignTransition,
  decodeRecord,
  defaultWorkerId,
  newTaskRecord,
  paths,
  startTransition,
} from '@shepherd/taskqueue';
import { ProgressThrottle } from '../../src/worker/progress-throttle';
import {
  advertisedTypes,
  handlerFor,
  progressJson,
  toHandlerMap,
} from '../../src/worker/task-handler';
import { outcomeTransition, storableResult } from '../../src/worker/task-outcome';
import { checkWorkerId, resolveWorkerOptions } from '../../src/worker/worker-options';
import { ZooKeeperConnection } from '@shepherd/coordination';

const ID = 'task-00lz8k3abaaaaaaaa';
const ctx = { acl: OPEN_ACL_UNSAFE, now: 5000 };

function running(options = {}): TaskRecord {
  const queued = newTaskRecord(ID, 'echo', { n: 1 }, options, 1000);
  const assigned = assignTransition(ctx, queued, 0, { workerId: 'w1', session: 'abc' }).record;
  return startTransition(ctx, assigned, 0).record;
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('ProgressThrottle', () => {
  function setup(intervalMs = 100) {
    const clock = new FakeClock(0);
    const writes: unknown[] = [];
    const pending: (() => void)[] = [];
    const throttle = new ProgressThrottle(intervalMs, clock, (v) => {
      writes.push(v);
      return new Promise<void>((resolve) => pending.push(resolve));
    });
    const settle = async () => {
      pending.shift()?.();
      await flush();
    };
    return { clock, writes, throttle, settle };
  }

  it('writes the first value at once and the latest of a burst after the interval', async () => {
    const { clock, writes, throttle, settle } = setup();
    throttle.push(1);
    throttle.push(2);
    throttle.push(3);
    expect(writes).toEqual([1]);
    await settle();
    expect(writes).toEqual([1]);
    clock.advance(99);
    expect(writes).toEqual([1]);
    clock.advance(1);
    expect(writes).toEqual([1, 3]);
  });

  it('never has two writes in flight', async () => {
    const { clock, writes, throttle, settle } = setup(0);
    throttle.push('a');
    throttle.push('b');
    clock.advance(1000);
    expect(writes).toEqual(['a']);
    await settle();
    expect(writes).toEqual(['a', 'b']);
  });

  it('close() drops what is pending and waits for the write in flight', async () => {
    const { clock, writes, throttle, settle } = setup();
    throttle.push(1);
    throttle.push(2);
    let closed = false;
    const closing = throttle.close().then(() => (closed = true));
    await flush();
    expect(closed).toBe(false);
    await settle();
    await closing;
    clock.advance(1000);
    throttle.push(3);
    expect(writes).toEqual([1]);
  });
});

describe('handlers and options', () => {
  it('checks handler names and announces their types unless types are given', () => {
    const echo = () => 1;
    const map = toHandlerMap({ echo, 'b.x:1-2': echo });
    expect(advertisedTypes(map)).toEqual(['b.x:1-2', 'echo']);
    expect(advertisedTypes(map, ['*'])).toEqual(['*']);
    expect(() => toHandlerMap({ 'bad type': echo })).toThrow(TypeError);
    expect(() => toHandlerMap({ echo: 'nope' as never })).toThrow(TypeError);
    expect(() => advertisedTypes(new Map())).toThrow(/at least one/);
    expect(toHandlerMap(new Map([['echo', echo]])).get('echo')).toBe(echo);
  });

  it('falls back to the "*" handler', () => {
    const own = () => 'own';
    const any = () => 'any';
    const map = toHandlerMap({ echo: own, '*': any });
    expect(handlerFor(map, 'echo')).toBe(own);
    expect(handlerFor(map, 'other')).toBe(any);
    expect(handlerFor(toHandlerMap({ echo: own }), 'other')).toBeUndefined();
  });

  it('checks worker ids and makes a valid default one', () => {
    expect(checkWorkerId('w-1.a:b_c')).toBe('w-1.a:b_c');
    for (const bad of ['', '.', '..', 'a/b', 'x'.repeat(129), 'sp ace'])
      expect(() => checkWorkerId(bad)).toThrow(TypeError);
    expect(defaultWorkerId('my_host (1)', 42)).toBe('my_host--1--42');
    expect(defaultWorkerId('h', 7)).toMatch(WORKER_ID_PATTERN);
  });

  it('resolves defaults and refuses bad numbers', () => {
    const connection = {} as ZooKeeperConnection;
    const resolved = resolveWorkerOptions({ connection, id: 'w1' });
    expect(resolved).toMatchObject({
      id: 'w1',
      concurrency: 1,
      shutdownGraceMs: 10_000,
      progressIntervalMs: 250,
      closeConnection: true,
      storeErrorStacks: false,
    });
    expect(() => resolveWorkerOptions({ connection, id: 'w1', concurrency: 0 })).toThrow();
    expect(() => resolveWorkerOptions({ connection, id: 'w1', concurrency: 1.5 })).toThrow();
    expect(() => new Worker({ connection, id: 'a/b' })).toThrow(TypeError);
  });

  it('bounds progress values', () => {
    expect(progressJson({ pct: 50 })).toBe('{"pct":50}');
    expect(progressJson(undefined)).toBe('null');
    expect(() => progressJson('x'.repeat(LIMITS.maxProgressBytes))).toThrow(RangeError);
    expect(() => progressJson(() => 1)).toThrow(TypeError);
  });
});

describe('outcomeTransition', () => {
  const record = running({ maxAttempts: 2, backoffMs: 100 });

  it('stores a result as done, deleting the assignment version held', () => {
    const t = outcomeTransition(ctx, record, 1, { kind: 'returned', value: { ok: 1 } });
    expect(t?.ops.map((o) => [o.type, o.path])).toEqual([
      ['create', paths.status(ID)],
      ['delete', paths.assignment('w1', ID)],
    ]);
    expect(t?.ops[1]).toMatchObject({ version: 1 });
    expect(t?.record).toMatchObject({ state: 'done', result: { ok: 1 } });
  });

  it('fails the task for good when the result cannot be stored: a retry would return it again', () => {
    const big = 'x'.repeat(LIMITS.maxResultBytes);
    const t = outcomeTransition(ctx, record, 1, { kind: 'returned', value: big });
    expect(t?.path).toBe(paths.status(ID));
    expect(t?.record.state).toBe('failed');
    expect(t?.record.error).toEqual({
      name: 'ResultNotStorableError',
      message: 'the result is 262146 bytes; the limit is 262144 bytes',
    });
    const bigint = outcomeTransition(ctx, record, 1, { kind: 'returned', value: { n: 1n } });
    expect(bigint?.record).toMatchObject({
      state: 'failed',
      error: { name: 'ResultNotStorableError' },
    });
    expect(() => storableResult(10n)).toThrow(ResultNotStorableError);
    expect(storableResult(undefined)).toBeNull();
    expect(storableResult(new Date(0))).toBe('1970-01-01T00:00:00.000Z');
  });

  it('retries a thrown error with backoff and fails a NonRetryableError for good', () => {
    const retry = outcomeTransition(ctx, record, 1, { kind: 'threw', error: new Error('boom') });
    expect(retry?.path).toBe(paths.task(ID));
    expect(retry?.record).toMatchObject({ state: 'queued', notBefore: 5100 });
    const fatal = outcomeTransition(ctx, record, 1, {
      kind: 'threw',
      error: new NonRetryableError('bad input'),
    });
    expect(fatal?.path).toBe(paths.status(ID));
    expect(fatal?.record).toMatchObject({ state: 'failed', error: { message: 'bad input' } });
  });

  it('stores the name and message of an error, its stack only when asked to', () => {
    const error = new Error('boom');
    const plain = outcomeTransition(ctx, record, 1, { kind: 'threw', error });
    expect(plain?.record.error).toEqual({ name: 'Error', message: 'boom' });
    const kept = outcomeTransition(
      ctx,
      record,
      1,
      { kind: 'threw', error },
      { storeErrorStacks: true },
    );
    expect(kept?.record.error).toEqual({ name: 'Error', message: 'boom', stack: error.stack });
    const thrown = outcomeTransition(ctx, record, 1, { kind: 'threw', error: { code: 1n } });
    expect(thrown?.record.error).toEqual({ message: '[object Object]' });
  });

  it('records a timeout as a timed-out attempt', () => {
    const t = outcomeTransition(ctx, record, 1, {
      kind: 'aborted',
      abort: 'timeout',
      reason: new TaskTimeoutError(50),
    });
    expect(t?.record.history.map((h) => h.event)).toContain('timed-out');
    expect(t?.record.error).toMatchObject({ name: 'TimeoutError' });
  });

  it('hands a task back on shutdown and writes nothing when revoked or the session is gone', () => {
    const back = outcomeTransition(ctx, record, 1, {
      kind: 'aborted',
      abort: 'shutdown',
      reason: new TaskAbortError('shutdown', 'bye'),
    });
    expect(back?.path).toBe(paths.task(ID));
    expect(decodeRecord((back?.ops[0] as { data: Buffer }).data, paths.task(ID))).toMatchObject({
      state: 'queued',
      attempts: 0,
    });
    for (const abort of ['revoked', 'session-lost'] as const)
      expect(
        outcomeTransition(ctx, record, 1, { kind: 'aborted', abort, reason: undefined }),
      ).toBeUndefined();
  });
});
