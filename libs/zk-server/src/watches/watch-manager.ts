import { pathAndAncestors } from './path-parents';
import { WatchesByPath, WatchesByWatcher, WatchesSummary } from './watch-reports';
import { WatcherMode } from './watcher-mode';

export interface WatchManagerOptions<W> {
  /**
   * True for a watcher whose connection is already closed: its addWatch is ignored, so a
   * request still in flight when the connection went away cannot leak a watch
   * (WatchManager.isDeadWatcher / ServerCnxn.isStale).
   */
  isStale?: (watcher: W) => boolean;
}

/**
 * One watch table (server/watch/WatchManager.java), generic over the watcher identity (the
 * server's connection objects). Two-way index: path -> watchers, and watcher -> (path -> modes),
 * the modes being WatcherMode bit flags so STANDARD, PERSISTENT and PERSISTENT_RECURSIVE can
 * coexist on one (watcher, path) as in ZooKeeper 3.9 (WatchStats).
 *
 * It only answers "who is told": the caller (DataTreeWatches) decides which table an event
 * goes to and builds the notification.
 */
export class WatchManager<W> {
  private readonly watchTable = new Map<string, Set<W>>();
  private readonly watch2Paths = new Map<W, Map<string, number>>();
  /** Recursive watches registered; while 0, triggers skip the ancestor walk. */
  private recursiveWatchQty = 0;

  constructor(private readonly options: WatchManagerOptions<W> = {}) {}

  /** True while no watch is registered (a trigger then tells nobody). */
  get isEmpty(): boolean {
    return this.watchTable.size === 0;
  }

  /** Registers a watch; false if the watcher already had this mode there (or is stale). */
  addWatch(path: string, watcher: W, mode: WatcherMode = WatcherMode.Standard): boolean {
    if (this.options.isStale?.(watcher)) return false;
    let watchers = this.watchTable.get(path);
    if (!watchers) {
      watchers = new Set();
      this.watchTable.set(path, watchers);
    }
    watchers.add(watcher);
    let paths = this.watch2Paths.get(watcher);
    if (!paths) {
      paths = new Map();
      this.watch2Paths.set(watcher, paths);
    }
    const flags = paths.get(path) ?? 0;
    if (flags & mode) return false;
    paths.set(path, flags | mode);
    if (mode === WatcherMode.PersistentRecursive) this.recursiveWatchQty++;
    return true;
  }

  /** Drops everything the watcher registered (its connection closed). */
  removeWatcher(watcher: W): void {
    const paths = this.watch2Paths.get(watcher);
    if (!paths) return;
    this.watch2Paths.delete(watcher);
    for (const [path, flags] of paths) {
      this.dropFromTable(path, watcher);
      if (flags & WatcherMode.PersistentRecursive) this.recursiveWatchQty--;
    }
  }

  /**
   * The watchers an event on `path` reaches (WatchManager.triggerWatch): every watcher with
   * any watch ON the path, plus PERSISTENT_RECURSIVE watchers on an ancestor. STANDARD watches
   * that fired are consumed; persistent ones stay. Each watcher appears once.
   */
  triggerWatch(path: string): Set<W> {
    const notified = new Set<W>();
    for (const localPath of this.recursiveWatchQty > 0 ? pathAndAncestors(path) : [path]) {
      const atParent = localPath !== path;
      const watchers = this.watchTable.get(localPath);
      if (!watchers) continue;
      for (const watcher of [...watchers]) {
        const paths = this.watch2Paths.get(watcher);
        const flags = paths?.get(localPath);
        if (!paths || flags === undefined) continue; // cannot happen: the index is two-way
        if (!atParent) {
          notified.add(watcher);
          const rest = flags & ~WatcherMode.Standard;
          if (rest === 0) {
            this.unwatch(localPath, watcher, paths);
          } else if (rest !== flags) {
            paths.set(localPath, rest);
          }
        } else if (flags & WatcherMode.PersistentRecursive) {
          notified.add(watcher);
        }
      }
    }
    return notified;
  }

  /** Does the watcher watch the path (in `mode`, or in any mode if omitted)? */
  containsWatcher(path: string, watcher: W, mode?: WatcherMode): boolean {
    const flags = this.watch2Paths.get(watcher)?.get(path);
    return flags !== undefined && (mode === undefined || (flags & mode) !== 0);
  }

  /**
   * Removes the watcher's watch on the path in `mode` (or in every mode if omitted).
   * True if something was removed (WatchManager.removeWatcher(path, watcher, mode)).
   */
  removeWatch(path: string, watcher: W, mode?: WatcherMode): boolean {
    const paths = this.watch2Paths.get(watcher);
    const flags = paths?.get(path);
    if (!paths || flags === undefined) return false;
    const rest = mode === undefined ? 0 : flags & ~mode;
    if (rest === flags) return false;
    if (rest === 0) this.unwatch(path, watcher, paths);
    else paths.set(path, rest);
    if (flags & WatcherMode.PersistentRecursive && !(rest & WatcherMode.PersistentRecursive)) {
      this.recursiveWatchQty--;
    }
    return true;
  }

  /** Distinct (path, watcher) pairs (WatchManager.size). */
  size(): number {
    let n = 0;
    for (const watchers of this.watchTable.values()) n += watchers.size;
    return n;
  }

  summary(): WatchesSummary {
    let totalWatches = 0;
    for (const paths of this.watch2Paths.values()) totalWatches += paths.size;
    return {
      numConnections: this.watch2Paths.size,
      numPaths: this.watchTable.size,
      totalWatches,
    };
  }

  byWatcher(): WatchesByWatcher<W> {
    const out: WatchesByWatcher<W> = new Map();
    for (const [watcher, paths] of this.watch2Paths) out.set(watcher, [...paths.keys()]);
    return out;
  }

  byPath(): WatchesByPath<W> {
    const out: WatchesByPath<W> = new Map();
    for (const [path, watchers] of this.watchTable) out.set(path, [...watchers]);
    return out;
  }

  /** The modes the watcher holds on the path (0 if none); for tests and diagnostics. */
  modesOf(path: string, watcher: W): number {
    return this.watch2Paths.get(watcher)?.get(path) ?? 0;
  }

  private unwatch(path: string, watcher: W, paths: Map<string, number>): void {
    paths.delete(path);
    if (paths.size === 0) this.watch2Paths.delete(watcher);
    this.dropFromTable(path, watcher);
  }

  private dropFromTable(path: string, watcher: W): void {
    const watchers = this.watchTable.get(path);
    if (!watchers) return;
    watchers.delete(watcher);
    if (watchers.size === 0) this.watchTable.delete(path);
  }
}
