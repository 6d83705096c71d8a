/** Watcher.Event.EventType in Watcher.java; the `type` of a WatcherEvent. */
export enum EventType {
  None = -1,
  NodeCreated = 1,
  NodeDeleted = 2,
  NodeDataChanged = 3,
  NodeChildrenChanged = 4,
  DataWatchRemoved = 5,
  ChildWatchRemoved = 6,
  PersistentWatchRemoved = 7,
}

/** Watcher.Event.KeeperState in Watcher.java; the `state` of a WatcherEvent. */
export enum KeeperState {
  /** Deprecated in ZooKeeper and never sent by 3.x servers; kept so decoding stays total. */
  Unknown = -1,
  Disconnected = 0,
  /** Deprecated in ZooKeeper and never sent by 3.x servers; kept so decoding stays total. */
  NoSyncConnected = 1,
  SyncConnected = 3,
  AuthFailed = 4,
  ConnectedReadOnly = 5,
  SaslAuthenticated = 6,
  Expired = -112,
  Closed = 7,
}

/**
 * Watcher.WatcherType in Watcher.java: the `type` of CheckWatchesRequest/RemoveWatchesRequest.
 * Persistent and PersistentRecursive exist since ZooKeeper 3.9 (ZOOKEEPER-4472).
 */
export enum WatcherType {
  Children = 1,
  Data = 2,
  Any = 3,
  Persistent = 4,
  PersistentRecursive = 5,
}
