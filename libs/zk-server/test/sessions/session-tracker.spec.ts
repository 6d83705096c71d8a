import {
  ErrorCode,
  KeeperError,
  SessionExpiredError,
  SessionMovedError,
  UnknownSessionError,
} from '@shepherd/zk-protocol';
import {
  Session,
  SessionTracker,
  SessionTrackerOptions,
  initializeNextSessionId,
} from '@shepherd/zk-server';
import { FakeClock } from '../../../../test/support/fake-clock';

const TICK = 2000;
// Date.UTC(2024, 0, 1) is a multiple of TICK, so bucket arithmetic below is exact.
const T0 = Date.UTC(2024, 0, 1);

interface Conn {
  name: string;
}

function setup(
  over: Partial<SessionTrackerOptions<Conn>> = {},
  clock = new FakeClock(T0),
): { clock: FakeClock; tracker: SessionTracker<Conn>; expired: bigint[] } {
  const expired: bigint[] = [];
  const tracker = new SessionTracker<Conn>({
    clock,
    tickTime: TICK,
    secret: 'secret',
    onExpire: (s) => expired.push(s.id),
    ...over,
  });
  tracker.start();
  return { clock, tracker, expired };
}

function codeOf(fn: () => void): ErrorCode | undefined {
  try {
    fn();
  } catch (e) {
    if (e instanceof KeeperError) return e.code;
    throw e;
  }
  return undefined;
}

describe('SessionTracker: creation', () => {
  it('assigns ids from the clock in the ZooKeeper layout, counting up', () => {
    const { tracker } = setup();
    const a = tracker.createSession(10_000);
    const b = tracker.createSession(10_000);
    expect(a.id).toBe(initializeNextSessionId(T0, 0));
    expect(a.id & 0xffffn).toBe(0n);
    expect(b.id).toBe(a.id + 1n);
    expect(tracker.size).toBe(2);
    expect(tracker.isTracking(a.id)).toBe(true);
  });

  it('uses the server id as the high byte', () => {
    const { tracker } = setup({ serverId: 3 });
    expect(tracker.createSession(10_000).id >> 56n).toBe(3n);
  });

  it('negotiates the timeout into [2, 20] ticks by default', () => {
    const { tracker } = setup();
    expect(tracker.createSession(1).timeout).toBe(2 * TICK);
    expect(tracker.createSession(10_000).timeout).toBe(10_000);
    expect(tracker.createSession(1_000_000).timeout).toBe(20 * TICK);
    expect(tracker.negotiateTimeout(100)).toBe(4000);
  });

  it('honours configured bounds', () => {
    const { tracker } = setup({ minSessionTimeout: 6000, maxSessionTimeout: 8000 });
    expect(tracker.timeoutBounds).toEqual({ min: 6000, max: 8000 });
    expect(tracker.createSession(4000).timeout).toBe(6000);
    expect(tracker.createSession(9000).timeout).toBe(8000);
  });

  it('gives reproducible passwords and checks them', () => {
    const { tracker } = setup();
    const s = tracker.createSession(10_000);
    const p = tracker.passwordFor(s.id);
    expect(p).toHaveLength(16);
    expect(tracker.checkPassword(s.id, p)).toBe(true);
    expect(tracker.checkPassword(s.id + 1n, p)).toBe(false);
    // Another tracker (a restarted server) with the same secret agrees; another secret doesn't.
    expect(setup({}, new FakeClock(T0 + 99_999)).tracker.checkPassword(s.id, p)).toBe(true);
    expect(setup({ secret: 'other' }).tracker.checkPassword(s.id, p)).toBe(false);
  });
});

describe('SessionTracker: expiry', () => {
  it('expires a session at the bucket boundary after its timeout, not before', () => {
    const { clock, tracker, expired } = setup();
    const s = tracker.createSession(4000); // deadline T0+4000, rounded up to T0+6000
    expect(tracker.expiryOf(s.id)).toBe(T0 + 6000);
    clock.advance(5999);
    expect(expired).toEqual([]);
    expect(s.isClosing).toBe(false);
    clock.advance(1);
    expect(expired).toEqual([s.id]);
    expect(s.isClosing).toBe(true);
    // Stays tracked (closing) until its closeSession is applied.
    expect(tracker.isTracking(s.id)).toBe(true);
    expect(tracker.touch(s.id, 4000)).toBe(false);
    tracker.removeSession(s.id);
    expect(tracker.isTracking(s.id)).toBe(false);
  });

  it('gives the rounding grace from a mid-tick start', () => {
    const { clock, tracker, expired } = setup();
    clock.advance(1500);
    const s = tracker.createSession(4000); // T0+5500 -> T0+6000
    expect(tracker.expiryOf(s.id)).toBe(T0 + 6000);
    clock.advanceTo(T0 + 6000);
    expect(expired).toEqual([s.id]);
  });

  it('touch moves the deadline; a touched session outlives an untouched one', () => {
    const { clock, tracker, expired } = setup();
    const a = tracker.createSession(4000);
    const b = tracker.createSession(4000);
    clock.advance(3000);
    expect(tracker.touch(a.id, 4000)).toBe(true); // T0+7000 -> T0+8000
    expect(tracker.expiryOf(a.id)).toBe(T0 + 8000);
    clock.advanceTo(T0 + 6000);
    expect(expired).toEqual([b.id]);
    clock.advanceTo(T0 + 7999);
    expect(expired).toEqual([b.id]);
    clock.advanceTo(T0 + 8000);
    expect(expired).toEqual([b.id, a.id]);
  });

  it('touch uses the timeout passed in (the connection negotiated one)', () => {
    const { clock, tracker, expired } = setup();
    const s = tracker.createSession(4000);
    tracker.touch(s.id, 20_000); // T0+20000 -> T0+22000
    clock.advanceTo(T0 + 21_999);
    expect(expired).toEqual([]);
    clock.advance(1);
    expect(expired).toEqual([s.id]);
    expect(s.timeout).toBe(4000); // the creation timeout is unchanged
  });

  it('touch of an unknown session is refused', () => {
    const { tracker } = setup();
    expect(tracker.touch(42n, 4000)).toBe(false);
  });

  it('expires in deadline order, and in creation order within a bucket', () => {
    const { clock, tracker, expired } = setup();
    const late = tracker.createSession(10_000); // T0+12000
    const early1 = tracker.createSession(4000); // T0+6000
    const mid = tracker.createSession(6000); // T0+8000
    const early2 = tracker.createSession(5000); // T0+5000 -> T0+6000
    // One big jump: the tracker wakes once and catches up bucket by bucket.
    clock.advance(60_000);
    expect(expired).toEqual([early1.id, early2.id, mid.id, late.id]);
  });

  it('a removed session never expires', () => {
    const { clock, tracker, expired } = setup();
    const s = tracker.createSession(4000);
    tracker.removeSession(s.id);
    tracker.removeSession(s.id); // idempotent
    clock.advance(60_000);
    expect(expired).toEqual([]);
    expect(tracker.expiryOf(s.id)).toBeUndefined();
  });

  it('lets onExpire re-enter the tracker and keeps running afterwards', () => {
    const clock = new FakeClock(T0);
    const seen: Session<Conn>[] = [];
    const tracker: SessionTracker<Conn> = new SessionTracker<Conn>({
      clock,
      tickTime: TICK,
      secret: 's',
      onExpire: (s) => {
        seen.push(s);
        tracker.removeSession(s.id); // as applying the closeSession txn would
      },
    });
    tracker.start();
    const a = tracker.createSession(4000);
    clock.advance(6000);
    expect(seen.map((s) => s.id)).toEqual([a.id]);
    expect(tracker.size).toBe(0);
    const b = tracker.createSession(4000);
    clock.advance(6000);
    expect(seen.map((s) => s.id)).toEqual([a.id, b.id]);
  });

  it('still hands every expired session out when one callback throws', () => {
    const clock = new FakeClock(T0);
    const seen: bigint[] = [];
    const tracker = new SessionTracker<Conn>({
      clock,
      tickTime: TICK,
      secret: 's',
      onExpire: (s) => {
        seen.push(s.id);
        if (seen.length === 1) throw new Error('boom');
      },
    });
    tracker.start();
    const a = tracker.createSession(4000);
    const b = tracker.createSession(4000);
    expect(() => clock.advance(6000)).toThrow('boom');
    expect(seen).toEqual([a.id, b.id]);
    // The timer was re-armed despite the error.
    expect(clock.pending).toBe(1);
  });

  it('does nothing before start() and after shutdown(), leaving no timer behind', () => {
    const clock = new FakeClock(T0);
    const expired: bigint[] = [];
    const tracker = new SessionTracker<Conn>({
      clock,
      tickTime: TICK,
      secret: 's',
      onExpire: (s) => expired.push(s.id),
    });
    const s = tracker.createSession(4000);
    clock.advance(10_000);
    expect(expired).toEqual([]);
    expect(clock.pending).toBe(0);
    tracker.start();
    tracker.start();
    expect(clock.pending).toBe(1);
    clock.advance(0); // the overdue buckets go at once
    expect(expired).toEqual([s.id]);
    tracker.shutdown();
    expect(clock.pending).toBe(0);
    tracker.createSession(4000);
    clock.advance(60_000);
    expect(expired).toEqual([s.id]);
  });

  it('expireDue can be driven by hand', () => {
    const { clock, tracker, expired } = setup();
    tracker.shutdown();
    const s = tracker.createSession(4000);
    clock.advance(6000);
    expect(expired).toEqual([]);
    tracker.expireDue();
    expect(expired).toEqual([s.id]);
  });

  it('reports bucket -> session ids for the dump command', () => {
    const { tracker } = setup();
    const a = tracker.createSession(4000);
    const b = tracker.createSession(8000);
    const c = tracker.createSession(4000);
    expect([...tracker.sessionExpiryMap()]).toEqual([
      [T0 + 6000, [a.id, c.id]],
      [T0 + 10_000, [b.id]],
    ]);
  });
});

describe('SessionTracker: ownership and state checks', () => {
  const c1: Conn = { name: 'c1' };
  const c2: Conn = { name: 'c2' };

  it('checkSession claims an unowned session, then refuses another owner (SessionMoved)', () => {
    const { tracker } = setup();
    const s = tracker.createSession(10_000);
    expect(s.owner).toBeUndefined();
    tracker.checkSession(s.id, c1);
    expect(s.owner).toBe(c1);
    expect(() => tracker.checkSession(s.id, c1)).not.toThrow();
    expect(() => tracker.checkSession(s.id, c2)).toThrow(SessionMovedError);
  });

  it('setOwner moves the session and returns the connection to close', () => {
    const { tracker } = setup();
    const s = tracker.createSession(10_000);
    expect(tracker.setOwner(s.id, c1)).toBeUndefined();
    expect(tracker.setOwner(s.id, c1)).toBeUndefined();
    expect(tracker.setOwner(s.id, c2)).toBe(c1);
    expect(s.owner).toBe(c2);
    expect(codeOf(() => tracker.checkSession(s.id, c1))).toBe(ErrorCode.SessionMoved);
    tracker.checkSession(s.id, c2);
  });

  it('detach forgets only the current owner', () => {
    const { tracker } = setup();
    const s = tracker.createSession(10_000);
    tracker.setOwner(s.id, c2);
    tracker.detach(s.id, c1);
    expect(s.owner).toBe(c2);
    tracker.detach(s.id, c2);
    expect(s.owner).toBeUndefined();
    tracker.checkSession(s.id, c1);
    expect(s.owner).toBe(c1);
  });

  it('unknown -> UnknownSession, closing -> SessionExpired', () => {
    const { tracker } = setup();
    expect(() => tracker.checkSession(7n, c1)).toThrow(UnknownSessionError);
    expect(() => tracker.setOwner(7n, c1)).toThrow(SessionExpiredError);
    const s = tracker.createSession(10_000);
    tracker.setSessionClosing(s.id);
    tracker.setSessionClosing(99n); // unknown: ignored
    expect(s.isClosing).toBe(true);
    expect(() => tracker.checkSession(s.id, c1)).toThrow(SessionExpiredError);
    expect(() => tracker.setOwner(s.id, c1)).toThrow(SessionExpiredError);
    expect(tracker.touch(s.id, 10_000)).toBe(false);
  });

  it('reopenSession needs the right password and a live session, and touches it', () => {
    const { clock, tracker, expired } = setup();
    const s = tracker.createSession(4000);
    const p = tracker.passwordFor(s.id);
    clock.advance(3000);
    expect(tracker.reopenSession(s.id, Buffer.alloc(16), 4000)).toBeUndefined();
    expect(tracker.reopenSession(s.id, p, 8000)).toBe(s); // T0+11000 -> T0+12000
    clock.advanceTo(T0 + 11_999);
    expect(expired).toEqual([]);
    clock.advance(1);
    expect(expired).toEqual([s.id]);
    expect(tracker.reopenSession(s.id, p, 4000)).toBeUndefined(); // closing now
  });
});

describe('SessionTracker: restart', () => {
  it('restores sessions with full timeouts from now, re-attachable with the same secret', () => {
    const first = setup();
    const a = first.tracker.createSession(4000);
    const b = first.tracker.createSession(10_000);
    const password = first.tracker.passwordFor(a.id);
    const records = first.tracker.records();
    expect(records).toEqual([
      { id: a.id, timeout: 4000 },
      { id: b.id, timeout: 10_000 },
    ]);
    first.tracker.shutdown();

    // The server comes back an hour later.
    const later = T0 + 3_600_000;
    const second = setup({}, new FakeClock(later));
    second.tracker.restore(records);
    expect(second.tracker.expiryOf(a.id)).toBe(later + 6000);
    expect(second.tracker.get(b.id)?.timeout).toBe(10_000);
    expect(second.tracker.reopenSession(a.id, password, 4000)?.id).toBe(a.id);

    second.clock.advance(5999);
    expect(second.expired).toEqual([]);
    second.clock.advance(1);
    expect(second.expired).toEqual([a.id]);
    second.clock.advanceTo(later + 12_000);
    expect(second.expired).toEqual([a.id, b.id]);
  });

  it('does not reuse a restored id when the clock seeds the same ids again', () => {
    const first = setup();
    const a = first.tracker.createSession(4000);
    const b = first.tracker.createSession(4000);
    const second = setup({}, new FakeClock(T0)); // same seed time
    second.tracker.restore(first.tracker.records());
    const c = second.tracker.createSession(4000);
    expect(c.id).toBe(b.id + 1n);
    expect([a.id, b.id]).not.toContain(c.id);
  });

  it('trackSession keeps an existing session and just touches it (replay)', () => {
    const { clock, tracker } = setup();
    const s = tracker.trackSession(0x5000n, 4000);
    clock.advance(3000);
    expect(tracker.trackSession(0x5000n, 12_000)).toBe(s);
    expect(s.timeout).toBe(4000);
    expect(tracker.expiryOf(0x5000n)).toBe(T0 + 16_000);
    expect(tracker.sessionIds()).toEqual([0x5000n]);
  });
});
