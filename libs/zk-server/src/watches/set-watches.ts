import { Stat } from '@shepherd/zk-protocol';

/** What setWatches needs to know about the tree: the node's stat, or undefined if absent. */
export interface WatchedTreeView {
  stat(path: string): Stat | undefined;
}

/**
 * The path lists of SetWatches / SetWatches2 (structurally the protocol's request records;
 * the persistent lists are absent in a plain SetWatches).
 */
export interface SetWatchesLists {
  relativeZxid: bigint;
  dataWatches: readonly string[];
  existWatches: readonly string[];
  childWatches: readonly string[];
  persistentWatches?: readonly string[];
  persistentRecursiveWatches?: readonly string[];
}
