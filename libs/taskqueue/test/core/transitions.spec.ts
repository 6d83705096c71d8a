import { CreateMode, OPEN_ACL_UNSAFE } from '@shepherd/zk-protocol';
import {
  NonRetryableError,
  TaskRecord,
  TransitionContext,
  assignTransition,
  cancelTransition,
  completeTransition,
  decodeRecord,
  failTransition,
  handBackTransition,
  keyHash,
  newTaskRecord,
  paths,
  pruneTransition,
  recoverTransition,
  redriveTransition,
  startTransition,
  submitTransition,
  toTaskError,
} from '@shepherd/taskqueue';

const ID = 'task-00lz8k3abaaaaaaaa';
const ctx = (now: number): TransitionContext => ({ acl: OPEN_ACL_UNSAFE, now });
const target = { workerId: 'w1', session: 'abc' };

function queued(options = {}): TaskRecord {
  return newTaskRecord(ID, 'echo', { n: 1 }, options, 1000);
}

function dataOf(op: { type: string; path: string; data?: Buffer | null }): TaskRecord {
  if (!op.data) throw new Error(`${op.type} has no data`);
  return decodeRecord(op.data, op.path);
}

describe('transitions', () => {
  it('submit creates the task, and the key first when there is one', () => {
    const plain = submitTransition(ctx(1000), queued());
    expect(plain.ops.map((o) => [o.type, o.path])).toEqual([['create', paths.task(ID)]]);
    const keyed = submitTransition(ctx(1000), queued({ idempotencyKey: 'order-7' }));
    expect(keyed.ops.map((o) => [o.type, o.path])).toEqual([
      ['create', paths.key(keyHash('order-7'))],
      ['create', paths.task(ID)],
    ]);
    const keyOp = keyed.ops[0];
    expect(keyOp.type === 'create' && keyOp.data?.toString()).toBe(ID);
    expect(keyOp.type === 'create' && keyOp.options.mode).toBe(CreateMode.PERSISTENT);
  });

  it('assign counts the attempt, records the worker incarnation and deletes the read version', () => {
    const t = assignTransition(ctx(2000), queued(), 0, target);
    expect(t.ops.map((o) => [o.type, o.path])).toEqual([
      ['create', paths.assignment('w1', ID)],
      ['delete', paths.task(ID)],
    ]);
    expect(t.ops[1]).toMatchObject({ version: 0 });
    expect(t.record).toMatchObject({
      state: 'assigned',
      attempts: 1,
      worker: 'w1',
      workerSession: 'abc',
    });
    expect(t.record.history.at(-1)).toMatchObject({
      event: 'assigned',
      worker: 'w1',
      detail: 'attempt 1 of 3',
    });
    expect(dataOf(t.ops[0])).toEqual(JSON.parse(JSON.stringify(t.record)));
  });

  it('start and complete are versioned on the assignment', () => {
    const assigned = assignTransition(ctx(2000), queued(), 0, target).record;
    const started = startTransition(ctx(2100), assigned, 0);
    expect(started.ops[0]).toMatchObject({
      type: 'setData',
      path: paths.assignment('w1', ID),
      version: 0,
    });
    const done = completeTransition(ctx(2200), started.record, 1, { ok: true });
    expect(done.ops.map((o) => [o.type, o.path, 'version' in o ? o.version : undefined])).toEqual([
      ['create', paths.status(ID), undefined],
      ['delete', paths.assignment('w1', ID), 1],
    ]);
    expect(done.record).toMatchObject({ state: 'done', result: { ok: true }, finishedAt: 2200 });
    // A throttled progress value may be stale by then; a finished task carries none.
    const withProgress = { ...started.record, progress: 0.4 };
    expect(completeTransition(ctx(2200), withProgress, 1, null).record.progress).toBeUndefined();
  });

  it('a failed attempt with attempts left is queued again after the backoff', () => {
    const assigned = assignTransition(ctx(2000), queued({ backoffMs: 100 }), 0, target).record;
    const t = failTransition(ctx(3000), assigned, 1, toTaskError(new Error('boom')));
    expect(t.path).toBe(paths.task(ID));
    expect(t.record).toMatchObject({
      state: 'queued',
      notBefore: 3100,
      attempts: 1,
      error: { message: 'boom' },
    });
    expect(t.record.history.slice(-2).map((h) => h.event)).toEqual(['failed', 'retry-scheduled']);
  });

  it('the last failed attempt goes to /dead; a timeout is recorded as such', () => {
    let r = queued({ maxAttempts: 1 });
    r = assignTransition(ctx(2000), r, 0, target).record;
    const t = failTransition(ctx(3000), r, 0, { message: 'too slow' }, { timedOut: true });
    expect(t.path).toBe(paths.dead(ID));
    expect(t.record.state).toBe('dead');
    expect(t.record.history.slice(-2).map((h) => h.event)).toEqual(['timed-out', 'dead']);
  });

  it('a non-retryable error fails the task at once', () => {
    const r = assignTransition(ctx(2000), queued({ maxAttempts: 5 }), 0, target).record;
    const t = failTransition(ctx(3000), r, 0, toTaskError(new NonRetryableError('bad input')), {
      nonRetryable: true,
    });
    expect(t.path).toBe(paths.status(ID));
    expect(t.record.state).toBe('failed');
  });

  it('hand back does not count the interrupted attempt; recovery does', () => {
    const r = assignTransition(ctx(2000), queued({ maxAttempts: 2 }), 0, target).record;
    const back = handBackTransition(ctx(3000), r, 0);
    expect(back.record).toMatchObject({ state: 'queued', attempts: 0 });
    const rec = recoverTransition(ctx(3000), r, 0, 'w1');
    expect(rec.record).toMatchObject({ state: 'queued', attempts: 1 });
    expect(rec.record.history.at(-1)).toMatchObject({ event: 'reassigned', worker: 'w1' });
    const again = assignTransition(ctx(4000), rec.record, 0, target).record;
    const dead = recoverTransition(ctx(5000), again, 0, 'w1');
    expect(dead.path).toBe(paths.dead(ID));
  });

  it('cancel, redrive and prune', () => {
    const c = cancelTransition(
      ctx(2000),
      queued({ idempotencyKey: 'k' }),
      paths.task(ID),
      3,
      'user',
    );
    expect(c.ops.map((o) => [o.type, o.path])).toEqual([
      ['create', paths.status(ID)],
      ['delete', paths.task(ID)],
    ]);
    expect(c.record.state).toBe('cancelled');
    const again = redriveTransition(
      ctx(3000),
      { ...c.record, state: 'dead', attempts: 3 },
      paths.dead(ID),
      0,
    );
    expect(again.record).toMatchObject({ state: 'queued', attempts: 0 });
    const p = pruneTransition(c.record, 0);
    expect(p.ops.map((o) => [o.type, o.path])).toEqual([
      ['delete', paths.status(ID)],
      ['delete', paths.key(keyHash('k'))],
    ]);
  });
});
