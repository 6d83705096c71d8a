import { ClientOptions, ClientState, ZooKeeperClient } from '@shepherd/zk-client';
import { ErrorCode, KeeperError, KeeperState } from '@shepherd/zk-protocol';
import { expireSession } from '../support/expire-session';
import { AsyncQueue } from './async-queue';
import { ContractFeatures, ContractTarget, DEFAULT_FEATURES } from './contract-target';

// Short enough that an expiry-related failure shows up quickly, long enough for a slow CI box.
export const CONTRACT_SESSION_TIMEOUT = 10000;

let rootCounter = 0;

/**
 * Per-suite helpers: connected clients that are always closed after each case, and a unique
 * root znode per case so cases never see each other's nodes (no cleanup needed between them).
 */
export class ContractContext {
  private readonly clients = new Set<ZooKeeperClient>();
  private readonly cleanups: Array<() => void> = [];

  constructor(private readonly target: () => ContractTarget) {}

  get connectString(): string {
    return this.target().connectString;
  }

  /** The certificate identities every session of the suite has (none without TLS). */
  get certificateIds(): Array<{ scheme: string; id: string }> {
    const id = this.target().x509Id;
    return id === undefined ? [] : [{ scheme: 'x509', id }];
  }

  get features(): ContractFeatures {
    return { ...DEFAULT_FEATURES, ...this.target().features };
  }

  /** A client that is closed in afterEach; not yet connected. */
  newClient(options: ClientOptions = {}, connectString = this.connectString): ZooKeeperClient {
    const client = new ZooKeeperClient(connectString, {
      sessionTimeout: CONTRACT_SESSION_TIMEOUT,
      tls: this.target().tls,
      ...options,
    });
    this.clients.add(client);
    return client;
  }

  /** A connected client that is closed in afterEach. */
  async client(options: ClientOptions = {}, connectString?: string): Promise<ZooKeeperClient> {
    const client = this.newClient(options, connectString);
    await client.connect();
    return client;
  }

  /** Creates and returns a fresh, empty persistent root for the current case. */
  async root(client: ZooKeeperClient): Promise<string> {
    const name = (expect.getState().currentTestName ?? 'case')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .slice(-48);
    const path = `/contract-${++rootCounter}-${Date.now().toString(36)}-${name}`;
    await client.create(path);
    return path;
  }

  /** Expires `client`'s session with the target's hook, or the kazoo way by default. */
  async expire(client: ZooKeeperClient): Promise<void> {
    const hook = this.target().expireSession;
    if (hook) await hook(client.sessionId, client.sessionPassword);
    else {
      const { connectString, tls } = this.target();
      await expireSession(connectString, client.sessionId, client.sessionPassword, 10000, tls);
    }
  }

  /** Collects every KeeperState the client reports from now on. */
  states(client: ZooKeeperClient): AsyncQueue<KeeperState> {
    const queue = new AsyncQueue<KeeperState>();
    const sub = client.state$.subscribe(queue.push);
    this.cleanups.push(() => sub.unsubscribe());
    return queue;
  }

  async closeAll(): Promise<void> {
    for (const cleanup of this.cleanups.splice(0)) cleanup();
    const open = [...this.clients];
    this.clients.clear();
    await Promise.all(
      open.map(async (c) => {
        if (c.state === ClientState.CLOSED || c.state === ClientState.NOT_CONNECTED) return;
        // A case may leave a client mid-reconnect; closing must not hang the suite.
        await settleWithin(c.close(), 3000);
      }),
    );
  }
}

/** Waits for `promise` (ignoring its outcome) at most `ms`, leaving no timer behind. */
async function settleWithin(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    promise.catch(() => undefined),
    new Promise<void>((resolve) => (timer = setTimeout(resolve, ms))),
  ]);
  clearTimeout(timer);
}

/**
 * Awaits a rejection and checks it is the KeeperError subclass for `code`.
 * Returns it for further checks (path, results...).
 */
export async function expectKeeperError<E extends KeeperError>(
  promise: Promise<unknown>,
  errorClass: abstract new (...args: never[]) => E,
  code: ErrorCode,
): Promise<E> {
  let outcome: unknown;
  try {
    outcome = await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(errorClass);
    expect(err).toBeInstanceOf(KeeperError);
    expect((err as KeeperError).code).toBe(code);
    return err as E;
  }
  throw new Error(`expected ${errorClass.name} (${code}), but it resolved: ${String(outcome)}`);
}
