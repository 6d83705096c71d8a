import {
  AuthFailedError,
  ConnectResponse,
  ConnectionLossError,
  ErrorCode,
  KeeperError,
  KeeperState,
  OpCode,
  ReplyHeader,
  Request,
  Response,
  SessionExpiredError,
  WatcherEvent,
  Xid,
  encodeConnectRequest,
  encodeRequest,
  errorFromCode,
} from '@shepherd/zk-protocol';
import { AuthEntry, AuthStore } from './auth-store';
import { Call } from './call';
import { ClientState, isAlive, isConnected } from './client-state';
import type { Clock, TimerHandle } from '@shepherd/zk-protocol';
import { Connection, ConnectionHandler } from './connection';
import { Heartbeat } from './heartbeat';
import { HostAddress } from './connect-string';
import { HostProvider } from './host-provider';
import { buildSetWatches } from './set-watches';
import { TransportFactory } from './transport';
import { WatchRegistry } from './watch-registry';

export interface SessionConfig {
  hosts: HostProvider;
  transportFactory: TransportFactory;
  clock: Clock;
  sessionTimeout: number;
  sessionId?: bigint;
  sessionPassword?: Buffer;
  connectTimeout?: number;
  maxFrameSize?: number;
  registry: WatchRegistry;
  /** Client path -> server path, for re-registering watches. */
  toServerPath(path: string): string;
  onSessionEvent(state: KeeperState): void;
  onNotification(event: WatcherEvent): void;
}

const NO_PASSWORD = Buffer.alloc(16);

/**
 * The session state machine and reconnect loop (ClientCnxn.SendThread): dial hosts in turn,
 * handshake, replay auth and watches, pipeline requests, and tell loss (reconnect, same
 * session) from expiry (final).
 */
export class Session implements ConnectionHandler<Call> {
  state = ClientState.NOT_CONNECTED;
  sessionId: bigint;
  password: Buffer;
  negotiatedTimeout = 0;
  lastZxid = 0n;
  /** Why the last connection went away (diagnostics). */
  lastLossReason: Error | undefined;
  readonly auth = new AuthStore();
  private conn: Connection<Call> | undefined;
  private queued: Array<{ call: Call; request: Request }> = [];
  private authSent: AuthEntry[] = [];
  private xid = 1;
  private closing = false;
  private ready = false;
  private connectTimer: TimerHandle | undefined;
  private dialTimer: TimerHandle | undefined;
  private readonly heartbeat: Heartbeat;
  private readyWaiters: Array<{ resolve(): void; reject(err: Error): void }> = [];
  private closeWaiters: Array<() => void> = [];
  private pingFrame: Buffer | undefined;

  constructor(private readonly cfg: SessionConfig) {
    this.sessionId = cfg.sessionId ?? 0n;
    this.password = cfg.sessionPassword ?? NO_PASSWORD;
    this.heartbeat = new Heartbeat(cfg.clock, {
      sendPing: () => {
        this.pingFrame ??= encodeRequest(Xid.Ping, { op: OpCode.ping });
        this.conn?.enqueue(this.pingFrame);
      },
      onReadTimeout: (idle) => this.conn?.drop(new Error(`no reply from server for ${idle} ms`)),
    });
  }

  /** Start dialling; resolves once connected (and any configured auth accepted). */
  connect(): Promise<void> {
    if (this.ready && isConnected(this.state)) return Promise.resolve();
    if (!isAlive(this.state)) return Promise.reject(this.deadError());
    const p = new Promise<void>((resolve, reject) => this.readyWaiters.push({ resolve, reject }));
    if (this.state === ClientState.NOT_CONNECTED) {
      this.state = ClientState.CONNECTING;
      this.dial();
    }
    return p;
  }

  submit(call: Call, request: Request): void {
    const state = this.state;
    if (isConnected(state) && this.conn !== undefined && !this.closing) {
      this.write(this.conn, call, request);
    } else if (state === ClientState.CONNECTING && !this.closing) {
      // ClientCnxn keeps packets in outgoingQueue until the session is primed.
      this.queued.push({ call, request });
    } else {
      call.fail(this.lossError());
    }
  }

  addAuth(scheme: string, auth: Buffer): Promise<void> {
    if (!isAlive(this.state)) return Promise.reject(this.deadError());
    const entry = this.auth.add(scheme, auth);
    if (this.state === ClientState.NOT_CONNECTED) return Promise.resolve();
    const p = new Promise<void>((resolve, reject) => entry.waiters.push({ resolve, reject }));
    if (isConnected(this.state) && this.conn) this.sendAuth(this.conn, entry);
    return p;
  }

  close(): Promise<void> {
    if (!isAlive(this.state)) return Promise.resolve();
    const done = new Promise<void>((resolve) => this.closeWaiters.push(resolve));
    if (this.closing) return done;
    this.closing = true;
    const conn = this.conn;
    if (isConnected(this.state) && conn) {
      // ZooKeeper.close: closeSession ends the session (and its ephemerals) on the server now,
      // instead of after the session timeout. Whatever happens to the reply, we are done.
      const finish = (): void => this.finishClose();
      this.write(conn, new Call(OpCode.closeSession, undefined, finish, finish), {
        op: OpCode.closeSession,
      });
    } else {
      this.finishClose();
    }
    return done;
  }

  // --- ConnectionHandler ---------------------------------------------------------------

  onOpen(conn: Connection<Call>): void {
    if (conn !== this.conn) return;
    // ClientCnxn.primeConnection: lastZxidSeen lets the server refuse us if it is behind what
    // we have already seen; sessionId + passwd re-attach an existing session.
    conn.enqueue(
      encodeConnectRequest({
        protocolVersion: 0,
        lastZxidSeen: this.lastZxid,
        timeOut: this.cfg.sessionTimeout,
        sessionId: this.sessionId,
        passwd: this.password,
        readOnly: false,
      }),
    );
    conn.flushNow();
  }

  onConnectResponse(conn: Connection<Call>, res: ConnectResponse): void {
    if (conn !== this.conn) return;
    this.clearConnectTimer();
    if (res.timeOut <= 0) {
      // ClientCnxn.onConnected: the server no longer knows the session. Final.
      this.terminate(ClientState.CLOSED, KeeperState.Expired, new SessionExpiredError());
      return;
    }
    this.sessionId = res.sessionId;
    this.password = res.passwd;
    this.negotiatedTimeout = res.timeOut;
    this.cfg.hosts.onConnected();
    conn.activity = this.heartbeat;
    this.heartbeat.start(res.timeOut);
    const readOnly = res.readOnly === true;
    this.state = readOnly ? ClientState.CONNECTED_READ_ONLY : ClientState.CONNECTED;
    // Order matters (primeConnection): auth first so later requests run with the identities,
    // then watches, then what the application queued meanwhile.
    this.authSent = [];
    for (const entry of this.auth.entries) this.sendAuth(conn, entry);
    if (!this.cfg.registry.isEmpty()) {
      const frames = buildSetWatches(this.cfg.registry, this.lastZxid, this.cfg.toServerPath);
      for (const frame of frames) conn.enqueue(frame);
    }
    const queued = this.queued;
    this.queued = [];
    for (const q of queued) this.write(conn, q.call, q.request);
    this.cfg.onSessionEvent(readOnly ? KeeperState.ConnectedReadOnly : KeeperState.SyncConnected);
    if (this.authSent.length === 0) this.markReady();
  }

  onReply(
    _conn: Connection<Call>,
    call: Call,
    header: ReplyHeader,
    response: Response | undefined,
  ): void {
    if (header.zxid > 0n) this.lastZxid = header.zxid;
    call.complete(header.err, response, this.cfg.registry);
  }

  onNotification(conn: Connection<Call>, event: WatcherEvent): void {
    if (conn === this.conn) this.cfg.onNotification(event);
  }

  onAuthReply(conn: Connection<Call>, err: number): void {
    if (conn !== this.conn) return;
    const entry = this.authSent.shift();
    if (err === ErrorCode.AuthFailed) {
      // ClientCnxn.readResponse: AuthFailed on the auth xid is fatal for the client.
      this.terminate(ClientState.AUTH_FAILED, KeeperState.AuthFailed, new AuthFailedError());
      return;
    }
    if (entry) AuthStore.settle(entry, err === 0 ? undefined : errorFromCode(err));
    if (this.authSent.length === 0) this.markReady();
  }

  onSetWatchesReply(): void {
    // Nothing to do: missed events arrive as ordinary notifications.
  }

  onLost(conn: Connection<Call>, reason: Error): void {
    if (conn !== this.conn) return;
    this.conn = undefined;
    this.clearConnectTimer();
    this.heartbeat.stop();
    this.failInFlight(conn, this.lossError());
    if (this.closing) {
      this.finishClose();
      return;
    }
    if (!isAlive(this.state)) return;
    if (isConnected(this.state)) {
      this.state = ClientState.CONNECTING;
      this.lastLossReason = reason;
      this.cfg.onSessionEvent(KeeperState.Disconnected);
    }
    this.dial();
  }

  // --- internals -----------------------------------------------------------------------

  private write(conn: Connection<Call>, call: Call, request: Request): void {
    // Xids wrap before Integer.MAX_VALUE so they never collide with the negative reserved ones.
    const xid = this.xid;
    this.xid = xid >= 0x7ffffffe ? 1 : xid + 1;
    call.xid = xid;
    conn.send(call, encodeRequest(xid, request));
  }

  private sendAuth(conn: Connection<Call>, entry: AuthEntry): void {
    this.authSent.push(entry);
    conn.enqueue(
      encodeRequest(Xid.Auth, { op: OpCode.auth, type: 0, scheme: entry.scheme, auth: entry.auth }),
    );
  }

  private dial(): void {
    if (!isAlive(this.state) || this.closing || this.dialTimer !== undefined) return;
    const { host, delayMs } = this.cfg.hosts.next();
    if (delayMs > 0) {
      this.dialTimer = this.cfg.clock.setTimeout(() => {
        this.dialTimer = undefined;
        this.open(host);
      }, delayMs);
    } else {
      this.open(host);
    }
  }

  private open(host: HostAddress): void {
    if (!isAlive(this.state) || this.closing) return;
    const conn = new Connection<Call>(this.cfg.transportFactory(host), this, this.cfg.maxFrameSize);
    this.conn = conn;
    // ClientCnxn: connectTimeout = sessionTimeout / number of hosts, so one dead server
    // cannot use up the whole session.
    const timeout =
      this.cfg.connectTimeout ??
      Math.floor((this.negotiatedTimeout || this.cfg.sessionTimeout) / this.cfg.hosts.size);
    this.connectTimer = this.cfg.clock.setTimeout(() => {
      this.connectTimer = undefined;
      conn.drop(new Error(`connect to ${host.host}:${host.port} timed out`));
    }, timeout);
  }

  private markReady(): void {
    if (this.ready && this.readyWaiters.length === 0) return;
    this.ready = true;
    for (const w of this.readyWaiters.splice(0)) w.resolve();
  }

  /** Expiry or auth failure: fail everything, tell the watchers, never reconnect. */
  private terminate(state: ClientState, event: KeeperState, err: KeeperError): void {
    this.state = state;
    const conn = this.conn;
    this.conn = undefined;
    this.clearConnectTimer();
    if (this.dialTimer !== undefined) this.cfg.clock.clearTimeout(this.dialTimer);
    this.dialTimer = undefined;
    this.heartbeat.stop();
    if (conn) {
      this.failInFlight(conn, err);
      conn.drop(err);
    } else {
      this.failInFlight(undefined, err);
    }
    this.auth.rejectAll(err);
    for (const w of this.readyWaiters.splice(0)) w.reject(err);
    this.cfg.onSessionEvent(event);
    for (const w of this.closeWaiters.splice(0)) w();
  }

  private finishClose(): void {
    if (this.state === ClientState.CLOSED) return;
    this.state = ClientState.CLOSED;
    const conn = this.conn;
    this.conn = undefined;
    this.clearConnectTimer();
    this.heartbeat.stop();
    if (this.dialTimer !== undefined) this.cfg.clock.clearTimeout(this.dialTimer);
    this.dialTimer = undefined;
    const err = new SessionExpiredError();
    if (conn) {
      this.failInFlight(conn, err);
      conn.drop(new Error('closed'));
    }
    this.failInFlight(undefined, err);
    this.auth.rejectAll(err);
    for (const w of this.readyWaiters.splice(0)) w.reject(err);
    this.cfg.onSessionEvent(KeeperState.Closed);
    for (const w of this.closeWaiters.splice(0)) w();
  }

  private failInFlight(conn: Connection<Call> | undefined, err: KeeperError): void {
    const calls = conn ? conn.pending.drain() : [];
    const queued = this.queued;
    this.queued = [];
    for (const c of calls) c.fail(err);
    for (const q of queued) q.call.fail(err);
  }

  private clearConnectTimer(): void {
    if (this.connectTimer !== undefined) this.cfg.clock.clearTimeout(this.connectTimer);
    this.connectTimer = undefined;
  }

  /** ClientCnxn.conLossPacket: the error a request gets when it cannot be answered. */
  private lossError(): KeeperError {
    if (this.state === ClientState.AUTH_FAILED) return new AuthFailedError();
    if (this.state === ClientState.CLOSED) return new SessionExpiredError();
    return new ConnectionLossError();
  }

  private deadError(): KeeperError {
    return this.state === ClientState.AUTH_FAILED
      ? new AuthFailedError()
      : new SessionExpiredError();
  }
}
