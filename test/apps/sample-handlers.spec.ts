import { createHash } from 'crypto';
import { taskHandlerType } from '@shepherd/nestjs';
import { NonRetryableError, TaskContext } from '@shepherd/taskqueue';
import { SampleHandlers, sleep } from '../../apps/worker/src/sample-handlers';
import { sha256Rounds } from '../../apps/worker/src/sha256-rounds';

function context(type: string, payload: unknown, extra: Partial<TaskContext> = {}) {
  const progress: unknown[] = [];
  const controller = new AbortController();
  const task: TaskContext = {
    id: 'task-test',
    type,
    payload,
    attempt: 1,
    maxAttempts: 3,
    dependencies: {},
    failedDependencies: {},
    signal: controller.signal,
    progress: (v) => progress.push(v),
    ...extra,
  };
  return { task, progress, controller };
}

const handlers = new SampleHandlers();

describe('the sample handlers', () => {
  it('are registered under their task types', () => {
    const proto = SampleHandlers.prototype;
    expect(taskHandlerType(proto.echo)).toBe('echo');
    expect(taskHandlerType(proto.sleep)).toBe('sleep');
    expect(taskHandlerType(proto.sha256)).toBe('sha256');
    expect(taskHandlerType(proto.fail)).toBe('fail');
    expect(taskHandlerType(proto.join)).toBe('join');
  });

  describe('join', () => {
    it('returns the results of its dependencies, and the failed ones when there are', () => {
      const { task } = context('join', null, { dependencies: { a: 1, b: { x: 'y' } } });
      expect(handlers.join(task)).toEqual({ dependencies: { a: 1, b: { x: 'y' } } });
      const failed = { c: { state: 'dead' as const, error: { message: 'boom' } } };
      const mixed = context('join', null, { dependencies: { a: 1 }, failedDependencies: failed });
      expect(handlers.join(mixed.task)).toEqual({
        dependencies: { a: 1 },
        failedDependencies: failed,
      });
      expect(handlers.join(context('join', null).task)).toEqual({ dependencies: {} });
    });
  });

  describe('echo', () => {
    it('returns its payload, whatever JSON it is', () => {
      for (const payload of [{ a: [1, 'x'] }, 'text', 42, [true], null])
        expect(handlers.echo(context('echo', payload).task)).toEqual(payload);
    });

    it('returns null for a task without payload', () => {
      expect(handlers.echo(context('echo', undefined).task)).toBeNull();
    });
  });

  describe('sleep', () => {
    it('waits ms milliseconds', async () => {
      const started = Date.now();
      await expect(handlers.sleep(context('sleep', { ms: 120 }).task)).resolves.toEqual({
        slept: 120,
      });
      expect(Date.now() - started).toBeGreaterThanOrEqual(110);
    });

    it('stops as soon as the task is aborted, with the signal reason', async () => {
      const { task, controller } = context('sleep', { ms: 60_000 });
      const started = Date.now();
      const run = handlers.sleep(task);
      setTimeout(() => controller.abort(new Error('cancelled')), 50);
      await expect(run).rejects.toThrow('cancelled');
      expect(Date.now() - started).toBeLessThan(5_000);
    });

    it('rejects at once when already aborted', async () => {
      await expect(sleep(10_000, AbortSignal.abort(new Error('gone')))).rejects.toThrow('gone');
    });

    it.each([
      [{}, 'sleep: invalid payload: ms is required'],
      [{ ms: '100' }, 'ms must be an integer (milliseconds)'],
      [{ ms: -1 }, 'ms must be >= 0'],
      [{ ms: 1.5 }, 'ms must be an integer'],
      [[100], 'sleep: invalid payload: expected a JSON object'],
      [null, 'sleep: invalid payload: expected a JSON object'],
    ])('fails for good on the payload %j', async (payload, message) => {
      const run = handlers.sleep(context('sleep', payload).task);
      await expect(run).rejects.toThrow(NonRetryableError);
      await expect(run).rejects.toThrow(message);
    });
  });

  describe('sha256', () => {
    it('hashes data once for one round (the digest of "hello")', async () => {
      const { task, progress } = context('sha256', { data: 'hello', rounds: 1 });
      await expect(handlers.sha256(task)).resolves.toEqual({
        digest: '2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824',
        rounds: 1,
      });
      expect(progress).toEqual([1]);
    });

    it('rehashes the binary digest for every further round', async () => {
      let digest = createHash('sha256').update('shepherd').digest();
      for (let i = 1; i < 5000; i++) digest = createHash('sha256').update(digest).digest();
      const { task } = context('sha256', { data: 'shepherd', rounds: 5000 });
      expect(await handlers.sha256(task)).toEqual({ digest: digest.toString('hex'), rounds: 5000 });
    });

    it('reports rising progress up to 1 and yields to the event loop between slices', async () => {
      const { task, progress } = context('sha256', { data: 'x', rounds: 300_000 });
      let ticks = 0;
      const ticker = setInterval(() => ticks++, 5);
      try {
        await handlers.sha256(task);
      } finally {
        clearInterval(ticker);
      }
      expect(progress.length).toBeGreaterThan(2);
      expect(progress).toEqual([...(progress as number[])].sort((a, b) => a - b));
      expect(progress[progress.length - 1]).toBe(1);
      // Timers ran while it hashed: heartbeats and aborts are served.
      expect(ticks).toBeGreaterThan(0);
    });

    it('stops within a slice when aborted', async () => {
      const controller = new AbortController();
      const started = Date.now();
      const run = sha256Rounds('x', 50_000_000, { signal: controller.signal, sliceMs: 10 });
      setTimeout(() => controller.abort(new Error('timed out')), 100);
      await expect(run).rejects.toThrow('timed out');
      expect(Date.now() - started).toBeLessThan(5_000);
    });

    it.each([
      [{ rounds: 3 }, 'data is required'],
      [{ data: 7, rounds: 3 }, 'data must be a string'],
      [{ data: 'x' }, 'rounds is required'],
      [{ data: 'x', rounds: 0 }, 'rounds must be >= 1'],
      [{ data: 'x', rounds: 1e9 }, 'rounds must be <= 100000000'],
    ])('fails for good on the payload %j', async (payload, message) => {
      const run = handlers.sha256(context('sha256', payload).task);
      await expect(run).rejects.toThrow(NonRetryableError);
      await expect(run).rejects.toThrow(`sha256: invalid payload: ${message}`);
    });
  });

  describe('fail', () => {
    it('throws a retryable error on the first `times` attempts, then returns the attempt', () => {
      for (const attempt of [1, 2]) {
        const run = () => handlers.fail(context('fail', { times: 2 }, { attempt }).task);
        expect(run).toThrow(`attempt ${attempt} of the first 2 fails on purpose`);
        try {
          run();
        } catch (err) {
          expect(err).not.toBeInstanceOf(NonRetryableError);
        }
      }
      expect(handlers.fail(context('fail', { times: 2 }, { attempt: 3 }).task)).toEqual({
        attempt: 3,
      });
      expect(handlers.fail(context('fail', { times: 0 }).task)).toEqual({ attempt: 1 });
    });

    it('fails for good on a bad payload', () => {
      expect(() => handlers.fail(context('fail', { times: 'twice' }).task)).toThrow(
        new NonRetryableError('fail: invalid payload: times must be an integer'),
      );
    });
  });
});
