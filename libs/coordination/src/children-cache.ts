import { Observable, Subject, Subscription } from 'rxjs';
import { Watcher, ZooKeeperClient, isConnected, isRetryable } from '@shepherd/zk-client';
import {
  AuthFailedError,
  EventType,
  KeeperState,
  NoNodeError,
  SessionExpiredError,
  Stat,
  WatcherType,
} from '@shepherd/zk-protocol';
import { childPath, nameOf, parentOf } from './ensure-path';

export interface ChildrenCacheOptions {
  /**
   * Read and keep each child's data (default true). When false only the stat is kept (from a
   * watched `exists`), `data` is null and `changed` still fires on every new version.
   */
  withData?: boolean;
}

export interface CachedChild {
  /** As getData answers it: null for a node created or set with null data (or withData false). */
  data: Buffer | null;
  stat: Stat;
}

export type ChildEvent =
  | { type: 'added'; name: string; data: Buffer | null; stat: Stat }
  | { type: 'changed'; name: string; data: Buffer | null; stat: Stat }
  | { type: 'removed'; name: string };

const RETRY_DELAY_MS = 100;
const noop = (): void => undefined;

/**
 * A local copy of the children of `path` and their data, kept current with watches (Curator's
 * PathChildrenCache, kazoo's ChildrenWatch with data): a child watch on the parent (or an
 * exists watch while the parent does not exist) and a data watch on each child. Changes are
 * reported on `events$` in the order the cache learns them; the initial load reports every
 * child as `added`.
 *
 * ConnectionLoss: the client restores the watches on reconnect and delivers what was missed;
 * on top of that the cache re-reads everything after each reconnect, so it is right even if
 * the parent was deleted and recreated meanwhile (a child recreated under the same name shows
 * up as `removed` then `added`).
 *
 * Session expiry: the watches are gone with the session; `events$` errors with
 * SessionExpiredError and the cache stops. Build a new one on the new session.
 */
export class ChildrenCache {
  readonly events$: Observable<ChildEvent>;
  /** Resolves after the first complete load (rejects if that load fails for good). */
  readonly initialized: Promise<void>;
  private readonly events = new Subject<ChildEvent>();
  private readonly children = new Map<string, CachedChild>();
  private readonly withData: boolean;
  private resolveInit!: () => void;
  private rejectInit!: (err: unknown) => void;
  private started = false;
  private stopped = false;
  private stateSub: Subscription | undefined;
  /** Pending work, drained by one loop at a time so events keep their order. */
  private parentDirty: 'no' | 'children' | 'full' = 'no';
  private readonly dirtyChildren = new Set<string>();
  private running = false;
  private waitingForReconnect = false;
  private readonly watcher: Watcher = (event) => this.onWatch(event.type, event.path);

  constructor(
    private readonly client: ZooKeeperClient,
    readonly path: string,
    options: ChildrenCacheOptions = {},
  ) {
    this.withData = options.withData ?? true;
    this.events$ = this.events.asObservable();
    this.initialized = new Promise<void>((resolve, reject) => {
      this.resolveInit = resolve;
      this.rejectInit = reject;
    });
    // Observed through start(); this only keeps an unobserved failure from being "unhandled".
    this.initialized.catch(noop);
  }

  /** Starts watching; resolves once the initial load is done. */
  start(): Promise<void> {
    if (!this.started && !this.stopped) {
      this.started = true;
      this.stateSub = this.client.state$.subscribe((state) => this.onState(state));
      this.schedule('full');
    }
    return this.initialized;
  }

  /** A snapshot of the cache: child name -> data and stat. */
  current(): Map<string, CachedChild> {
    return new Map(this.children);
  }

  /** Stops watching (watches are dropped on the client side) and completes events$. */
  close(): void {
    if (this.stopped) return;
    this.stop();
    this.rejectInit(new Error(`ChildrenCache ${this.path} closed before it was initialized`));
    this.events.complete();
  }

  // --- internals -----------------------------------------------------------------------

  private onWatch(type: EventType, path: string | undefined): void {
    if (this.stopped || path === undefined) return;
    if (path === this.path) {
      // NodeChildrenChanged, or the parent created / deleted.
      if (type !== EventType.None) this.schedule('children');
      return;
    }
    if (parentOf(path) !== this.path) return;
    if (type === EventType.NodeDataChanged) this.scheduleChild(nameOf(path));
    else if (type === EventType.NodeDeleted || type === EventType.NodeCreated) {
      this.schedule('children');
    }
  }

  private onState(state: KeeperState): void {
    if (this.stopped) return;
    if (state === KeeperState.SyncConnected || state === KeeperState.ConnectedReadOnly) {
      // Re-read everything: cheap insurance against whatever happened while we were away.
      this.waitingForReconnect = false;
      this.schedule('full');
    } else if (state === KeeperState.Expired) {
      this.fail(new SessionExpiredError(this.path));
    } else if (state === KeeperState.AuthFailed) {
      this.fail(new AuthFailedError(this.path));
    } else if (state === KeeperState.Closed) {
      this.close();
    }
  }

  private schedule(kind: 'children' | 'full'): void {
    if (this.parentDirty !== 'full') this.parentDirty = kind;
    void this.drain();
  }

  private scheduleChild(name: string): void {
    this.dirtyChildren.add(name);
    void this.drain();
  }

  private async drain(): Promise<void> {
    if (this.running || this.waitingForReconnect) return;
    this.running = true;
    try {
      while (!this.stopped && !this.waitingForReconnect) {
        if (this.parentDirty !== 'no') {
          const full = this.parentDirty === 'full';
          this.parentDirty = 'no';
          await this.syncParent(full);
          this.resolveInit();
        } else if (this.dirtyChildren.size > 0) {
          const [name] = this.dirtyChildren;
          this.dirtyChildren.delete(name);
          await this.syncChild(name);
        } else {
          break;
        }
      }
    } catch (err) {
      if (this.stopped) return;
      if (!isRetryable(err)) {
        this.fail(err);
        return;
      }
      // Everything is re-read once the session is back (onState); if it already is (a quick
      // reconnect, or a timeout without a disconnection), shortly.
      this.parentDirty = 'full';
      if (isConnected(this.client.state)) setTimeout(() => void this.drain(), RETRY_DELAY_MS);
      else this.waitingForReconnect = true;
    } finally {
      this.running = false;
    }
  }

  /** The child list, diffed against the cache; with `full`, every known child is re-read too. */
  private async syncParent(full: boolean): Promise<void> {
    const names = await this.listChildren();
    if (names === undefined) {
      // The parent appeared between getChildren and exists: list again.
      if (full || this.parentDirty === 'full') this.parentDirty = 'full';
      else this.parentDirty = 'children';
      return;
    }
    const present = new Set(names);
    for (const name of [...this.children.keys()]) {
      if (!present.has(name)) this.remove(name);
    }
    // Pipelined reads, applied in list order.
    const reads = names
      .filter((name) => full || !this.children.has(name))
      .map((name) => ({ name, read: this.readChild(name) }));
    for (const { name, read } of reads) this.apply(name, await read);
  }

  private async syncChild(name: string): Promise<void> {
    if (!this.children.has(name)) return; // not listed yet: the parent sync will add it
    this.apply(name, await this.readChild(name));
  }

  /** Children of the parent with a child watch, or [] with an exists watch if there is none. */
  private async listChildren(): Promise<string[] | undefined> {
    try {
      return await this.client.getChildren(this.path, this.watcher);
    } catch (err) {
      if (!(err instanceof NoNodeError)) throw err;
    }
    return (await this.client.exists(this.path, this.watcher)) === null ? [] : undefined;
  }

  /** Data (or just the stat) of one child, watched; null if it is gone. */
  private async readChild(name: string): Promise<CachedChild | null> {
    const path = childPath(this.path, name);
    if (!this.withData) {
      const stat = await this.client.exists(path, this.watcher);
      return stat === null ? null : { data: null, stat };
    }
    try {
      return await this.client.getData(path, this.watcher);
    } catch (err) {
      if (err instanceof NoNodeError) return null;
      throw err;
    }
  }

  private apply(name: string, child: CachedChild | null): void {
    if (this.stopped) return;
    const old = this.children.get(name);
    if (child === null) {
      // Deleted after the list; the child watch on the parent confirms it, remove it now.
      if (old !== undefined) this.remove(name);
      return;
    }
    if (old !== undefined && old.stat.czxid !== child.stat.czxid) {
      // Same name, different node (deleted and recreated while we were not looking).
      this.remove(name);
    }
    const known = this.children.get(name);
    this.children.set(name, child);
    if (known === undefined) {
      this.events.next({ type: 'added', name, data: child.data, stat: child.stat });
    } else if (known.stat.mzxid !== child.stat.mzxid) {
      this.events.next({ type: 'changed', name, data: child.data, stat: child.stat });
    }
  }

  private remove(name: string): void {
    this.children.delete(name);
    this.dirtyChildren.delete(name);
    this.events.next({ type: 'removed', name });
  }

  private fail(err: unknown): void {
    if (this.stopped) return;
    this.stop();
    this.rejectInit(err);
    this.events.error(err);
  }

  private stop(): void {
    this.stopped = true;
    this.stateSub?.unsubscribe();
    this.stateSub = undefined;
    // Local removal only: a server-side watch that fires later goes nowhere, which is harmless.
    const paths = [this.path, ...[...this.children.keys()].map((n) => childPath(this.path, n))];
    for (const p of paths) {
      this.client.removeWatches(p, this.watcher, WatcherType.Any, true).catch(noop);
    }
  }
}
