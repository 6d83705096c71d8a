import { SessionExpiredError, SessionMovedError, UnknownSessionError } from '@shepherd/zk-protocol';
import type { Clock, TimerHandle } from '@shepherd/zk-protocol';
import { ExpiryQueue } from './expiry-queue';
import { Session, SessionRecord } from './session';
import { STANDALONE_SERVER_ID, initializeNextSessionId, nextSessionIdAfter } from './session-id';
import { checkSessionPassword, sessionPassword } from './session-password';
import {
  SessionTimeoutBounds,
  negotiateSessionTimeout,
  sessionTimeoutBounds,
} from './session-timeout';

export interface SessionTrackerOptions<O> {
  clock: Clock;
  /** ZooKeeper's tickTime: the width of an expiry bucket, and the unit of the timeout defaults. */
  tickTime: number;
  /** Default 2 * tickTime. */
  minSessionTimeout?: number;
  /** Default 20 * tickTime. */
  maxSessionTimeout?: number;
  /** High byte of every session id; 0 in standalone. */
  serverId?: number;
  /**
   * Key of the session passwords. Must be persisted with the data: a client re-attaching
   * after a restart is only accepted if the same secret derives the same password.
   */
  secret: Buffer | string;
  /**
   * Called once per expired session, already marked closing, in bucket order (SessionExpirer).
   * The server answers by logging a closeSession txn; applying it calls removeSession().
   */
  onExpire: (session: Session<O>) => void;
}

/**
 * Standalone session tracking after ZooKeeper's SessionTrackerImpl + the session half of
 * ZooKeeperServer: ids, passwords, timeout negotiation, tick-bucketed expiry, and ownership.
 *
 * Expiry runs on the injected Clock instead of a thread: after start(), the tracker keeps one
 * timer set for the next bucket boundary (it wakes every tick, like SessionTrackerImpl.run), and
 * on waking polls every due bucket, marks those sessions closing and calls onExpire for each.
 * An expired session stays tracked (closing) until removeSession(), as in ZooKeeper.
 *
 * Ownership: ZooKeeper standalone stamps every request with the same owner (ServerCnxn.me) and
 * handles a re-attach by closing the old connection (CLIENT_RECONNECT); SessionMoved only occurs
 * between quorum servers. Here the owner is the connection object itself: setOwner() moves the
 * session and returns the previous owner for the connection layer to close; checkSession() from
 * a stale connection then fails with SessionMoved, which is what a client would see in a
 * quorum when its session moved.
 */
export class SessionTracker<O = unknown> {
  readonly timeoutBounds: SessionTimeoutBounds;
  private readonly sessions = new Map<bigint, Session<O>>();
  private readonly queue: ExpiryQueue<Session<O>>;
  private readonly serverId: number;
  private nextSessionId: bigint;
  private timer: TimerHandle | undefined;
  private running = false;

  constructor(private readonly options: SessionTrackerOptions<O>) {
    const { clock, tickTime } = options;
    this.timeoutBounds = sessionTimeoutBounds(
      tickTime,
      options.minSessionTimeout,
      options.maxSessionTimeout,
    );
    this.serverId = options.serverId ?? STANDALONE_SERVER_ID;
    this.queue = new ExpiryQueue(tickTime, clock.now());
    this.nextSessionId = initializeNextSessionId(clock.now(), this.serverId);
  }

  /** Begins expiring sessions (idempotent). */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule();
  }

  /** Stops the expiry timer; sessions stay as they are. */
  shutdown(): void {
    this.running = false;
    if (this.timer !== undefined) this.options.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** The timeout a connect request for `requested` ms gets (processConnectRequest). */
  negotiateTimeout(requested: number): number {
    return negotiateSessionTimeout(requested, this.timeoutBounds);
  }

  /**
   * A new session for a connect request with session id 0: negotiates the timeout, assigns the
   * next id and starts its expiry. Log a CreateSessionTxn with session.timeout.
   */
  createSession(requestedTimeout: number): Session<O> {
    const timeout = this.negotiateTimeout(requestedTimeout);
    let id = this.nextSessionId;
    // Ids are seeded from the clock; after a restart within the same millisecond (fake clocks)
    // or a clock step backwards the seed could land on a restored session: skip those.
    while (this.sessions.has(id) || id === 0n) id = nextSessionIdAfter(id);
    this.nextSessionId = nextSessionIdAfter(id);
    return this.trackSession(id, timeout);
  }

  /**
   * Tracks a session with a known id and timeout, as is (no negotiation): used when replaying
   * createSession txns. Existing sessions are kept and just touched (trackSession).
   */
  trackSession(id: bigint, timeout: number): Session<O> {
    let session = this.sessions.get(id);
    if (!session) {
      session = new Session<O>(id, timeout);
      this.sessions.set(id, session);
      this.bumpNextIdPast(id);
    }
    this.queue.update(session, timeout, this.options.clock.now());
    return session;
  }

  /**
   * Re-adds persisted sessions after a restart, each with a full timeout starting now, so
   * clients that reconnect within their timeout keep their session and ephemerals.
   */
  restore(records: Iterable<SessionRecord>): void {
    for (const r of records) this.trackSession(r.id, r.timeout);
  }

  /** Every tracked session with its creation timeout, for snapshots (sessionsWithTimeout). */
  records(): SessionRecord[] {
    return [...this.sessions.values()].map((s) => ({ id: s.id, timeout: s.timeout }));
  }

  get(id: bigint): Session<O> | undefined {
    return this.sessions.get(id);
  }

  isTracking(id: bigint): boolean {
    return this.sessions.has(id);
  }

  get size(): number {
    return this.sessions.size;
  }

  sessionIds(): bigint[] {
    return [...this.sessions.keys()];
  }

  /** The password of a session (returned in the ConnectResponse). */
  passwordFor(id: bigint): Buffer {
    return sessionPassword(id, this.options.secret);
  }

  /** ZooKeeperServer.checkPasswd: needs only the id and the secret, not a tracked session. */
  checkPassword(id: bigint, passwd: Buffer | Uint8Array): boolean {
    return checkSessionPassword(id, passwd, this.options.secret);
  }

  /**
   * Pushes the session's deadline to now + timeout (rounded up to a bucket). Call on every
   * packet, with the connection's negotiated timeout. False if the session is unknown or
   * closing: the connection must then be closed (ZooKeeperServer.touch -> MissingSession).
   */
  touch(id: bigint, timeout: number): boolean {
    const session = this.sessions.get(id);
    if (!session || session.isClosing) return false;
    this.queue.update(session, timeout, this.options.clock.now());
    return true;
  }

  /**
   * Re-attach (ZooKeeperServer.reopenSession + revalidateSession): right password and a live
   * session -> touched with the new connection's timeout and returned; otherwise undefined,
   * and the client is told its session expired (ConnectResponse with timeout 0, id 0).
   * Ownership is not changed here: call setOwner() once the connection is established.
   */
  reopenSession(id: bigint, passwd: Buffer | Uint8Array, timeout: number): Session<O> | undefined {
    if (!this.checkPassword(id, passwd)) return undefined;
    return this.touch(id, timeout) ? this.sessions.get(id) : undefined;
  }

  /**
   * SessionTrackerImpl.setOwner: attaches the session to `owner`. Returns the previous owner
   * when it was a different one, which the connection layer should close.
   * Throws SessionExpired if the session is unknown or closing.
   */
  setOwner(id: bigint, owner: O): O | undefined {
    const session = this.sessions.get(id);
    if (!session || session.isClosing) throw new SessionExpiredError();
    const previous = session.owner;
    session.owner = owner;
    return previous !== undefined && previous !== owner ? previous : undefined;
  }

  /** Forgets the owner if it is still `owner` (its connection closed without a re-attach). */
  detach(id: bigint, owner: O): void {
    const session = this.sessions.get(id);
    if (session && session.owner === owner) session.owner = undefined;
  }

  /**
   * SessionTrackerImpl.checkSession, run when prepping a write: UnknownSession if not tracked,
   * SessionExpired if closing, SessionMoved if another connection owns it; an unowned session
   * is claimed by `owner`.
   */
  checkSession(id: bigint, owner: O): void {
    const session = this.sessions.get(id);
    if (!session) throw new UnknownSessionError();
    if (session.isClosing) throw new SessionExpiredError();
    if (session.owner === undefined) session.owner = owner;
    else if (session.owner !== owner) throw new SessionMovedError();
  }

  /** Marks the session closing (a closeSession was prepped); it stays tracked until removed. */
  setSessionClosing(id: bigint): void {
    const session = this.sessions.get(id);
    if (session) session.isClosing = true;
  }

  /** Forgets the session (its closeSession txn was applied). */
  removeSession(id: bigint): void {
    const session = this.sessions.get(id);
    if (!session) return;
    this.sessions.delete(id);
    this.queue.remove(session);
  }

  /** Deadline (bucket time) of a session, or undefined if expired/unknown. */
  expiryOf(id: bigint): number | undefined {
    const session = this.sessions.get(id);
    return session ? this.queue.expiryOf(session) : undefined;
  }

  /** Bucket time -> session ids (SessionTrackerImpl.getSessionExpiryMap, for 4lw dump). */
  sessionExpiryMap(): Map<number, bigint[]> {
    const out = new Map<number, bigint[]>();
    for (const [time, sessions] of this.queue.expiryMap()) {
      out.set(
        time,
        sessions.map((s) => s.id),
      );
    }
    return out;
  }

  /** Expires every due bucket now. The timer calls this; tests may call it directly. */
  expireDue(): void {
    const now = this.options.clock.now();
    const expired: Session<O>[] = [];
    while (this.queue.getWaitTime(now) === 0) {
      for (const session of this.queue.poll(now)) {
        session.isClosing = true;
        expired.push(session);
      }
    }
    // Hand out after the bookkeeping, so onExpire may re-enter the tracker (removeSession).
    // A throwing callback does not stop the others; the first error is rethrown at the end.
    let firstError: unknown;
    let failed = false;
    for (const session of expired) {
      try {
        this.options.onExpire(session);
      } catch (e) {
        if (!failed) firstError = e;
        failed = true;
      }
    }
    if (failed) throw firstError;
  }

  private schedule(): void {
    const { clock } = this.options;
    this.timer = clock.setTimeout(() => this.wake(), this.queue.getWaitTime(clock.now()));
  }

  private wake(): void {
    this.timer = undefined;
    if (!this.running) return;
    try {
      this.expireDue();
    } finally {
      if (this.running && this.timer === undefined) this.schedule();
    }
  }

  private bumpNextIdPast(id: bigint): void {
    // Only ids of this server's layout matter (same high byte).
    if (id >> 56n === this.nextSessionId >> 56n && id >= this.nextSessionId) {
      this.nextSessionId = nextSessionIdAfter(id);
    }
  }
}
