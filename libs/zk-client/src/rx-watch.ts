import { Observable } from 'rxjs';
import {
  AuthFailedError,
  ConnectionLossError,
  EventType,
  KeeperState,
  NoNodeError,
  SessionExpiredError,
  Stat,
  WatcherType,
} from '@shepherd/zk-protocol';
import { ClientState } from './client-state';
import { Watcher } from './watcher';

/** What the helpers need from the client (an interface, so this file does not import it). */
export interface WatchSource {
  readonly state: ClientState;
  readonly state$: Observable<KeeperState>;
  getData(path: string, watch: Watcher): Promise<{ data: Buffer | null; stat: Stat }>;
  exists(path: string, watch: Watcher): Promise<Stat | null>;
  getChildren(path: string, watch: Watcher): Promise<string[]>;
  removeWatches(path: string, watcher: Watcher, type: WatcherType, local: boolean): Promise<void>;
}

/**
 * Keep a one-time watch armed and emit the node's current value after every change: the
 * "read, watch, re-read on event" loop of kazoo's DataWatch/ChildrenWatch. One watcher object
 * per subscription, so re-arming never grows the client's watch tables (they dedupe by
 * identity). A read that fails with ConnectionLoss is retried on the next SyncConnected; the
 * watches that did get armed are re-registered by the client itself (setWatches).
 */
function keepWatching<T>(
  src: WatchSource,
  path: string,
  read: (watcher: Watcher) => Promise<T | undefined>,
  same: (a: T, b: T) => boolean,
): Observable<T> {
  return new Observable<T>((subscriber) => {
    let active = true;
    let fetching = false;
    let again = false;
    let waitingForReconnect = false;
    let last: { value: T } | undefined;
    const watcher: Watcher = (event) => {
      // Session events reach every watcher; they are handled through state$ below.
      if (active && event.type !== EventType.None) void refresh();
    };
    const refresh = async (): Promise<void> => {
      if (fetching) {
        again = true;
        return;
      }
      fetching = true;
      try {
        do {
          again = false;
          const value = await read(watcher);
          if (!active) return;
          if (value === undefined) {
            again = true; // the node appeared between the two reads: read it again
          } else if (last === undefined || !same(last.value, value)) {
            last = { value };
            subscriber.next(value);
          }
        } while (again && active);
      } catch (err) {
        if (!active) return;
        if (err instanceof ConnectionLossError) {
          if (src.state === ClientState.CONNECTED) void Promise.resolve().then(refresh);
          else waitingForReconnect = true;
        } else {
          subscriber.error(err);
        }
      } finally {
        fetching = false;
      }
    };
    const stateSub = src.state$.subscribe((state) => {
      if (!active) return;
      if (state === KeeperState.SyncConnected && waitingForReconnect) {
        waitingForReconnect = false;
        void refresh();
      } else if (state === KeeperState.Expired) {
        subscriber.error(new SessionExpiredError(path));
      } else if (state === KeeperState.AuthFailed) {
        subscriber.error(new AuthFailedError(path));
      } else if (state === KeeperState.Closed) {
        subscriber.complete();
      }
    });
    void refresh();
    return () => {
      active = false;
      stateSub.unsubscribe();
      // Local removal: the server-side watch fires once more into nothing, which is harmless.
      src.removeWatches(path, watcher, WatcherType.Any, true).catch(() => undefined);
    };
  });
}

export function dataObservable(
  src: WatchSource,
  path: string,
): Observable<{ data: Buffer | null; stat: Stat } | null> {
  return keepWatching(
    src,
    path,
    async (watcher) => {
      try {
        return await src.getData(path, watcher);
      } catch (err) {
        if (!(err instanceof NoNodeError)) throw err;
        // No node: an exists watch tells us when it is created.
        return (await src.exists(path, watcher)) === null ? null : undefined;
      }
    },
    (a, b) => (a === null || b === null ? a === b : a.stat.mzxid === b.stat.mzxid),
  );
}

export function childrenObservable(src: WatchSource, path: string): Observable<string[]> {
  return keepWatching(
    src,
    path,
    async (watcher) => {
      try {
        return await src.getChildren(path, watcher);
      } catch (err) {
        if (!(err instanceof NoNodeError)) throw err;
        return (await src.exists(path, watcher)) === null ? [] : undefined;
      }
    },
    (a, b) => a.length === b.length && a.every((c, i) => c === b[i]),
  );
}
