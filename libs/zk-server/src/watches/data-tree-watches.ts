import {
  AddWatchMode,
  ErrorCode,
  EventType,
  KeeperState,
  WatcherEvent,
  WatcherType,
} from '@shepherd/zk-protocol';
import { SetWatchesLists, WatchedTreeView } from './set-watches';
import { WatchManager, WatchManagerOptions } from './watch-manager';
import { WatchesByPath, WatchesByWatcher, WatchesSummary } from './watch-reports';
import { WatcherMode, watcherModeFromAddWatchMode } from './watcher-mode';

/**
 * The watch half of ZooKeeper's DataTree: two WatchManagers, as DataTree has, because which
 * table a watch sits in decides which events reach it:
 *  - data watches: getData and exists (an exists watch IS a data watch, also on a missing
 *    node), PERSISTENT and PERSISTENT_RECURSIVE;
 *  - child watches: getChildren, and PERSISTENT (not recursive).
 * Events (DataTree.createNode/deleteNode/setData):
 *  - NodeCreated, NodeDataChanged -> data watches on the path (+ recursive on its ancestors);
 *  - NodeDeleted -> data AND child watches on the path (+ recursive on ancestors), told once;
 *  - NodeChildrenChanged -> child watches on the path the event carries, i.e. the PARENT of the
 *    created/deleted node. Recursive watches live only in the data table, so they never get
 *    NodeChildrenChanged (ZooKeeper 3.6+); a PERSISTENT watch on the parent does.
 *
 * Removed-watch events (DataWatchRemoved, ChildWatchRemoved, PersistentWatchRemoved) are never
 * sent by the server: removeWatches only answers Ok or NoWatcher, and the client library
 * generates those events locally (ZKWatchManager.removeWatcher on the client side).
 */
export class DataTreeWatches<W> {
  readonly data: WatchManager<W>;
  readonly child: WatchManager<W>;

  constructor(options: WatchManagerOptions<W> = {}) {
    this.data = new WatchManager(options);
    this.child = new WatchManager(options);
  }

  /** False while no watch of any kind is registered: triggers can be skipped. */
  get hasWatches(): boolean {
    return !this.data.isEmpty || !this.child.isEmpty;
  }

  /** getData / exists with watch=true (exists registers even when the node is missing). */
  addDataWatch(path: string, watcher: W): boolean {
    return this.data.addWatch(path, watcher, WatcherMode.Standard);
  }

  /** getChildren / getChildren2 with watch=true. */
  addChildWatch(path: string, watcher: W): boolean {
    return this.child.addWatch(path, watcher, WatcherMode.Standard);
  }

  /** The addWatch op (DataTree.addWatch). Registering on a missing node is allowed. */
  addWatch(path: string, watcher: W, mode: AddWatchMode): void {
    const watcherMode = watcherModeFromAddWatchMode(mode);
    this.data.addWatch(path, watcher, watcherMode);
    if (watcherMode !== WatcherMode.PersistentRecursive) {
      this.child.addWatch(path, watcher, watcherMode);
    }
  }

  /**
   * Who is told about an event, each watcher once; STANDARD watches that fired are consumed
   * (in both tables for NodeDeleted). Takes the data tree's {path, type} triggers as they are;
   * for NodeChildrenChanged the path is the parent's. `zxid` does not change who is told — the
   * caller stamps it into the notification's ReplyHeader (ZooKeeper 3.9 sends the txn zxid,
   * 3.8 sends -1).
   */
  triggerWatch(path: string, type: EventType): Set<W> {
    switch (type) {
      case EventType.NodeCreated:
      case EventType.NodeDataChanged:
        return this.data.triggerWatch(path);
      case EventType.NodeDeleted: {
        const told = this.data.triggerWatch(path);
        for (const w of this.child.triggerWatch(path)) told.add(w);
        return told;
      }
      case EventType.NodeChildrenChanged:
        return this.child.triggerWatch(path);
      default:
        return new Set();
    }
  }

  /** triggerWatch for a data tree WatchTrigger ({path, type}). */
  trigger(t: { path: string; type: EventType }): Set<W> {
    return this.triggerWatch(t.path, t.type);
  }

  /** The connection closed (DataTree.removeCnxn). */
  removeWatcher(watcher: W): void {
    this.data.removeWatcher(watcher);
    this.child.removeWatcher(watcher);
  }

  /**
   * DataTree.containsWatcher. Children/Data match only STANDARD watches of that table;
   * Persistent/PersistentRecursive match that mode (looked up in the data table); Any matches
   * any watch in either table.
   */
  containsWatcher(path: string, type: WatcherType, watcher: W): boolean {
    switch (type) {
      case WatcherType.Children:
        return this.child.containsWatcher(path, watcher, WatcherMode.Standard);
      case WatcherType.Data:
        return this.data.containsWatcher(path, watcher, WatcherMode.Standard);
      case WatcherType.Persistent:
        return this.data.containsWatcher(path, watcher, WatcherMode.Persistent);
      case WatcherType.PersistentRecursive:
        return this.data.containsWatcher(path, watcher, WatcherMode.PersistentRecursive);
      case WatcherType.Any:
        return (
          this.child.containsWatcher(path, watcher) || this.data.containsWatcher(path, watcher)
        );
      default:
        throw new RangeError(`Invalid WatcherType ${String(type)}`);
    }
  }

  /** DataTree.removeWatch: same matching as containsWatcher; true if anything was removed. */
  removeWatch(path: string, type: WatcherType, watcher: W): boolean {
    switch (type) {
      case WatcherType.Children:
        return this.child.removeWatch(path, watcher, WatcherMode.Standard);
      case WatcherType.Data:
        return this.data.removeWatch(path, watcher, WatcherMode.Standard);
      case WatcherType.Persistent: {
        const c = this.child.removeWatch(path, watcher, WatcherMode.Persistent);
        const d = this.data.removeWatch(path, watcher, WatcherMode.Persistent);
        return c || d;
      }
      case WatcherType.PersistentRecursive:
        return this.data.removeWatch(path, watcher, WatcherMode.PersistentRecursive);
      case WatcherType.Any: {
        const c = this.child.removeWatch(path, watcher);
        const d = this.data.removeWatch(path, watcher);
        return c || d;
      }
      default:
        throw new RangeError(`Invalid WatcherType ${String(type)}`);
    }
  }

  /**
   * The checkWatches op's result code (FinalRequestProcessor): Ok, NoWatcher if there is no
   * such watch, MarshallingError for a type number WatcherType.fromInt rejects.
   */
  checkWatches(path: string, type: WatcherType, watcher: W): ErrorCode {
    if (!isWatcherType(type)) return ErrorCode.MarshallingError;
    return this.containsWatcher(path, type, watcher) ? ErrorCode.Ok : ErrorCode.NoWatcher;
  }

  /** The removeWatches op's result code; see checkWatches. */
  removeWatches(path: string, type: WatcherType, watcher: W): ErrorCode {
    if (!isWatcherType(type)) return ErrorCode.MarshallingError;
    return this.removeWatch(path, type, watcher) ? ErrorCode.Ok : ErrorCode.NoWatcher;
  }

  /**
   * SetWatches / SetWatches2 after a reconnect (DataTree.setWatches): for each path, either an
   * event the client missed while away is returned (to send before the reply, in this order)
   * and the one-shot watch is NOT registered, or the watch is registered:
   *  - data:  node gone -> NodeDeleted; mzxid > relativeZxid -> NodeDataChanged; else watch;
   *  - exist: node there -> NodeCreated; else watch;
   *  - child: node gone -> NodeDeleted; pzxid > relativeZxid -> NodeChildrenChanged; else watch;
   *  - persistent / persistent-recursive: always re-registered, nothing fired.
   * The events carry no zxid (WatchedEvent.NO_ZXID, -1).
   */
  setWatches(req: SetWatchesLists, tree: WatchedTreeView, watcher: W): WatcherEvent[] {
    const events: WatcherEvent[] = [];
    const fire = (type: EventType, path: string) =>
      events.push({ type, state: KeeperState.SyncConnected, path });
    for (const path of req.dataWatches) {
      const stat = tree.stat(path);
      if (!stat) fire(EventType.NodeDeleted, path);
      else if (stat.mzxid > req.relativeZxid) fire(EventType.NodeDataChanged, path);
      else this.data.addWatch(path, watcher);
    }
    for (const path of req.existWatches) {
      if (tree.stat(path)) fire(EventType.NodeCreated, path);
      else this.data.addWatch(path, watcher);
    }
    for (const path of req.childWatches) {
      const stat = tree.stat(path);
      if (!stat) fire(EventType.NodeDeleted, path);
      else if (stat.pzxid > req.relativeZxid) fire(EventType.NodeChildrenChanged, path);
      else this.child.addWatch(path, watcher);
    }
    for (const path of req.persistentWatches ?? []) {
      this.addWatch(path, watcher, AddWatchMode.PERSISTENT);
    }
    for (const path of req.persistentRecursiveWatches ?? []) {
      this.addWatch(path, watcher, AddWatchMode.PERSISTENT_RECURSIVE);
    }
    return events;
  }

  /** DataTree.getWatchCount (mntr zk_watch_count): both tables. */
  watchCount(): number {
    return this.data.size() + this.child.size();
  }

  /**
   * wchs. Like ZooKeeper (DataTree.getWatchesSummary / dumpWatchesSummary), this reports the
   * DATA table only: getChildren watches do not show; use `child.summary()` for those.
   */
  summary(): WatchesSummary {
    return this.data.summary();
  }

  /** wchc (DataTree.getWatches): data table only, as in ZooKeeper. */
  byWatcher(): WatchesByWatcher<W> {
    return this.data.byWatcher();
  }

  /** wchp (DataTree.getWatchesByPath): data table only, as in ZooKeeper. */
  byPath(): WatchesByPath<W> {
    return this.data.byPath();
  }
}

function isWatcherType(type: number): type is WatcherType {
  return (
    type === WatcherType.Children ||
    type === WatcherType.Data ||
    type === WatcherType.Any ||
    type === WatcherType.Persistent ||
    type === WatcherType.PersistentRecursive
  );
}
