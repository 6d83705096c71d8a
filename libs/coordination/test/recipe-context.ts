import { ClientOptions, ClientState, ZooKeeperClient } from '@shepherd/zk-client';
import { expireSession } from '../../../test/support/expire-session';
import { fourLetterWord } from '../../../test/support/four-letter-word';

// Within both servers' bounds (embedded tickTime 200: 0.4-4 s; the harness' 500: 1-10 s), and
// long enough that a short, deliberate disconnection does not expire the session.
export const RECIPE_SESSION_TIMEOUT = 4000;

let rootCounter = 0;

/**
 * Per-suite helpers for the recipe cases: clients that are closed after each case, a fresh
 * root znode per case, session expiry the kazoo way, and the server's watch table (`wchp`).
 */
export class RecipeContext {
  private readonly clients = new Set<ZooKeeperClient>();
  private readonly cleanups: Array<() => unknown> = [];

  constructor(private readonly target: () => string) {}

  get connectString(): string {
    return this.target();
  }

  /** A connected client, closed after the case. */
  async client(options: ClientOptions = {}): Promise<ZooKeeperClient> {
    const client = new ZooKeeperClient(this.connectString, {
      sessionTimeout: RECIPE_SESSION_TIMEOUT,
      ...options,
    });
    this.clients.add(client);
    await client.connect();
    return client;
  }

  /** A fresh, empty persistent node for the current case. */
  async root(client: ZooKeeperClient): Promise<string> {
    const path = `/recipes-${++rootCounter}-${Date.now().toString(36)}`;
    await client.create(path);
    return path;
  }

  /** Ends the session from outside (a second connection attaches to it and closes it). */
  expire(client: ZooKeeperClient): Promise<void> {
    return expireSession(this.connectString, client.sessionId, client.sessionPassword);
  }

  /** Runs `fn` after the case, before the clients are closed. */
  defer(fn: () => unknown): void {
    this.cleanups.push(fn);
  }

  /** Watched path -> ids ("0x...") of the sessions watching it, from the server's `wchp`. */
  async watchesByPath(): Promise<Map<string, string[]>> {
    const [host] = this.connectString.split(',');
    const port = Number(host.slice(host.lastIndexOf(':') + 1));
    const text = await fourLetterWord(port, 'wchp');
    const byPath = new Map<string, string[]>();
    let current: string[] | undefined;
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      if (line.startsWith('\t')) current?.push(line.trim());
      else byPath.set(line, (current = []));
    }
    return byPath;
  }

  async cleanup(): Promise<void> {
    for (const fn of this.cleanups.splice(0).reverse()) {
      try {
        await fn();
      } catch {
        // Best effort: the case itself already passed or failed.
      }
    }
    const open = [...this.clients];
    this.clients.clear();
    await Promise.all(
      open.map(async (c) => {
        if (c.state === ClientState.CLOSED || c.state === ClientState.AUTH_FAILED) return;
        await Promise.race([
          c.close().catch(() => undefined),
          new Promise((resolve) => setTimeout(resolve, 3000).unref()),
        ]);
      }),
    );
  }
}

/** "0x..." as the server prints a session id in wchc/wchp/cons. */
export function hexSession(client: ZooKeeperClient): string {
  return `0x${client.sessionId.toString(16)}`;
}
