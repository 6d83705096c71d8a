import { EventType, WatcherType } from '@shepherd/zk-protocol';
import { Watcher } from './watcher';

/** The client-side watch tables of ZKWatchManager.java. */
export type WatchKind = 'data' | 'exist' | 'child' | 'persistent' | 'persistentRecursive';

export const WATCH_KINDS: readonly WatchKind[] = [
  'data',
  'exist',
  'child',
  'persistent',
  'persistentRecursive',
];

/** Which tables a removeWatches/checkWatches WatcherType covers (ZKWatchManager.removeWatcher). */
export function kindsFor(type: WatcherType): WatchKind[] {
  switch (type) {
    case WatcherType.Children:
      return ['child'];
    case WatcherType.Data:
      return ['data', 'exist'];
    case WatcherType.Persistent:
      return ['persistent'];
    case WatcherType.PersistentRecursive:
      return ['persistentRecursive'];
    default:
      return [...WATCH_KINDS];
  }
}

/** The *WatchRemoved event a removed watcher of this kind receives. */
export function removedEventFor(kind: WatchKind): EventType {
  if (kind === 'child') return EventType.ChildWatchRemoved;
  if (kind === 'data' || kind === 'exist') return EventType.DataWatchRemoved;
  return EventType.PersistentWatchRemoved;
}

/**
 * Path -> set of watchers, per kind. Sets make re-watching a path with the same watcher free:
 * no duplicate delivery and no growth (ZKWatchManager uses HashSet for the same reason).
 */
export class WatchRegistry {
  private readonly tables: Record<WatchKind, Map<string, Set<Watcher>>> = {
    data: new Map(),
    exist: new Map(),
    child: new Map(),
    persistent: new Map(),
    persistentRecursive: new Map(),
  };

  add(kind: WatchKind, path: string, watcher: Watcher): void {
    const table = this.tables[kind];
    let set = table.get(path);
    if (!set) {
      set = new Set();
      table.set(path, set);
    }
    set.add(watcher);
  }

  paths(kind: WatchKind): string[] {
    return [...this.tables[kind].keys()];
  }

  count(kind: WatchKind, path: string): number {
    return this.tables[kind].get(path)?.size ?? 0;
  }

  isEmpty(): boolean {
    return WATCH_KINDS.every((k) => this.tables[k].size === 0);
  }

  /** Every registered watcher, once: session events go to all of them (ZKWatchManager: None). */
  all(): Set<Watcher> {
    const out = new Set<Watcher>();
    for (const kind of WATCH_KINDS) {
      for (const set of this.tables[kind].values()) for (const w of set) out.add(w);
    }
    return out;
  }

  /**
   * The watchers a server notification triggers; one-time watches are consumed, persistent ones
   * stay (ZKWatchManager.materialize). Recursive watches fire for the path and every ancestor
   * registration, but never for NodeChildrenChanged (the server only sends those because of
   * ordinary child watches, and recursive watches promise no child events).
   */
  materialize(type: EventType, path: string): Set<Watcher> {
    const out = new Set<Watcher>();
    const take = (kind: WatchKind): void => {
      const set = this.tables[kind].get(path);
      if (set) {
        this.tables[kind].delete(path);
        for (const w of set) out.add(w);
      }
    };
    switch (type) {
      case EventType.NodeCreated:
      case EventType.NodeDataChanged:
        take('data');
        take('exist');
        break;
      case EventType.NodeChildrenChanged:
        take('child');
        break;
      case EventType.NodeDeleted:
        take('data');
        take('exist');
        take('child');
        break;
      default:
        return out;
    }
    const persistent = this.tables.persistent.get(path);
    if (persistent) for (const w of persistent) out.add(w);
    if (type !== EventType.NodeChildrenChanged && this.tables.persistentRecursive.size > 0) {
      for (let p: string | undefined = path; p !== undefined; p = parentOf(p)) {
        const set = this.tables.persistentRecursive.get(p);
        if (set) for (const w of set) out.add(w);
      }
    }
    return out;
  }

  /** Whether `watcher` (or any watcher, if null) is registered on `path` for these kinds. */
  contains(path: string, watcher: Watcher | null, kinds: readonly WatchKind[]): boolean {
    return kinds.some((kind) => {
      const set = this.tables[kind].get(path);
      return set !== undefined && (watcher === null ? set.size > 0 : set.has(watcher));
    });
  }

  /** Whether watchers other than `watcher` remain on `path` in these kinds. */
  hasOthers(path: string, watcher: Watcher | null, kinds: readonly WatchKind[]): boolean {
    if (watcher === null) return false;
    return kinds.some((kind) => {
      const set = this.tables[kind].get(path);
      return set !== undefined && set.size > (set.has(watcher) ? 1 : 0);
    });
  }

  /**
   * Remove `watcher` (or all watchers, if null) from `path` in these kinds. Returns what was
   * removed so the caller can send each a *WatchRemoved event.
   */
  remove(
    path: string,
    watcher: Watcher | null,
    kinds: readonly WatchKind[],
  ): Array<{ kind: WatchKind; watcher: Watcher }> {
    const removed: Array<{ kind: WatchKind; watcher: Watcher }> = [];
    for (const kind of kinds) {
      const set = this.tables[kind].get(path);
      if (!set) continue;
      if (watcher === null) {
        for (const w of set) removed.push({ kind, watcher: w });
        set.clear();
      } else if (set.delete(watcher)) {
        removed.push({ kind, watcher });
      }
      if (set.size === 0) this.tables[kind].delete(path);
    }
    return removed;
  }

  clear(): void {
    for (const kind of WATCH_KINDS) this.tables[kind].clear();
  }
}

/** `/a/b` -> `/a` -> `/` -> undefined (PathParentIterator.java). */
function parentOf(path: string): string | undefined {
  if (path === '/') return undefined;
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}
