import { Observable, ReplaySubject, Subject, Subscription } from 'rxjs';
import {
  ClientOptions,
  ClientTlsOptions,
  RetryOptions,
  RetryPolicy,
  ZooKeeperClient,
  isConnected as isConnectedState,
} from '@shepherd/zk-client';
import { AuthFailedError, KeeperState } from '@shepherd/zk-protocol';
import { ConnectionEvent } from './connection-event';
import { ConnectTimeoutError, ConnectionClosedError } from './connection-errors';

/** Credentials replayed on every connection, e.g. `{ scheme: 'digest', auth: 'user:pass' }`. */
export interface ZooKeeperAuth {
  scheme: string;
  auth: string | Buffer;
}

export interface ZooKeeperConnectionOptions {
  /** "host:port[,host:port...][/chroot]". */
  connectString: string;
  /** Requested session timeout; the server clamps it to its bounds. Default 10000. */
  sessionTimeoutMs?: number;
  auth?: ZooKeeperAuth[];
  /** TLS to a secureClientPort (CA, client certificate and key, PEM); plain TCP without it. */
  tls?: ClientTlsOptions;
  /**
   * Backoff between attempts to open a session. The first connect() gives up after
   * `maxAttempts`; after an expiry the connection retries forever (until close()), waiting at
   * most `maxDelayMs` between attempts.
   */
  connectRetry?: RetryOptions;
  /** How long one attempt may wait for a session before it counts as failed. Default: sessionTimeoutMs. */
  connectTimeoutMs?: number;
  /** Builds the client of each session (tests wrap transports through it). */
  clientFactory?: (connectString: string, options: ClientOptions) => ZooKeeperClient;
}

export const DEFAULT_SESSION_TIMEOUT_MS = 10000;

const defaultFactory = (connectString: string, options: ClientOptions): ZooKeeperClient =>
  new ZooKeeperClient(connectString, options);

const noop = (): void => undefined;

/**
 * Owns the *current* ZooKeeperClient and replaces it when its session expires, which is what
 * Curator's framework does for its users. A ZooKeeper handle is dead after Expired (the Java
 * client, and ours, never open a new session behind the caller's back), so code that must run
 * for the life of the process subscribes to `sessions$` and rebuilds its ephemerals and
 * watches on every new session.
 *
 * Framework-free: the Nest module is a thin wrapper around it.
 */
export class ZooKeeperConnection {
  /** Every new live session's client; a new subscriber first gets the current one. */
  readonly sessions$: Observable<ZooKeeperClient>;
  /** Session transitions, as they happen (not replayed: subscribe before connect()). */
  readonly events$: Observable<ConnectionEvent>;
  private readonly sessions = new ReplaySubject<ZooKeeperClient>(1);
  private readonly events = new Subject<ConnectionEvent>();
  private readonly connectString: string;
  private readonly clientOptions: ClientOptions;
  private readonly connectTimeoutMs: number;
  private readonly retry: RetryOptions;
  private readonly factory: (connectString: string, options: ClientOptions) => ZooKeeperClient;
  private current: ZooKeeperClient | undefined;
  private stateSub: Subscription | undefined;
  private firstConnect: Promise<ZooKeeperClient> | undefined;
  /** Client of an attempt in progress, so close() can stop it dialling. */
  private attempt: ZooKeeperClient | undefined;
  /** Ends a backoff sleep early (close()). */
  private wake: (() => void) | undefined;
  private closing = false;
  private closed: Promise<void> | undefined;

  constructor(options: ZooKeeperConnectionOptions) {
    this.connectString = options.connectString;
    const sessionTimeout = options.sessionTimeoutMs ?? DEFAULT_SESSION_TIMEOUT_MS;
    this.clientOptions = { sessionTimeout, auth: options.auth ?? [], tls: options.tls };
    this.connectTimeoutMs = options.connectTimeoutMs ?? sessionTimeout;
    this.retry = options.connectRetry ?? {};
    this.factory = options.clientFactory ?? defaultFactory;
    this.sessions$ = this.sessions.asObservable();
    this.events$ = this.events.asObservable();
  }

  /**
   * The client of the current session. After an expiry and until the replacement session is
   * up, this is still the expired client (its calls fail with SessionExpiredError).
   */
  get client(): ZooKeeperClient {
    if (this.current === undefined) {
      throw new Error('ZooKeeperConnection is not connected yet: await connect() first');
    }
    return this.current;
  }

  /** True while the current session is connected to a server. */
  isConnected(): boolean {
    return this.current !== undefined && isConnectedState(this.current.state);
  }

  /**
   * Opens the first session. When no server answers yet, the attempt is repeated with backoff
   * (`connectRetry`); rejects with the last error after the retries, or with
   * ConnectionClosedError if close() is called meanwhile. Later calls return the same session.
   */
  connect(): Promise<ZooKeeperClient> {
    if (this.closing) return Promise.reject(new ConnectionClosedError());
    if (this.current !== undefined) return Promise.resolve(this.current);
    if (this.firstConnect === undefined) {
      const p = this.connectFirst();
      this.firstConnect = p;
      // A failed first connect may be tried again by a later call.
      p.catch(() => {
        if (this.firstConnect === p) this.firstConnect = undefined;
      });
    }
    return this.firstConnect;
  }

  /**
   * Closes the current session (closeSession: its ephemerals go now, not after the timeout),
   * stops any attempt in progress, emits `closed` and completes both observables. Idempotent.
   */
  close(): Promise<void> {
    this.closed ??= this.shutdown();
    return this.closed;
  }

  // --- internals -----------------------------------------------------------------------

  private async connectFirst(): Promise<ZooKeeperClient> {
    const retryOn = this.retry.retryOn ?? ((err: unknown) => !(err instanceof AuthFailedError));
    const policy = new RetryPolicy({ ...this.retry, retryOn });
    for (let attempt = 1; ; attempt++) {
      try {
        const client = await this.openSession();
        this.adopt(client);
        return client;
      } catch (err) {
        if (this.closing) throw new ConnectionClosedError();
        if (!policy.shouldRetry(err, attempt)) throw err;
        await this.sleep(policy.delayFor(attempt));
      }
    }
  }

  /** After an expiry: new sessions until one is up or close() is called (capped backoff). */
  private async replace(): Promise<void> {
    const policy = new RetryPolicy(this.retry);
    for (let attempt = 1; !this.closing; attempt++) {
      try {
        this.adopt(await this.openSession());
        return;
      } catch {
        if (this.closing) return;
        await this.sleep(policy.delayFor(attempt));
      }
    }
  }

  /** One attempt: a fresh client (new session), bounded by connectTimeoutMs. */
  private async openSession(): Promise<ZooKeeperClient> {
    if (this.closing) throw new ConnectionClosedError();
    const client = this.factory(this.connectString, { ...this.clientOptions });
    this.attempt = client;
    let timer: NodeJS.Timeout | undefined;
    try {
      await new Promise<void>((resolve, reject) => {
        timer = setTimeout(
          () => reject(new ConnectTimeoutError(this.connectString, this.connectTimeoutMs)),
          this.connectTimeoutMs,
        );
        client.connect().then(resolve, reject);
      });
    } catch (err) {
      // The client would otherwise keep dialling in the background.
      await client.close().catch(noop);
      throw this.closing ? new ConnectionClosedError() : err;
    } finally {
      clearTimeout(timer);
      this.attempt = undefined;
    }
    if (this.closing) {
      await client.close().catch(noop);
      throw new ConnectionClosedError();
    }
    return client;
  }

  private adopt(client: ZooKeeperClient): void {
    this.stateSub?.unsubscribe();
    this.current = client;
    let disconnected = false;
    this.events.next({ type: 'connected', sessionId: client.sessionId });
    this.sessions.next(client);
    this.stateSub = client.state$.subscribe((state) => {
      switch (state) {
        case KeeperState.Disconnected:
          disconnected = true;
          this.events.next({ type: 'disconnected' });
          break;
        case KeeperState.SyncConnected:
        case KeeperState.ConnectedReadOnly:
          if (disconnected) this.events.next({ type: 'reconnected' });
          disconnected = false;
          break;
        case KeeperState.Expired:
        case KeeperState.AuthFailed:
        case KeeperState.Closed:
          // Closed here means someone closed the client itself: that session is over too.
          this.sessionEnded(client);
          break;
      }
    });
  }

  private sessionEnded(client: ZooKeeperClient): void {
    if (client !== this.current || this.closing) return;
    this.stateSub?.unsubscribe();
    this.stateSub = undefined;
    this.events.next({ type: 'expired', sessionId: client.sessionId });
    void this.replace();
  }

  private async shutdown(): Promise<void> {
    this.closing = true;
    this.wake?.();
    await this.attempt?.close().catch(noop);
    this.stateSub?.unsubscribe();
    this.stateSub = undefined;
    await this.current?.close().catch(noop);
    this.events.next({ type: 'closed' });
    this.events.complete();
    this.sessions.complete();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        if (this.wake === done) this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
  }
}
