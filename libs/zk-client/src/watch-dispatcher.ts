import { EventType, KeeperState, WatcherEvent } from '@shepherd/zk-protocol';
import { WatchSpec } from './call';
import { Chroot } from './chroot';
import { WatchKind, WatchRegistry, removedEventFor } from './watch-registry';
import { WatchedEvent, Watcher, deliver } from './watcher';

/** What a read accepts as its watch argument: a watcher, `true` (default watcher) or nothing. */
export type WatchArg = Watcher | boolean | undefined;

const NOOP_WATCHER: Watcher = () => undefined;

/**
 * Turns server notifications and session transitions into watcher calls (the client half of
 * ClientCnxn.EventThread + ZKWatchManager.materialize). Watchers run in a microtask, so they
 * interleave with promise continuations in wire order and never inside the socket read loop.
 */
export class WatchDispatcher {
  constructor(
    readonly registry: WatchRegistry,
    private readonly chroot: Chroot,
    private readonly defaultWatcher: Watcher | undefined,
  ) {}

  spec(kind: WatchSpec['kind'], path: string, watch: WatchArg): WatchSpec | undefined {
    if (watch === undefined || watch === false) return undefined;
    // `true` means the default watcher (ZooKeeper.getData(path, boolean)); without one the
    // server-side watch is still set, as in Java, and its event goes nowhere.
    const watcher = watch === true ? (this.defaultWatcher ?? NOOP_WATCHER) : watch;
    return { kind, path, watcher };
  }

  /** Session event: the default watcher and every registered watcher (materialize, None). */
  sessionEvent(state: KeeperState, after: () => void): void {
    const targets = this.registry.all();
    if (this.defaultWatcher) targets.add(this.defaultWatcher);
    targets.delete(NOOP_WATCHER);
    if (
      state === KeeperState.Expired ||
      state === KeeperState.AuthFailed ||
      state === KeeperState.Closed
    ) {
      // The session is gone for good: nothing to re-register, nothing will fire.
      this.registry.clear();
    }
    const event: WatchedEvent = { type: EventType.None, state };
    queueMicrotask(() => {
      for (const w of targets) deliver(w, event);
      after();
    });
  }

  notification(e: WatcherEvent): void {
    const path = this.chroot.toClient(e.path);
    const watchers = this.registry.materialize(e.type, path);
    if (watchers.size === 0) return;
    const event: WatchedEvent = { type: e.type, state: e.state, path };
    queueMicrotask(() => {
      for (const w of watchers) deliver(w, event);
    });
  }

  /** Remove locally and tell each removed watcher (DataWatchRemoved / ChildWatchRemoved ...). */
  remove(path: string, watcher: Watcher | null, kinds: readonly WatchKind[]): void {
    for (const r of this.registry.remove(path, watcher, kinds)) {
      const event: WatchedEvent = {
        type: removedEventFor(r.kind),
        state: KeeperState.SyncConnected,
        path,
      };
      queueMicrotask(() => deliver(r.watcher, event));
    }
  }
}
