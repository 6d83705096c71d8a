/**
 * Plain-data views of the watch tables for the four-letter words and admin commands
 * (WatchesSummary, WatchesReport, WatchesPathReport). They are keyed by the watcher objects
 * themselves; the formatter maps a watcher (connection) to its session id.
 */

/** wchs: WatchesSummary / WatchManager.toString. */
export interface WatchesSummary {
  /** Watchers (connections) with at least one watch. */
  numConnections: number;
  /** Paths with at least one watch. */
  numPaths: number;
  /** Distinct (watcher, path) pairs; several modes on one pair count once, as in ZooKeeper. */
  totalWatches: number;
}

/** wchc: watcher -> the paths it watches (WatchesReport). */
export type WatchesByWatcher<W> = Map<W, string[]>;

/** wchp: path -> its watchers (WatchesPathReport). */
export type WatchesByPath<W> = Map<string, W[]>;
