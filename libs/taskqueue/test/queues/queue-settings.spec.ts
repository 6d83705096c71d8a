import {
  InvalidTaskError,
  QueueGate,
  QueueSettings,
  StartLog,
  applyQueuePatch,
  decodeQueueSettings,
  encodeQueueSettings,
  validateQueuePatch,
} from '@shepherd/taskqueue';

describe('queue settings: validation', () => {
  it.each([
    [null],
    [[]],
    [{ paused: 'yes' }],
    [{ concurrency: 0 }],
    [{ concurrency: 1.5 }],
    [{ concurrency: 100_001 }],
    [{ rateLimit: { max: 0, perMs: 1000 } }],
    [{ rateLimit: { max: 1, perMs: 0 } }],
    [{ rateLimit: { max: 1, perMs: 86_400_001 } }],
    [{ rateLimit: { max: 1 } }],
    [{ rateLimit: { max: 1, perMs: 10, extra: 1 } }],
    [{ other: true }],
    [{ groupConcurrency: 0 }],
    [{ groupConcurrency: '2' }],
  ])('refuses %j', (patch) => {
    expect(() => validateQueuePatch(patch)).toThrow(InvalidTaskError);
  });

  it('accepts valid values and null to clear', () => {
    expect(() =>
      validateQueuePatch({ paused: true, concurrency: 100_000, rateLimit: { max: 1, perMs: 1 } }),
    ).not.toThrow();
    expect(() =>
      validateQueuePatch({ concurrency: null, rateLimit: null, groupConcurrency: null }),
    ).not.toThrow();
    expect(() => validateQueuePatch({ groupConcurrency: 2 })).not.toThrow();
    expect(() => validateQueuePatch({})).not.toThrow();
  });

  it('patches field by field; null clears; round-trips through JSON', () => {
    const a = applyQueuePatch({}, { paused: true, concurrency: 3 });
    const b = applyQueuePatch(a, { rateLimit: { max: 2, perMs: 1000 } });
    expect(b).toEqual({ paused: true, concurrency: 3, rateLimit: { max: 2, perMs: 1000 } });
    const c = applyQueuePatch(b, { paused: false, concurrency: null });
    expect(c).toEqual({ rateLimit: { max: 2, perMs: 1000 } });
    expect(decodeQueueSettings(encodeQueueSettings(c))).toEqual(c);
    expect(decodeQueueSettings(Buffer.from('not json'))).toEqual({});
    const d = applyQueuePatch(c, { groupConcurrency: 2 });
    expect(decodeQueueSettings(encodeQueueSettings(d))).toEqual({ ...c, groupConcurrency: 2 });
    expect(applyQueuePatch(d, { groupConcurrency: null })).toEqual(c);
  });
});

describe('QueueGate: the planner skips blocked types', () => {
  const gate = (
    settings: Record<string, QueueSettings>,
    active: Record<string, number> = {},
    starts: Record<string, number[]> = {},
    now = 10_000,
  ) =>
    new QueueGate(
      new Map(Object.entries(settings)),
      (t) => active[t] ?? 0,
      (t) => starts[t] ?? [],
      now,
    );

  /** What a round over `types` (queue order) would let through. */
  function plan(g: QueueGate, types: string[]): string[] {
    const out: string[] = [];
    for (const t of types) {
      if (!g.allows(t)) continue;
      g.take(t);
      out.push(t);
    }
    return out;
  }

  it('a paused type at the head does not stop the others', () => {
    expect(plan(gate({ a: { paused: true } }), ['a', 'a', 'b', 'a', 'c'])).toEqual(['b', 'c']);
  });

  it('caps a type at its concurrency, counting what already runs', () => {
    expect(plan(gate({ a: { concurrency: 3 } }, { a: 1 }), ['a', 'a', 'a', 'b', 'a'])).toEqual([
      'a',
      'a',
      'b',
    ]);
  });

  it('lets at most max start per window, and says when the next may', () => {
    const g = gate({ a: { rateLimit: { max: 2, perMs: 1000 } } }, {}, { a: [9_500] });
    expect(plan(g, ['a', 'a', 'a', 'b'])).toEqual(['a', 'b']);
    expect(g.nextAllowedAt).toBe(10_501);
    // Starts older than the window do not count.
    expect(
      plan(gate({ a: { rateLimit: { max: 2, perMs: 100 } } }, {}, { a: [1, 2] }), ['a', 'a', 'a']),
    ).toEqual(['a', 'a']);
  });

  it('caps each group at groupConcurrency; a busy group never blocks the others', () => {
    const running: Record<string, number> = { 'a/g1': 1 };
    const g = new QueueGate(
      new Map([['a', { groupConcurrency: 2 }]]),
      () => 0,
      () => [],
      0,
      (t, group) => running[`${t}/${group}`] ?? 0,
    );
    const order: [string, string | undefined][] = [
      ['a', 'g1'],
      ['a', 'g1'],
      ['a', 'g1'],
      ['a', 'g2'],
      ['a', undefined],
      ['a', 'g2'],
      ['a', 'g2'],
      ['b', 'g1'],
    ];
    const out: string[] = [];
    for (const [t, group] of order) {
      if (!g.allows(t, group)) continue;
      g.take(t, group);
      out.push(`${t}/${group ?? '-'}`);
    }
    // g1 had one running: one more; g2 two; no group: not limited; type b: no setting.
    expect(out).toEqual(['a/g1', 'a/g2', 'a/-', 'a/g2', 'b/g1']);
  });

  it('StartLog keeps the starts within the window, dropping expired ones in bulk', () => {
    const log = new StartLog();
    for (const t of [1, 2, 50, 90]) log.record('a', t);
    // A few expired starts may stay ahead of the window; the gate looks for where it begins.
    expect(log.recent('a', 100, 60).filter((t) => t > 40)).toEqual([50, 90]);
    expect(log.recent('b', 100, 60)).toEqual([]);
    for (let t = 0; t < 200; t++) log.record('c', t);
    expect(log.recent('c', 250, 100)).toEqual(Array.from({ length: 49 }, (_, i) => 151 + i));
    expect(log.recent('c', 1000, 100)).toEqual([]);
  });

  it('the gate counts only the starts inside the window, many or few', () => {
    const starts = Array.from({ length: 5000 }, (_, i) => 5_000 + i); // 5,000..9,999
    const g = gate({ a: { rateLimit: { max: 2_001, perMs: 2_000 } } }, {}, { a: starts }, 10_000);
    // In the window (8,000, 10,000]: 1,999 starts, so two more may start, then a third waits
    // until the oldest in the window (8,001) leaves it.
    expect(plan(g, ['a', 'a', 'a'])).toEqual(['a', 'a']);
    expect(g.nextAllowedAt).toBe(8_001 + 2_000 + 1);
  });
});
