import { KeeperError } from '@shepherd/zk-protocol';

interface Waiter {
  resolve(): void;
  reject(err: KeeperError): void;
}

export interface AuthEntry {
  scheme: string;
  auth: Buffer;
  waiters: Waiter[];
}

/**
 * Credentials added with addAuth, kept for the life of the client: ClientCnxn.primeConnection
 * replays every one of them (xid -4) on each new connection, before any other request, so the
 * re-attached session has the same identities.
 */
export class AuthStore {
  readonly entries: AuthEntry[] = [];

  /** Add (deduplicated by scheme + bytes) and return the entry. */
  add(scheme: string, auth: Buffer): AuthEntry {
    let entry = this.entries.find((e) => e.scheme === scheme && e.auth.equals(auth));
    if (!entry) {
      entry = { scheme, auth, waiters: [] };
      this.entries.push(entry);
    }
    return entry;
  }

  static settle(entry: AuthEntry, err?: KeeperError): void {
    const waiters = entry.waiters.splice(0);
    for (const w of waiters) {
      if (err) w.reject(err);
      else w.resolve();
    }
  }

  rejectAll(err: KeeperError): void {
    for (const e of this.entries) AuthStore.settle(e, err);
  }
}
