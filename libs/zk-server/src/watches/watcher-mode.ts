import { AddWatchMode } from '@shepherd/zk-protocol';

/**
 * How a watch behaves once registered (server/watch/WatcherMode.java): STANDARD fires once,
 * PERSISTENT stays, PERSISTENT_RECURSIVE stays and also fires for every descendant.
 * One watcher may hold several modes on the same path at once (ZooKeeper 3.9, WatchStats);
 * the values are bit flags so a path's modes fit in one number.
 */
export enum WatcherMode {
  Standard = 1,
  Persistent = 2,
  PersistentRecursive = 4,
}

/** WatcherMode.fromZooDef: the mode of an AddWatchRequest. */
export function watcherModeFromAddWatchMode(mode: AddWatchMode): WatcherMode {
  switch (mode) {
    case AddWatchMode.PERSISTENT:
      return WatcherMode.Persistent;
    case AddWatchMode.PERSISTENT_RECURSIVE:
      return WatcherMode.PersistentRecursive;
    default:
      throw new RangeError(`Unsupported mode: ${String(mode)}`);
  }
}
