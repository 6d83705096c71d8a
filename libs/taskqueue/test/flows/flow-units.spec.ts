import { OPEN_ACL_UNSAFE } from '@shepherd/zk-protocol';
import {
  FLOW_LIMITS,
  FlowMarker,
  FlowRecord,
  InvalidTaskError,
  TaskRecord,
  cancelTransition,
  checkFlowSpec,
  completeTransition,
  decideFlow,
  decodeFlow,
  encodeFlow,
  failTransition,
  findCycle,
  handBackTransition,
  isFlowId,
  locate,
  newFlowId,
  newTaskId,
  newTaskRecord,
  paths,
  promoteTransition,
  redriveTransition,
} from '@shepherd/taskqueue';

const t = (key: string, dependsOn?: string[]) => ({ key, type: 'step', payload: {}, dependsOn });

function invalid(spec: unknown): string {
  try {
    checkFlowSpec(spec);
  } catch (err) {
    expect(err).toBeInstanceOf(InvalidTaskError);
    return (err as Error).message;
  }
  throw new Error('expected InvalidTaskError');
}

describe('flow validation (checkFlowSpec)', () => {
  it('accepts a DAG, keeps options apart and dependencies unique; default policy cancel', () => {
    const checked = checkFlowSpec({
      tasks: [
        { key: 'a', type: 'x', payload: 1, priority: 3, maxAttempts: 2 },
        { ...t('b', ['a', 'a']) },
        { ...t('c', ['a', 'b']) },
      ],
    });
    expect(checked.onDependencyFailure).toBe('cancel');
    expect(checked.tasks[0]).toEqual({
      key: 'a',
      type: 'x',
      payload: 1,
      options: { priority: 3, maxAttempts: 2 },
      dependsOn: [],
    });
    expect(checked.tasks[1].dependsOn).toEqual(['a']);
    expect(checkFlowSpec({ tasks: [t('a')], onDependencyFailure: 'run' }).onDependencyFailure).toBe(
      'run',
    );
  });

  it('refuses cycles, naming them', () => {
    expect(invalid({ tasks: [t('a', ['b']), t('b', ['c']), t('c', ['a'])] })).toBe(
      'the flow has a dependency cycle: a -> b -> c -> a',
    );
    expect(invalid({ tasks: [t('x'), t('a', ['x', 'b']), t('b', ['a'])] })).toMatch(
      /cycle: a -> b -> a/,
    );
  });

  it('refuses unknown keys, duplicates, self-dependencies, bad keys and shapes', () => {
    expect(invalid({ tasks: [t('a', ['nope'])] })).toBe(
      'tasks[0] (a) depends on unknown key "nope"',
    );
    expect(invalid({ tasks: [t('a'), t('b'), t('a')] })).toBe('tasks[2]: duplicate key "a"');
    expect(invalid({ tasks: [t('a', ['a'])] })).toBe('tasks[0] (a) depends on itself');
    expect(invalid({ tasks: [t('..')] })).toMatch(/tasks\[0\]\.key must match/);
    expect(invalid({ tasks: [t('a b')] })).toMatch(/tasks\[0\]\.key must match/);
    expect(invalid({ tasks: [{ ...t('a'), dependsOn: 'b' }] })).toMatch(
      /dependsOn must be an array/,
    );
    expect(invalid({ tasks: [{ ...t('a'), idempotencyKey: 'k' }] })).toMatch(
      /idempotencyKey is not supported/,
    );
    expect(invalid({ tasks: [null] })).toMatch(/tasks\[0\] must be an object/);
    expect(invalid(null)).toMatch(/must be an object/);
    expect(invalid({ tasks: 'a' })).toMatch(/array of 1 to 500/);
    expect(invalid({ tasks: [t('a')], onDependencyFailure: 'skip' })).toMatch(
      /onDependencyFailure must be one of: cancel, run/,
    );
  });

  it(`caps a flow at ${FLOW_LIMITS.maxTasks} tasks; a 500-task chain is fine`, () => {
    const chain = Array.from({ length: FLOW_LIMITS.maxTasks }, (_, i) =>
      t(`k${i}`, i === 0 ? [] : [`k${i - 1}`]),
    );
    expect(checkFlowSpec({ tasks: chain }).tasks).toHaveLength(500);
    expect(invalid({ tasks: [...chain, t('one-more')] })).toMatch(/1 to 500 tasks/);
    expect(
      findCycle(chain.map((c) => ({ key: c.key, dependsOn: c.dependsOn ?? [] }))),
    ).toBeUndefined();
  });
});

function flowOf(tasks: Record<string, string[]>, extra: Partial<FlowRecord> = {}): FlowRecord {
  return {
    v: 1,
    id: 'flow-0mx9a5efbk2x1qab1',
    createdAt: 1,
    onDependencyFailure: 'cancel',
    tasks: Object.fromEntries(
      Object.entries(tasks).map(([k, deps]) => [k, { id: `id-${k}`, type: 'x', dependsOn: deps }]),
    ),
    ...extra,
  };
}

const marks = (m: Record<string, FlowMarker['state']>) =>
  new Map(Object.entries(m).map(([k, state]) => [k, { state, taskId: `id-${k}` }]));

describe('the promotion decision (decideFlow)', () => {
  const diamond = { a: [], b: ['a'], c: ['a'], d: ['b', 'c'] };

  it('promotes a task once all its dependencies are done, not before', () => {
    const flow = flowOf(diamond);
    expect(decideFlow(flow, marks({}), ['b', 'c', 'd'])).toEqual([]);
    expect(decideFlow(flow, marks({ a: 'done' }), ['b', 'c', 'd'])).toEqual([
      { kind: 'promote', key: 'b', done: ['a'], failed: [] },
      { kind: 'promote', key: 'c', done: ['a'], failed: [] },
    ]);
    expect(decideFlow(flow, marks({ a: 'done', b: 'done' }), ['c', 'd'])).toEqual([
      { kind: 'promote', key: 'c', done: ['a'], failed: [] },
    ]);
    expect(decideFlow(flow, marks({ a: 'done', b: 'done', c: 'done' }), ['d'])).toEqual([
      { kind: 'promote', key: 'd', done: ['b', 'c'], failed: [] },
    ]);
  });

  it("cancels on the first dependency that ended otherwise ('cancel'), without waiting", () => {
    const flow = flowOf(diamond);
    expect(decideFlow(flow, marks({ a: 'done', b: 'dead' }), ['c', 'd'])).toEqual([
      { kind: 'promote', key: 'c', done: ['a'], failed: [] },
      { kind: 'cancel', key: 'd', reason: 'dependency b (id-b) ended dead' },
    ]);
    expect(decideFlow(flow, marks({ a: 'cancelled' }), ['b'])).toEqual([
      { kind: 'cancel', key: 'b', reason: 'dependency a (id-a) ended cancelled' },
    ]);
  });

  it("'run' waits for every dependency, then promotes with the failed ones", () => {
    const flow = flowOf(diamond, { onDependencyFailure: 'run' });
    expect(decideFlow(flow, marks({ a: 'done', b: 'failed' }), ['d'])).toEqual([]);
    expect(decideFlow(flow, marks({ a: 'done', b: 'failed', c: 'done' }), ['d'])).toEqual([
      { kind: 'promote', key: 'd', done: ['c'], failed: ['b'] },
    ]);
  });

  it('a cancelled flow cancels every waiting task', () => {
    const flow = flowOf(diamond, { cancelled: { at: 5, reason: 'stop' } });
    expect(decideFlow(flow, marks({ a: 'done' }), ['b', 'd'])).toEqual([
      { kind: 'cancel', key: 'b', reason: 'flow cancelled: stop' },
      { kind: 'cancel', key: 'd', reason: 'flow cancelled: stop' },
    ]);
  });

  it('ignores keys that are not in the flow', () => {
    expect(decideFlow(flowOf(diamond), marks({ a: 'done' }), ['zz'])).toEqual([]);
  });
});

describe('flow ids, records and paths', () => {
  it('makes sortable flow ids', () => {
    const a = newFlowId(1000);
    const b = newFlowId(2000);
    expect(isFlowId(a)).toBe(true);
    expect(a < b).toBe(true);
    expect(isFlowId('flow-x')).toBe(false);
    expect(isFlowId(newTaskId())).toBe(false);
  });

  it('round-trips a flow record and locates flow and waiting paths', () => {
    const flow = flowOf({ a: [] });
    expect(decodeFlow(encodeFlow(flow))).toEqual(flow);
    expect(decodeFlow(Buffer.from('nope'))).toBeUndefined();
    const id = newTaskId();
    expect(locate(paths.waiting(id))).toMatchObject({ area: 'waiting', id });
    expect(locate(paths.flow(flow.id))).toEqual({ area: 'flows', flowId: flow.id });
    expect(locate(paths.flowMarker(flow.id, 'a'))).toEqual({
      area: 'flows',
      flowId: flow.id,
      key: 'a',
    });
  });
});

describe('flow markers in the transitions', () => {
  const ctx = { acl: OPEN_ACL_UNSAFE, now: 10 };
  const flowId = 'flow-0mx9a5efbk2x1qab1';
  function flowTask(state: TaskRecord['state'] = 'running'): TaskRecord {
    const r = newTaskRecord(newTaskId(), 'x', {}, {}, 1);
    return { ...r, state, attempts: 1, worker: 'w', flow: { id: flowId, key: 'k', dependsOn: [] } };
  }
  const creates = (ops: { type: string; path: string }[]) =>
    ops.filter((o) => o.type === 'create').map((o) => o.path);

  it('every terminal move of a flow task creates its marker, in the same multi', () => {
    const marker = paths.flowMarker(flowId, 'k');
    const r = flowTask();
    expect(creates(completeTransition(ctx, r, 3, 1).ops)).toContain(marker);
    expect(
      creates(failTransition(ctx, r, 3, { message: 'x' }, { nonRetryable: true }).ops),
    ).toContain(marker);
    const spent = { ...r, attempts: 3, options: { ...r.options, maxAttempts: 3 } };
    expect(creates(failTransition(ctx, spent, 3, { message: 'x' }).ops)).toContain(marker);
    expect(creates(cancelTransition(ctx, r, '/tasks/00/x', 0).ops)).toContain(marker);
    const done = completeTransition(ctx, r, 3, { ok: 1 });
    const data = done.ops.find((o) => o.path === marker);
    expect(JSON.parse((data as { data: Buffer }).data.toString())).toEqual({
      state: 'done',
      taskId: r.id,
    });
    // Not terminal: no marker.
    expect(creates(failTransition(ctx, r, 3, { message: 'x' }).ops)).not.toContain(marker);
    expect(creates(handBackTransition(ctx, r, 3).ops)).not.toContain(marker);
    expect(creates(promoteTransition(ctx, flowTask('waiting'), 0, {}, {}).ops)).not.toContain(
      marker,
    );
    // A task without a flow has none.
    const plain = { ...r, flow: undefined };
    expect(completeTransition(ctx, plain, 3, 1).ops).toHaveLength(2);
  });

  it('a redrive deletes the marker; a promotion keeps the delay from creation', () => {
    const redriven = redriveTransition(ctx, flowTask('dead'), paths.dead('x'), 0);
    expect(redriven.ops).toContainEqual({
      type: 'delete',
      path: paths.flowMarker(flowId, 'k'),
      version: -1,
    });
    const waiting = { ...flowTask('waiting'), createdAt: 1, notBefore: 501 };
    const promoted = promoteTransition({ ...ctx, now: 1000 }, waiting, 2, { a: 1 }, {});
    expect(promoted.record).toMatchObject({
      state: 'queued',
      notBefore: 1500,
      dependencies: { a: 1 },
    });
    expect(promoted.record.failedDependencies).toBeUndefined();
    expect(promoted.ops).toContainEqual({
      type: 'delete',
      path: paths.waiting(waiting.id),
      version: 2,
    });
  });
});
