import {
  AddWatchMode,
  ErrorCode,
  EventType,
  KeeperState,
  Stat,
  WatcherType,
} from '@shepherd/zk-protocol';
import { DataTreeWatches, WatchedTreeView } from '@shepherd/zk-server';

interface Conn {
  id: number;
}
const c1: Conn = { id: 1 };
const c2: Conn = { id: 2 };
const ids = (s: Set<Conn>) => [...s].map((c) => c.id).sort();

describe('DataTreeWatches: which events reach which watches', () => {
  let w: DataTreeWatches<Conn>;
  beforeEach(() => {
    w = new DataTreeWatches<Conn>();
  });

  it('NodeCreated reaches data (exists) watches on the path, not child watches', () => {
    w.addDataWatch('/a', c1);
    w.addChildWatch('/a', c2);
    expect(ids(w.triggerWatch('/a', EventType.NodeCreated))).toEqual([1]);
    expect(w.child.containsWatcher('/a', c2)).toBe(true);
  });

  it('NodeDataChanged reaches data watches only', () => {
    w.addDataWatch('/a', c1);
    w.addChildWatch('/a', c2);
    expect(ids(w.triggerWatch('/a', EventType.NodeDataChanged))).toEqual([1]);
    expect(ids(w.triggerWatch('/a', EventType.NodeDataChanged))).toEqual([]);
  });

  it('NodeDeleted reaches data and child watches, once per watcher, consuming both', () => {
    w.addDataWatch('/a', c1);
    w.addChildWatch('/a', c1);
    w.addChildWatch('/a', c2);
    const told = w.triggerWatch('/a', EventType.NodeDeleted);
    expect(told.size).toBe(2);
    expect(ids(told)).toEqual([1, 2]);
    expect(w.watchCount()).toBe(0);
  });

  it('NodeChildrenChanged reaches child watches on the path it carries (the parent)', () => {
    w.addChildWatch('/p', c1);
    w.addDataWatch('/p', c2);
    expect(ids(w.triggerWatch('/p/new', EventType.NodeChildrenChanged))).toEqual([]);
    expect(ids(w.trigger({ path: '/p', type: EventType.NodeChildrenChanged }))).toEqual([1]);
    expect(w.data.containsWatcher('/p', c2)).toBe(true);
  });

  it('ignores event types the tree never triggers', () => {
    w.addDataWatch('/a', c1);
    expect(w.triggerWatch('/a', EventType.DataWatchRemoved).size).toBe(0);
    expect(w.triggerWatch('/a', EventType.None).size).toBe(0);
    expect(w.data.containsWatcher('/a', c1)).toBe(true);
  });

  it('a PERSISTENT watch sees every event on its path, children changes included, and stays', () => {
    w.addWatch('/a', c1, AddWatchMode.PERSISTENT);
    expect(ids(w.triggerWatch('/a', EventType.NodeCreated))).toEqual([1]);
    expect(ids(w.triggerWatch('/a', EventType.NodeDataChanged))).toEqual([1]);
    expect(ids(w.triggerWatch('/a', EventType.NodeChildrenChanged))).toEqual([1]);
    expect(ids(w.triggerWatch('/a', EventType.NodeDeleted))).toEqual([1]);
    expect(ids(w.triggerWatch('/a', EventType.NodeCreated))).toEqual([1]);
    // ...but nothing about descendants.
    expect(ids(w.triggerWatch('/a/b', EventType.NodeCreated))).toEqual([]);
    expect(ids(w.triggerWatch('/a/b', EventType.NodeChildrenChanged))).toEqual([]);
  });

  it('a PERSISTENT_RECURSIVE watch sees the subtree but never NodeChildrenChanged', () => {
    w.addWatch('/a', c1, AddWatchMode.PERSISTENT_RECURSIVE);
    expect(ids(w.triggerWatch('/a/b', EventType.NodeCreated))).toEqual([1]);
    expect(ids(w.triggerWatch('/a/b/c', EventType.NodeDataChanged))).toEqual([1]);
    expect(ids(w.triggerWatch('/a/b', EventType.NodeDeleted))).toEqual([1]);
    expect(ids(w.triggerWatch('/a', EventType.NodeDataChanged))).toEqual([1]);
    expect(ids(w.triggerWatch('/a', EventType.NodeChildrenChanged))).toEqual([]);
    expect(ids(w.triggerWatch('/a/b', EventType.NodeChildrenChanged))).toEqual([]);
    expect(ids(w.triggerWatch('/x', EventType.NodeCreated))).toEqual([]);
    expect(w.child.summary().totalWatches).toBe(0);
  });

  it('one connection with one-shot, persistent and recursive matches is told once', () => {
    w.addDataWatch('/a/b', c1);
    w.addWatch('/a/b', c1, AddWatchMode.PERSISTENT);
    w.addWatch('/a', c1, AddWatchMode.PERSISTENT_RECURSIVE);
    w.addWatch('/a', c2, AddWatchMode.PERSISTENT_RECURSIVE);
    expect(ids(w.triggerWatch('/a/b', EventType.NodeDeleted))).toEqual([1, 2]);
    // The one-shot data watch is gone, the persistent ones remain.
    expect(w.containsWatcher('/a/b', WatcherType.Data, c1)).toBe(false);
    expect(w.containsWatcher('/a/b', WatcherType.Persistent, c1)).toBe(true);
  });

  it('removeWatcher (disconnect) drops every watch of that connection in both tables', () => {
    w.addDataWatch('/a', c1);
    w.addChildWatch('/a', c1);
    w.addWatch('/b', c1, AddWatchMode.PERSISTENT);
    w.addWatch('/', c1, AddWatchMode.PERSISTENT_RECURSIVE);
    w.addDataWatch('/a', c2);
    w.removeWatcher(c1);
    expect(ids(w.triggerWatch('/a', EventType.NodeDeleted))).toEqual([2]);
    expect(ids(w.triggerWatch('/b', EventType.NodeChildrenChanged))).toEqual([]);
    expect(ids(w.triggerWatch('/z', EventType.NodeCreated))).toEqual([]);
    expect(w.watchCount()).toBe(0);
  });

  it('ignores watches of a stale connection', () => {
    const stale = new DataTreeWatches<Conn>({ isStale: (c) => c === c2 });
    stale.addDataWatch('/a', c2);
    stale.addWatch('/a', c2, AddWatchMode.PERSISTENT);
    expect(stale.watchCount()).toBe(0);
  });
});

describe('DataTreeWatches: checkWatches / removeWatches', () => {
  let w: DataTreeWatches<Conn>;
  beforeEach(() => {
    w = new DataTreeWatches<Conn>();
  });

  it('answers NoWatcher when the connection has no such watch', () => {
    expect(w.checkWatches('/a', WatcherType.Data, c1)).toBe(ErrorCode.NoWatcher);
    expect(w.removeWatches('/a', WatcherType.Any, c1)).toBe(ErrorCode.NoWatcher);
    w.addDataWatch('/a', c2); // someone else's
    expect(w.checkWatches('/a', WatcherType.Data, c1)).toBe(ErrorCode.NoWatcher);
    expect(w.removeWatches('/a', WatcherType.Data, c1)).toBe(ErrorCode.NoWatcher);
    expect(w.checkWatches('/a', WatcherType.Data, c2)).toBe(ErrorCode.Ok);
  });

  it('Data and Children match only the one-shot watch of their table', () => {
    w.addDataWatch('/a', c1);
    expect(w.checkWatches('/a', WatcherType.Children, c1)).toBe(ErrorCode.NoWatcher);
    expect(w.checkWatches('/a', WatcherType.Data, c1)).toBe(ErrorCode.Ok);
    expect(w.removeWatches('/a', WatcherType.Children, c1)).toBe(ErrorCode.NoWatcher);
    expect(w.removeWatches('/a', WatcherType.Data, c1)).toBe(ErrorCode.Ok);
    expect(w.removeWatches('/a', WatcherType.Data, c1)).toBe(ErrorCode.NoWatcher);
    expect(w.triggerWatch('/a', EventType.NodeDataChanged).size).toBe(0);

    w.addWatch('/p', c1, AddWatchMode.PERSISTENT);
    expect(w.checkWatches('/p', WatcherType.Data, c1)).toBe(ErrorCode.NoWatcher);
    expect(w.checkWatches('/p', WatcherType.Children, c1)).toBe(ErrorCode.NoWatcher);
  });

  it('Persistent removes the persistent watch from both tables, not the recursive one', () => {
    w.addWatch('/a', c1, AddWatchMode.PERSISTENT);
    w.addWatch('/a', c1, AddWatchMode.PERSISTENT_RECURSIVE);
    expect(w.checkWatches('/a', WatcherType.Persistent, c1)).toBe(ErrorCode.Ok);
    expect(w.removeWatches('/a', WatcherType.Persistent, c1)).toBe(ErrorCode.Ok);
    expect(w.checkWatches('/a', WatcherType.Persistent, c1)).toBe(ErrorCode.NoWatcher);
    expect(w.child.containsWatcher('/a', c1)).toBe(false);
    expect(w.checkWatches('/a', WatcherType.PersistentRecursive, c1)).toBe(ErrorCode.Ok);
    expect(ids(w.triggerWatch('/a/b', EventType.NodeCreated))).toEqual([1]);
    expect(w.removeWatches('/a', WatcherType.PersistentRecursive, c1)).toBe(ErrorCode.Ok);
    expect(ids(w.triggerWatch('/a/b', EventType.NodeCreated))).toEqual([]);
    expect(w.removeWatches('/a', WatcherType.PersistentRecursive, c1)).toBe(ErrorCode.NoWatcher);
  });

  it('Any matches and removes every mode in both tables', () => {
    w.addChildWatch('/a', c1);
    expect(w.checkWatches('/a', WatcherType.Any, c1)).toBe(ErrorCode.Ok);
    w.addDataWatch('/a', c1);
    w.addWatch('/a', c1, AddWatchMode.PERSISTENT_RECURSIVE);
    w.addDataWatch('/a', c2);
    expect(w.removeWatches('/a', WatcherType.Any, c1)).toBe(ErrorCode.Ok);
    expect(w.checkWatches('/a', WatcherType.Any, c1)).toBe(ErrorCode.NoWatcher);
    expect(ids(w.triggerWatch('/a', EventType.NodeDeleted))).toEqual([2]);
  });

  it('answers MarshallingError for a type number ZooKeeper cannot convert', () => {
    expect(w.checkWatches('/a', 9 as WatcherType, c1)).toBe(ErrorCode.MarshallingError);
    expect(w.removeWatches('/a', 0 as WatcherType, c1)).toBe(ErrorCode.MarshallingError);
    expect(() => w.containsWatcher('/a', 9 as WatcherType, c1)).toThrow(RangeError);
  });
});

describe('DataTreeWatches: setWatches after a reconnect', () => {
  function stat(mzxid: bigint, pzxid: bigint): Stat {
    return {
      czxid: 1n,
      mzxid,
      ctime: 0n,
      mtime: 0n,
      version: 0,
      cversion: 0,
      aversion: 0,
      ephemeralOwner: 0n,
      dataLength: 0,
      numChildren: 0,
      pzxid,
    };
  }
  // relativeZxid will be 10: "old" nodes changed at <= 10, "new" ones after.
  const nodes = new Map<string, Stat>([
    ['/old', stat(5n, 5n)],
    ['/at', stat(10n, 10n)],
    ['/dataNew', stat(11n, 5n)],
    ['/kidsNew', stat(5n, 11n)],
  ]);
  const tree: WatchedTreeView = { stat: (p) => nodes.get(p) };
  const sw = (type: EventType, path: string) => ({ type, state: KeeperState.SyncConnected, path });

  it('data watches: gone -> NodeDeleted, mzxid newer -> NodeDataChanged, else re-registered', () => {
    const w = new DataTreeWatches<Conn>();
    const events = w.setWatches(
      {
        relativeZxid: 10n,
        dataWatches: ['/gone', '/dataNew', '/kidsNew', '/old', '/at'],
        existWatches: [],
        childWatches: [],
      },
      tree,
      c1,
    );
    expect(events).toEqual([
      sw(EventType.NodeDeleted, '/gone'),
      sw(EventType.NodeDataChanged, '/dataNew'),
    ]);
    expect(w.data.byWatcher().get(c1)).toEqual(['/kidsNew', '/old', '/at']);
    expect(w.child.size()).toBe(0);
  });

  it('exist watches: node there -> NodeCreated, else re-registered', () => {
    const w = new DataTreeWatches<Conn>();
    const events = w.setWatches(
      { relativeZxid: 10n, dataWatches: [], existWatches: ['/old', '/missing'], childWatches: [] },
      tree,
      c1,
    );
    expect(events).toEqual([sw(EventType.NodeCreated, '/old')]);
    expect(w.containsWatcher('/missing', WatcherType.Data, c1)).toBe(true);
    expect(w.containsWatcher('/old', WatcherType.Data, c1)).toBe(false);
    expect(ids(w.triggerWatch('/missing', EventType.NodeCreated))).toEqual([1]);
  });

  it('child watches: gone -> NodeDeleted, pzxid newer -> NodeChildrenChanged, else re-registered', () => {
    const w = new DataTreeWatches<Conn>();
    const events = w.setWatches(
      {
        relativeZxid: 10n,
        dataWatches: [],
        existWatches: [],
        childWatches: ['/gone', '/kidsNew', '/dataNew', '/at'],
      },
      tree,
      c1,
    );
    expect(events).toEqual([
      sw(EventType.NodeDeleted, '/gone'),
      sw(EventType.NodeChildrenChanged, '/kidsNew'),
    ]);
    expect(w.child.byWatcher().get(c1)).toEqual(['/dataNew', '/at']);
    expect(w.data.summary().totalWatches).toBe(0);
  });

  it('orders events data, exist, child and re-registers persistent lists without firing', () => {
    const w = new DataTreeWatches<Conn>();
    const events = w.setWatches(
      {
        relativeZxid: 10n,
        dataWatches: ['/gone'],
        existWatches: ['/old'],
        childWatches: ['/kidsNew'],
        persistentWatches: ['/gone', '/p'],
        persistentRecursiveWatches: ['/r'],
      },
      tree,
      c1,
    );
    expect(events.map((e) => e.type)).toEqual([
      EventType.NodeDeleted,
      EventType.NodeCreated,
      EventType.NodeChildrenChanged,
    ]);
    expect(w.containsWatcher('/gone', WatcherType.Persistent, c1)).toBe(true);
    expect(w.containsWatcher('/p', WatcherType.Persistent, c1)).toBe(true);
    expect(w.child.containsWatcher('/p', c1)).toBe(true);
    expect(w.containsWatcher('/r', WatcherType.PersistentRecursive, c1)).toBe(true);
    expect(w.child.containsWatcher('/r', c1)).toBe(false);
    expect(ids(w.triggerWatch('/r/x/y', EventType.NodeCreated))).toEqual([1]);
  });

  it('a plain SetWatches (no persistent lists) with nothing stale fires nothing', () => {
    const w = new DataTreeWatches<Conn>();
    const events = w.setWatches(
      {
        relativeZxid: 20n,
        dataWatches: ['/dataNew'],
        existWatches: [],
        childWatches: ['/kidsNew'],
      },
      tree,
      c1,
    );
    expect(events).toEqual([]);
    expect(w.watchCount()).toBe(2);
  });
});

describe('DataTreeWatches: reports', () => {
  it('wchs/wchc/wchp cover the data table, as ZooKeeper does; watchCount covers both', () => {
    const w = new DataTreeWatches<Conn>();
    w.addDataWatch('/a', c1);
    w.addDataWatch('/b', c1);
    w.addDataWatch('/a', c2);
    w.addChildWatch('/kids', c2); // not in the data table: not in the reports
    w.addWatch('/p', c2, AddWatchMode.PERSISTENT); // in both tables
    expect(w.summary()).toEqual({ numConnections: 2, numPaths: 3, totalWatches: 4 });
    expect(w.byWatcher()).toEqual(
      new Map([
        [c1, ['/a', '/b']],
        [c2, ['/a', '/p']],
      ]),
    );
    expect(w.byPath()).toEqual(
      new Map([
        ['/a', [c1, c2]],
        ['/b', [c1]],
        ['/p', [c2]],
      ]),
    );
    expect(w.child.summary()).toEqual({ numConnections: 1, numPaths: 2, totalWatches: 2 });
    expect(w.watchCount()).toBe(6);
  });
});
