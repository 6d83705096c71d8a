import {
  ConnectionLossError,
  EventType,
  NoNodeError,
  SessionExpiredError,
} from '@shepherd/zk-protocol';
import {
  Chroot,
  PendingQueue,
  RetryPolicy,
  WatchRegistry,
  invalidPathReason,
  withRetry,
} from '@shepherd/zk-client';
import { FakeClock } from './fakes';

describe('Chroot', () => {
  const c = new Chroot('/app');
  it('prefixes request paths', () => {
    expect(c.toServer('/')).toBe('/app');
    expect(c.toServer('/a/b')).toBe('/app/a/b');
  });
  it('strips response paths only at a path boundary', () => {
    expect(c.toClient('/app')).toBe('/');
    expect(c.toClient('/app/x')).toBe('/x');
    expect(c.toClient('/apple')).toBe('/apple');
  });
  it('is the identity without a chroot', () => {
    const none = new Chroot();
    expect(none.toServer('/a')).toBe('/a');
    expect(none.toClient('/a')).toBe('/a');
  });
});

describe('invalidPathReason (PathUtils.validatePath)', () => {
  it.each(['/', '/a', '/a/b-c', '/a.b', '/..a'])('accepts %p', (p) =>
    expect(invalidPathReason(p)).toBeUndefined(),
  );
  it.each(['', 'a', '/a/', '//a', '/a//b', '/a/./b', '/a/..', '/a\u0000b', '/a\u0001'])(
    'rejects %p',
    (p) => expect(invalidPathReason(p)).toBeDefined(),
  );
  it('allows a trailing slash for sequential nodes', () => {
    expect(invalidPathReason('/a/', true)).toBeUndefined();
    expect(invalidPathReason('/', true)).toBeDefined();
  });
});

describe('PendingQueue', () => {
  it('is FIFO across compaction', () => {
    const q = new PendingQueue<number>();
    for (let i = 0; i < 5000; i++) q.push(i);
    for (let i = 0; i < 3000; i++) expect(q.shift()).toBe(i);
    q.push(5000);
    expect(q.length).toBe(2001);
    expect(q.peek()).toBe(3000);
    expect(q.drain()).toHaveLength(2001);
    expect(q.shift()).toBeUndefined();
  });
});

describe('WatchRegistry', () => {
  it('consumes one-time watches and keeps persistent ones', () => {
    const r = new WatchRegistry();
    const w = () => undefined;
    r.add('data', '/a', w);
    r.add('data', '/a', w);
    r.add('persistent', '/a', w);
    expect(r.count('data', '/a')).toBe(1);
    expect(r.materialize(EventType.NodeDataChanged, '/a').size).toBe(1);
    expect(r.count('data', '/a')).toBe(0);
    expect(r.materialize(EventType.NodeDataChanged, '/a').size).toBe(1);
  });
  it('NodeDeleted fires data, exist and child watches', () => {
    const r = new WatchRegistry();
    const a = () => undefined;
    const b = () => undefined;
    r.add('data', '/x', a);
    r.add('child', '/x', b);
    expect(r.materialize(EventType.NodeDeleted, '/x')).toEqual(new Set([a, b]));
    expect(r.isEmpty()).toBe(true);
  });
});

describe('retry helper', () => {
  it('retries ConnectionLoss with exponential backoff until success', async () => {
    const clock = new FakeClock();
    const delays: number[] = [];
    const spy = clock.setTimeout.bind(clock);
    clock.setTimeout = (fn, ms) => (delays.push(ms), spy(fn, ms));
    let calls = 0;
    const p = withRetry(
      async () => {
        if (++calls < 4) throw new ConnectionLossError();
        return 'ok';
      },
      { clock, jitter: false, baseDelayMs: 100, maxDelayMs: 250 },
    );
    for (let i = 0; i < 3; i++) {
      await new Promise((r) => setImmediate(r));
      clock.advance(1000);
    }
    await expect(p).resolves.toBe('ok');
    expect(calls).toBe(4);
    expect(delays).toEqual([100, 200, 250]);
  });

  it('does not retry other errors, and gives up after maxAttempts', async () => {
    let calls = 0;
    await expect(
      withRetry(async () => {
        calls++;
        throw new NoNodeError('/x');
      }),
    ).rejects.toBeInstanceOf(NoNodeError);
    expect(calls).toBe(1);
    const policy = new RetryPolicy({ maxAttempts: 3, baseDelayMs: 0 });
    calls = 0;
    await expect(
      policy.run(async () => {
        calls++;
        throw new ConnectionLossError();
      }),
    ).rejects.toBeInstanceOf(ConnectionLossError);
    expect(calls).toBe(3);
    expect(policy.shouldRetry(new SessionExpiredError(), 1)).toBe(false);
  });

  it('full jitter stays within [0, backoff]', () => {
    const p = new RetryPolicy({ baseDelayMs: 100, random: () => 0.5 });
    expect(p.delayFor(1)).toBe(50);
    expect(p.delayFor(3)).toBe(200);
  });
});
