import { CreateMode } from '@shepherd/zk-protocol';
import { waitFor } from '../../../../test/support/wait-for';
import { Cluster, ctx, gate } from './support/cluster';
import {
  NonRetryableError,
  TaskAbortError,
  TaskContext,
  cancelTransition,
  commitBatch,
  paths,
  recoverTransition,
} from '@shepherd/taskqueue';

const cluster = Cluster.perTest();

/** The handler runs as its start write goes out: wait until that write landed. */
const startWritten = (path: string) =>
  waitFor('the start write', async () => (await cluster.read(path))?.record.state === 'running');

describe('Worker: running tasks', () => {
  it('registers an ephemeral /workers/<id> with its capacity, and /assign/<id>', async () => {
    const worker = await cluster.worker({
      id: 'reg-1',
      concurrency: 3,
      handlers: { echo: (t) => t.payload, 'img.resize': () => 1 },
    });
    const { data, stat } = await cluster.admin.getData(paths.worker('reg-1'));
    expect(JSON.parse(String(data))).toMatchObject({
      id: 'reg-1',
      pid: process.pid,
      concurrency: 3,
      types: ['echo', 'img.resize'],
      draining: false,
    });
    expect(stat.ephemeralOwner.toString(16)).toBe(worker.session);
    expect(await cluster.admin.exists(paths.assignRoot('reg-1'))).not.toBeNull();
    expect(worker.types).toEqual(['echo', 'img.resize']);
  });

  it('stores the result once and removes the assignment in the same multi', async () => {
    const calls: TaskContext[] = [];
    const worker = await cluster.worker({
      id: 'run-1',
      handlers: {
        echo: (t) => {
          calls.push(t);
          return { echoed: t.payload };
        },
      },
    });
    const id = await cluster.submitAndAssign('run-1', 'echo', { n: 7 });
    const done = await cluster.waitForRecord(paths.status(id));
    expect(done).toMatchObject({ state: 'done', result: { echoed: { n: 7 } }, worker: 'run-1' });
    expect(done.history.map((h) => h.event)).toEqual([
      'queued',
      'assigned',
      'started',
      'completed',
    ]);
    expect(await cluster.gone(paths.assignment('run-1', id))).toBe(true);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ id, type: 'echo', attempt: 1, maxAttempts: 3 });
    expect(worker.stats()).toMatchObject({ completed: 1, failed: 0, rejected: 0 });
  });

  it('runs at most `concurrency` handlers at once and queues the rest locally', async () => {
    let now = 0;
    let peak = 0;
    const worker = await cluster.worker({
      id: 'conc-1',
      concurrency: 2,
      handlers: {
        slow: async () => {
          peak = Math.max(peak, ++now);
          await new Promise((r) => setTimeout(r, 60));
          now--;
          return 'ok';
        },
      },
    });
    // More than the concurrency, as a confused master might: the worker still runs two at once.
    const ids = await Promise.all(
      Array.from({ length: 6 }, () => cluster.submitAndAssign('conc-1', 'slow', null)),
    );
    for (const id of ids) await cluster.waitForRecord(paths.status(id));
    expect(peak).toBe(2);
    expect(worker.stats()).toMatchObject({ completed: 6, running: 0, queued: 0 });
  });

  it('aborts a handler that overruns timeoutMs and counts a failed attempt', async () => {
    const reasons: unknown[] = [];
    const worker = await cluster.worker({
      id: 'to-1',
      handlers: {
        stuck: (t) =>
          new Promise((_, reject) =>
            t.signal.addEventListener('abort', () => {
              reasons.push(t.signal.reason);
              reject(t.signal.reason as Error);
            }),
          ),
      },
    });
    const id = await cluster.submitAndAssign('to-1', 'stuck', null, {
      timeoutMs: 150,
      backoffMs: 0,
    });
    const back = await cluster.waitForRecord(paths.task(id));
    expect(reasons).toHaveLength(1);
    expect(reasons[0]).toMatchObject({ name: 'TimeoutError', kind: 'timeout' });
    expect(back).toMatchObject({ state: 'queued', attempts: 1, error: { name: 'TimeoutError' } });
    expect(back.history.map((h) => h.event).slice(-2)).toEqual(['timed-out', 'retry-scheduled']);
    expect(worker.stats()).toMatchObject({ failed: 1, timedOut: 1 });
  });

  it('gives a handler that first reads its signal after a timeout an aborted signal', async () => {
    const seen: { aborted: boolean; reason: unknown }[] = [];
    await cluster.worker({
      id: 'to-3',
      handlers: {
        late: async (t) => {
          await new Promise((r) => setTimeout(r, 250));
          // The signal is made on first use: it must still say what happened before.
          seen.push({ aborted: t.signal.aborted, reason: t.signal.reason });
        },
      },
    });
    const id = await cluster.submitAndAssign('to-3', 'late', null, {
      timeoutMs: 100,
      maxAttempts: 1,
    });
    await cluster.waitForRecord(paths.dead(id));
    await new Promise((r) => setTimeout(r, 250));
    expect(seen).toEqual([
      { aborted: true, reason: expect.objectContaining({ name: 'TimeoutError' }) as unknown },
    ]);
  });

  it('does not wait for a handler that ignores the signal', async () => {
    await cluster.worker({
      id: 'to-2',
      handlers: { deaf: () => new Promise(() => undefined) },
    });
    const id = await cluster.submitAndAssign('to-2', 'deaf', null, {
      timeoutMs: 100,
      maxAttempts: 1,
    });
    const dead = await cluster.waitForRecord(paths.dead(id));
    expect(dead.history.map((h) => h.event).slice(-2)).toEqual(['timed-out', 'dead']);
  });

  it('retries failures with backoff (back in /tasks with notBefore), then /dead', async () => {
    let runs = 0;
    await cluster.worker({
      id: 'retry-1',
      handlers: {
        flaky: () => {
          runs++;
          throw new Error(`boom ${runs}`);
        },
      },
    });
    const id = await cluster.submitAndAssign('retry-1', 'flaky', null, {
      maxAttempts: 2,
      backoffMs: 5000,
    });
    const before = Date.now();
    const retry = await cluster.waitForRecord(paths.task(id));
    expect(retry).toMatchObject({ state: 'queued', attempts: 1, error: { message: 'boom 1' } });
    expect(retry.notBefore).toBeGreaterThanOrEqual(before + 4000);
    // The master would wait for notBefore; the test assigns at once.
    await cluster.assign('retry-1', id);
    const dead = await cluster.waitForRecord(paths.dead(id));
    expect(dead).toMatchObject({ state: 'dead', attempts: 2, error: { message: 'boom 2' } });
    expect(runs).toBe(2);
  });

  it('fails a task for good on NonRetryableError', async () => {
    const worker = await cluster.worker({
      id: 'fatal-1',
      handlers: {
        strict: () => Promise.reject(new NonRetryableError('payload is not an image')),
      },
    });
    const id = await cluster.submitAndAssign('fatal-1', 'strict', null, { maxAttempts: 5 });
    const failed = await cluster.waitForRecord(paths.status(id));
    expect(failed).toMatchObject({
      state: 'failed',
      attempts: 1,
      error: { name: 'NonRetryableError', message: 'payload is not an image' },
    });
    expect(worker.stats().failed).toBe(1);
  });

  it('fails the task at once when the result is too large to store: no retry', async () => {
    let runs = 0;
    const worker = await cluster.worker({
      id: 'big-1',
      handlers: {
        big: () => {
          runs++;
          return 'x'.repeat(300 * 1024);
        },
      },
    });
    const id = await cluster.submitAndAssign('big-1', 'big', null, {
      maxAttempts: 3,
      backoffMs: 0,
    });
    const failed = await cluster.waitForRecord(paths.status(id));
    expect(failed).toMatchObject({ state: 'failed', attempts: 1 });
    expect(failed.error).toEqual({
      name: 'ResultNotStorableError',
      message: 'the result is 307202 bytes; the limit is 262144 bytes',
    });
    expect(failed.history.map((h) => h.event)).toEqual(['queued', 'assigned', 'started', 'failed']);
    expect(await cluster.gone(paths.task(id))).toBe(true);
    expect(await cluster.gone(paths.dead(id))).toBe(true);
    expect(runs).toBe(1);
    expect(worker.stats()).toMatchObject({ failed: 1, completed: 0 });
  });

  it('fails the task at once when the result is not JSON-serializable', async () => {
    await cluster.worker({ id: 'big-2', handlers: { bigint: () => ({ n: 10n }) } });
    const id = await cluster.submitAndAssign('big-2', 'bigint', null, { maxAttempts: 3 });
    const failed = await cluster.waitForRecord(paths.status(id));
    expect(failed).toMatchObject({
      state: 'failed',
      attempts: 1,
      error: { name: 'ResultNotStorableError' },
    });
    expect(failed.error?.message).toMatch(/^the result is not JSON-serializable: /);
  });

  it('stores an error without its stack, and logs the stack with the task id', async () => {
    const warnings: { obj: Record<string, unknown>; msg?: string }[] = [];
    const noop = () => undefined;
    const logger = {
      debug: noop,
      info: noop,
      error: noop,
      warn: (obj: object, msg?: string) =>
        warnings.push({ obj: obj as Record<string, unknown>, msg }),
    };
    await cluster.worker({
      id: 'stack-1',
      logger,
      handlers: {
        boom: () => {
          throw new TypeError('no such file');
        },
      },
    });
    const id = await cluster.submitAndAssign('stack-1', 'boom', null, { maxAttempts: 1 });
    const dead = await cluster.waitForRecord(paths.dead(id));
    expect(dead.error).toEqual({ name: 'TypeError', message: 'no such file' });
    const logged = warnings.find((w) => w.msg === 'task attempt failed');
    expect(logged?.obj).toMatchObject({ taskId: id, type: 'boom', attempt: 1, state: 'dead' });
    expect((logged?.obj.err as Error).stack).toMatch(/TypeError: no such file\n\s+at /);
  });

  it('stores the stack when storeErrorStacks is on', async () => {
    await cluster.worker({
      id: 'stack-2',
      storeErrorStacks: true,
      handlers: {
        boom: () => {
          throw new Error('with stack');
        },
      },
    });
    const id = await cluster.submitAndAssign('stack-2', 'boom', null, { maxAttempts: 1 });
    const dead = await cluster.waitForRecord(paths.dead(id));
    expect(dead.error).toMatchObject({ name: 'Error', message: 'with stack' });
    expect(dead.error?.stack).toMatch(/^Error: with stack\n\s+at /);
  });

  it('fails the attempt of a type it has no handler for (a "*" worker)', async () => {
    await cluster.worker({ id: 'any-1', types: ['*'], handlers: { echo: () => 1 } });
    const id = await cluster.submitAndAssign('any-1', 'other', null, { maxAttempts: 1 });
    const dead = await cluster.waitForRecord(paths.dead(id));
    expect(dead.error?.message).toMatch(/no handler for type "other"/);
  });

  it('makes progress visible in the assignment record', async () => {
    const release = gate();
    await cluster.worker({
      id: 'prog-1',
      progressIntervalMs: 20,
      handlers: {
        long: async (t) => {
          t.progress({ pct: 10 });
          t.progress({ pct: 20 });
          t.progress({ pct: 50 });
          await release.promise;
          return 'done';
        },
      },
    });
    const id = await cluster.submitAndAssign('prog-1', 'long', null);
    const path = paths.assignment('prog-1', id);
    const seen = await waitFor(
      'progress 50',
      async () => {
        const r = await cluster.read(path);
        return (r?.record.progress as { pct?: number } | undefined)?.pct === 50 && r
          ? r
          : undefined;
      },
      { timeoutMs: 5000, intervalMs: 10 },
    );
    expect(seen.record.state).toBe('running');
    // started + the first report + the latest of the burst (20 was overtaken by 50).
    expect(seen.version).toBe(3);
    release.open();
    const done = await cluster.waitForRecord(paths.status(id));
    expect(done).toMatchObject({ state: 'done', result: 'done' });
  });

  it('aborts the handler when its assignment is cancelled, and writes nothing', async () => {
    const started = gate();
    const aborted = gate<unknown>();
    const worker = await cluster.worker({
      id: 'cancel-1',
      handlers: {
        long: (t) => {
          started.open();
          t.signal.addEventListener('abort', () => aborted.open(t.signal.reason));
          // Returns after the abort, as a handler that does not check the signal in time.
          return new Promise((resolve) => setTimeout(() => resolve('late'), 300));
        },
      },
    });
    const id = await cluster.submitAndAssign('cancel-1', 'long', null);
    await started.promise;
    const path = paths.assignment('cancel-1', id);
    await startWritten(path);
    const running = await cluster.read(path);
    if (!running) throw new Error('no assignment');
    await cluster.admin.multi(
      cancelTransition(ctx(), running.record, path, running.version, 'not needed').ops,
    );
    const reason = await aborted.promise;
    expect(reason).toBeInstanceOf(TaskAbortError);
    expect(reason).toMatchObject({ kind: 'revoked' });
    await new Promise((r) => setTimeout(r, 500));
    const status = await cluster.read(paths.status(id));
    expect(status?.record.state).toBe('cancelled');
    expect(status?.version).toBe(0);
    expect(await cluster.gone(paths.task(id))).toBe(true);
    expect(worker.stats()).toMatchObject({ revoked: 1, completed: 0, rejected: 0 });
  });

  it("rejects a zombie's late completion: the task moved away before the handler returned", async () => {
    const release = gate();
    const started = gate();
    const worker = await cluster.worker({
      id: 'zombie-1',
      handlers: {
        work: async () => {
          started.open();
          await release.promise;
          return 'late result';
        },
      },
    });
    const id = await cluster.submitAndAssign('zombie-1', 'work', null);
    await started.promise;
    // The master took the task back (it thought the worker dead) and another worker has it.
    const path = paths.assignment('zombie-1', id);
    await startWritten(path);
    const held = await cluster.read(path);
    if (!held) throw new Error('no assignment');
    await commitBatch(cluster.admin, [
      { ops: recoverTransition(ctx(), held.record, held.version, 'zombie-1').ops, value: id },
    ]);
    await cluster.admin.create(paths.assignRoot('other'));
    await cluster.admin.create(paths.worker('other'), null, { mode: CreateMode.EPHEMERAL });
    await cluster.assign('other', id);
    release.open();
    await waitFor('the zombie to give up', () => worker.stats().running === 0, {
      timeoutMs: 3000,
      intervalMs: 10,
    });
    expect(await cluster.read(paths.status(id))).toBeNull();
    const elsewhere = await cluster.read(paths.assignment('other', id));
    expect(elsewhere?.record).toMatchObject({ state: 'assigned', worker: 'other', attempts: 2 });
    expect(worker.stats().completed).toBe(0);
    await cluster.admin.delete(paths.worker('other'));
  });
});
