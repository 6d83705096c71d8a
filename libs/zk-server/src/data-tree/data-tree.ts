import {
  ACL,
  ErrorCode,
  EventType,
  OPEN_ACL_UNSAFE,
  OpCode,
  READ_ACL_UNSAFE,
  Stat,
} from '@shepherd/zk-protocol';
import { Txn, TxnHeader } from '../txn/txn';
import { AclCache } from './acl-cache';
import { DataNode, childNames, statOf } from './data-node';
import { EphemeralIndex } from './ephemeral-index';
import { CONTAINER_EPHEMERAL_OWNER, ttlToEphemeralOwner } from './ephemeral-type';
import { NodeRows, SnapshotNodeRows } from './node-rows';
import { NodeStore, exactNumber } from './node-store';
import { PathIndex } from './path-index';
import { childPath, parentOf } from './paths';
import { ProcessTxnResult } from './process-txn-result';
import { NodeCursor, SnapshotNode, walkSnapshotNodes } from './snapshot-walk';
import { WatchTrigger } from './watch-trigger';

/** ZooDefs: the proc node, its quota and config children. */
export const ZOOKEEPER_PATH = '/zookeeper';
export const QUOTA_PATH = '/zookeeper/quota';
export const CONFIG_PATH = '/zookeeper/config';

/**
 * The in-memory znode tree (DataTree.java): pure state, no watches, no I/O. Every change goes
 * through processTxn so that applying the log again yields the same tree.
 *
 * Nodes live in a NodeStore (columns by node id, see node-store.ts), and its PathIndex
 * (path-index.ts) finds a path's id and lists children. getNode hands out DataNode views of a
 * node's row.
 *
 * Here are the reads and the txn apply; the index of ephemeral, container and TTL nodes is in
 * ephemeral-index.ts, and the walk a snapshot takes in snapshot-walk.ts.
 */
/** Parents remembered while replaying (a task queue has a few hundred buckets). */
const REPLAY_PARENTS = 4096;

export class DataTree {
  private readonly store = new NodeStore();
  private readonly paths: PathIndex = this.store.paths;
  private readonly aclCache = new AclCache();
  /** Ephemeral, container and TTL nodes (see ephemeral-index.ts). */
  private readonly index = new EphemeralIndex();
  private lastZxid = 0n;
  /** Set by replayTxn: skip what only a live caller reads (triggers, Stats). */
  private replaying = false;
  /**
   * Replay only: parent paths of recent creates and their ids. A log replays long runs of
   * creates under the same few parents (a task queue's buckets); a hit saves walking the path
   * from the root. Emptied by every delete, the only change that can make an entry wrong.
   */
  private readonly replayParents = new Map<string, number>();

  /** A fresh tree as ZooKeeper 3.8 standalone starts: /, /zookeeper, its quota and config. */
  constructor() {
    this.addSystemNode('/', OPEN_ACL_UNSAFE);
    this.addSystemNode(ZOOKEEPER_PATH, OPEN_ACL_UNSAFE);
    this.addSystemNode(QUOTA_PATH, OPEN_ACL_UNSAFE);
    // DataTree.addConfigNode: setACL(configZookeeper, READ_ACL_UNSAFE, -1) leaves aversion -1.
    const config = this.addSystemNode(CONFIG_PATH, READ_ACL_UNSAFE);
    this.store.setAversion(config, -1);
  }

  /**
   * Builds a tree from a walk such as walk()/forEachNode() produced: every parent before its
   * children, '/' first. The system nodes come from the walk like any other node.
   */
  static restore(nodes: Iterable<SnapshotNode>, lastProcessedZxid = 0n): DataTree {
    return DataTree.restoreRows(new SnapshotNodeRows(nodes), lastProcessedZxid);
  }

  /**
   * restore() from NodeRows (a snapshot file read in place). A walk is depth first, so a
   * node's parent is nearly always the node before it or one of that node's ancestors: a stack
   * of the current branch finds it by comparing the path's prefix, without hashing the path's
   * components from the root again; a node whose parent is not on the stack (an order other
   * than depth first) is looked up from the root.
   */
  static restoreRows(rows: NodeRows, lastProcessedZxid = 0n): DataTree {
    const tree = new DataTree();
    tree.store.clear();
    tree.aclCache.clear();
    const { store, paths } = tree;
    if (rows.count !== undefined) paths.reserve(rows.count);
    // Consecutive nodes usually carry the same list object (a decoded snapshot shares it):
    // acquiring it again by id skips looking the list up for every node.
    let lastIn: readonly ACL[] | undefined;
    let lastId = -1;
    // The current branch, root first: entries at and past `depth` are stale, overwritten as
    // the walk goes (truncating the arrays instead was a measurable share of a restore).
    const branchPaths: string[] = [];
    const branchIds: number[] = [];
    let depth = 0;
    while (rows.next()) {
      const path = rows.path;
      const acl = rows.acl;
      let aclId: number;
      if (acl === lastIn) {
        aclId = tree.aclCache.acquireId(tree.aclCache.list(lastId));
      } else {
        aclId = lastId = tree.aclCache.acquireId((lastIn = acl));
      }
      const slash = path.lastIndexOf('/');
      let parent = -1;
      if (path !== '/') {
        const parentLength = slash === 0 ? 1 : slash;
        while (
          depth > 0 &&
          !(
            branchPaths[depth - 1].length === parentLength &&
            path.startsWith(branchPaths[depth - 1])
          )
        )
          depth--;
        if (depth > 0) {
          parent = branchIds[depth - 1];
        } else {
          parent = paths.lookupRange(path, slash);
          if (parent < 0) throw new Error(`Invalid snapshot: no parent for ${path}`);
        }
      }
      const id = store.alloc();
      const ephemeralOwner = rows.ephemeralOwner;
      store.init(
        id,
        rows.czxid,
        rows.mzxid,
        rows.pzxid,
        rows.ctime,
        rows.mtime,
        rows.version,
        rows.cversion,
        rows.aversion,
        ephemeralOwner,
      );
      store.setAclId(id, aclId);
      const data = rows.data;
      if (data === null || data.length > 0) store.setData(id, data);
      if (parent < 0) paths.setRoot(id);
      else {
        if (!paths.addNew(parent, id, path, slash + 1))
          throw new Error(`Invalid snapshot: ${path} twice`);
        tree.index.track(path, ephemeralOwner);
      }
      branchPaths[depth] = path;
      branchIds[depth++] = id;
    }
    if (paths.root < 0) throw new Error('Invalid snapshot: no root node');
    tree.lastZxid = lastProcessedZxid;
    return tree;
  }

  // ---- reads -------------------------------------------------------------------------------

  /** Whether a node exists at path. */
  has(path: string): boolean {
    return this.paths.lookup(path) >= 0;
  }

  /** A view of the node at path (read it at once; see DataNode). */
  getNode(path: string): DataNode | undefined {
    const id = this.paths.lookup(path);
    return id < 0 ? undefined : new DataNode(this.store, this.aclCache, id);
  }

  /** The client Stat of a node, or undefined when there is none. */
  statOf(path: string): Stat | undefined {
    const id = this.paths.lookup(path);
    return id < 0 ? undefined : statOf(this.store, id);
  }

  getData(path: string): { data: Buffer | null; stat: Stat } | undefined {
    const id = this.paths.lookup(path);
    if (id < 0) return undefined;
    return { data: this.store.data(id), stat: statOf(this.store, id) };
  }

  getChildren(path: string): { children: string[]; stat: Stat } | undefined {
    const id = this.paths.lookup(path);
    if (id < 0) return undefined;
    return { children: childNames(this.store, id), stat: statOf(this.store, id) };
  }

  getACL(path: string): { acl: ACL[]; stat: Stat } | undefined {
    const id = this.paths.lookup(path);
    if (id < 0) return undefined;
    const acl = this.aclCache.list(this.store.aclId(id));
    return {
      acl: acl.map((a) => ({ perms: a.perms, id: { ...a.id } })),
      stat: statOf(this.store, id),
    };
  }

  /** Number of descendants of path (DataTree.getAllChildrenNumber); '/' counts every node but itself. */
  getAllChildrenNumber(path: string): number {
    const paths = this.paths;
    if (path === '/') return paths.size - 1;
    const id = paths.lookup(path);
    if (id < 0) return 0;
    let count = 0;
    const stack: number[] = [id];
    while (stack.length > 0) {
      const n = stack.pop() as number;
      for (let c = paths.firstChild(n); c >= 0; c = paths.nextSibling(c)) {
        count++;
        if (paths.childCount(c) > 0) stack.push(c);
      }
    }
    return count;
  }

  /** Number of znodes, root included (ZooKeeper's mntr znode_count is one more: "" aliases "/"). */
  get nodeCount(): number {
    return this.paths.size;
  }

  /** Sum of path lengths and data lengths (DataTree.approximateDataSize). */
  approximateDataSize(): number {
    const cursor = this.snapshotCursor();
    let size = 0;
    while (cursor.next()) size += cursor.path.length + Math.max(0, cursor.dataLength);
    return size;
  }

  /** Highest zxid applied by processTxn (or given to restore). */
  get lastProcessedZxid(): bigint {
    return this.lastZxid;
  }

  /** The paths of a session's ephemeral nodes (a copy). */
  getEphemerals(sessionId: bigint): string[] {
    const set = this.index.ephemerals.get(sessionId);
    return set ? [...set] : [];
  }

  /** Sessions owning ephemeral nodes, with their paths (live view; do not mutate). */
  get ephemerals(): ReadonlyMap<bigint, ReadonlySet<string>> {
    return this.index.ephemerals;
  }

  /** Paths of container nodes (live view), for the container manager. */
  get containers(): ReadonlySet<string> {
    return this.index.containers;
  }

  /** Paths of TTL nodes (live view), for the container manager. */
  get ttls(): ReadonlySet<string> {
    return this.index.ttls;
  }

  /** Number of distinct ACL lists in use. */
  get aclCount(): number {
    return this.aclCache.size;
  }

  /**
   * Visits every node, parent before children, root first (DataTree.serializeNode order),
   * iteratively so deep trees cannot overflow the stack. The node is a view: read it, don't
   * keep it.
   */
  forEachNode(cb: (path: string, node: DataNode) => void): void {
    const cursor = this.snapshotCursor();
    while (cursor.next()) {
      cb(cursor.path, new DataNode(this.store, this.aclCache, cursor.id));
    }
  }

  /**
   * The walk of forEachNode as a cursor that allocates nothing per node (see NodeCursor), for
   * the snapshot writer, which yields to the event loop between chunks. If txns are applied
   * while a walk is paused, the result is "fuzzy" like ZooKeeper's snapshots: record
   * lastProcessedZxid before starting and replay the log from there (processTxn tolerates
   * re-applying txns a fuzzy snapshot already holds, as DataTree.processTxn does).
   */
  snapshotCursor(): NodeCursor {
    return new NodeCursor(this.store, this.aclCache);
  }

  /** The same walk as a generator of SnapshotNode (copies; see walkSnapshotNodes). */
  walk(): Generator<SnapshotNode> {
    return walkSnapshotNodes(this.snapshotCursor());
  }

  /** The tree itself iterates as walk() does. */
  [Symbol.iterator](): Iterator<SnapshotNode> {
    return this.walk();
  }

  // ---- writes ------------------------------------------------------------------------------

  /**
   * Applies one txn (DataTree.processTxn). Never throws for txn-level failures: like ZooKeeper,
   * a create of an existing node or a delete of a missing one is reported in `err` (this
   * happens when replaying the log over a fuzzy snapshot). The caller's Buffers are copied.
   */
  processTxn(header: TxnHeader, txn: Txn): ProcessTxnResult {
    const zxid = exactNumber(header.zxid, 'zxid');
    const time = exactNumber(header.time, 'time');
    const result = this.apply(header, zxid, time, txn);
    if (header.zxid > this.lastZxid) this.lastZxid = header.zxid;
    return result;
  }

  /**
   * processTxn for recovery: the same change to the tree, but nobody reads the result, so no
   * watch triggers and no Stat are made (a million replayed creates made two million triggers
   * and a million Stats with bigints, all garbage at once). `err` is still reported.
   */
  replayTxn(header: TxnHeader, txn: Txn): number {
    this.replaying = true;
    try {
      return this.processTxn(header, txn).err;
    } finally {
      this.replaying = false;
    }
  }

  private apply(header: TxnHeader, zxid: number, time: number, txn: Txn): ProcessTxnResult {
    const triggers: WatchTrigger[] = [];
    switch (txn.type) {
      case OpCode.create:
      case OpCode.createContainer:
      case OpCode.createTTL: {
        const owner =
          txn.type === OpCode.createContainer
            ? CONTAINER_EPHEMERAL_OWNER
            : txn.type === OpCode.createTTL
              ? ttlToEphemeralOwner(txn.ttl)
              : txn.ephemeral
                ? header.clientId
                : 0n;
        const res = this.createNode(
          txn.path,
          txn.data,
          txn.acl,
          owner,
          txn.parentCVersion,
          zxid,
          time,
          triggers,
        );
        if (res.err === ErrorCode.NodeExists) {
          // DataTree.processTxn: a create replayed over a fuzzy snapshot still moves the
          // parent's cversion/pzxid forward.
          this.setCversionPzxid(parentOf(txn.path), txn.parentCVersion, zxid);
        }
        return { type: txn.type, ...res, triggers };
      }
      case OpCode.delete:
      case OpCode.deleteContainer: {
        const err = this.deleteNode(txn.path, zxid, triggers);
        return { type: txn.type, err, path: txn.path, triggers };
      }
      case OpCode.setData: {
        const id = this.paths.lookup(txn.path);
        if (id < 0) {
          return { type: txn.type, err: ErrorCode.NoNode, path: txn.path, triggers };
        }
        const store = this.store;
        store.setData(id, txn.data);
        store.setModified(id, zxid, time, txn.version);
        if (this.replaying) return { type: txn.type, err: 0, path: txn.path, triggers };
        triggers.push({ path: txn.path, type: EventType.NodeDataChanged });
        return { type: txn.type, err: 0, path: txn.path, stat: statOf(store, id), triggers };
      }
      case OpCode.setACL: {
        const id = this.paths.lookup(txn.path);
        if (id < 0) {
          return { type: txn.type, err: ErrorCode.NoNode, path: txn.path, triggers };
        }
        const acl = this.aclCache.acquireId(txn.acl);
        this.aclCache.releaseId(this.store.aclId(id));
        this.store.setAclId(id, acl);
        this.store.setAversion(id, txn.version);
        return {
          type: txn.type,
          err: 0,
          path: txn.path,
          stat: statOf(this.store, id),
          triggers,
        };
      }
      case OpCode.check: {
        const id = this.paths.lookup(txn.path);
        return {
          type: txn.type,
          err: 0,
          path: txn.path,
          stat: id < 0 ? undefined : statOf(this.store, id),
          triggers,
        };
      }
      case OpCode.createSession:
        // Sessions are tracked outside the tree.
        return { type: txn.type, err: 0, triggers };
      case OpCode.closeSession:
        this.killSession(header.clientId, zxid, txn.paths2Delete, triggers);
        return { type: txn.type, err: 0, triggers };
      case OpCode.error:
        return { type: txn.type, err: txn.err, triggers };
      case OpCode.multi:
        return this.applyMulti(header, zxid, time, txn.txns);
    }
  }

  /**
   * DataTree.processTxn for multi: if any sub-txn is an ErrorTxn the whole multi changes
   * nothing, and every other op is reported as an error too: Ok for the ops before the first
   * ErrorTxn, RuntimeInconsistency after it. `err` is the first non-zero sub error.
   */
  private applyMulti(header: TxnHeader, zxid: number, time: number, txns: Txn[]): ProcessTxnResult {
    const failed = txns.some((t) => t.type === OpCode.error);
    const results: ProcessTxnResult[] = [];
    const triggers: WatchTrigger[] = [];
    let err = 0;
    let postFailed = false;
    for (const sub of txns) {
      let effective: Txn = sub;
      if (sub.type === OpCode.error) {
        postFailed = true;
      } else if (failed) {
        effective = {
          type: OpCode.error,
          err: postFailed ? ErrorCode.RuntimeInconsistency : ErrorCode.Ok,
        };
      }
      const rc = this.apply(header, zxid, time, effective);
      results.push(rc);
      for (const t of rc.triggers) triggers.push(t);
      if (rc.err !== 0 && err === 0) err = rc.err;
    }
    return { type: OpCode.multi, err, results, triggers };
  }

  private createNode(
    path: string,
    data: Buffer | null,
    acl: readonly ACL[],
    ephemeralOwner: bigint,
    parentCVersion: number,
    zxid: number,
    time: number,
    triggers: WatchTrigger[],
  ): { err: number; path: string; stat?: Stat } {
    const paths = this.paths;
    const slash = path.lastIndexOf('/');
    const parent = this.replaying ? this.replayParent(path, slash) : paths.lookupRange(path, slash);
    if (parent < 0) return { err: ErrorCode.NoNode, path };
    if (path === '/' || paths.find(parent, path, slash + 1, path.length) >= 0)
      return { err: ErrorCode.NodeExists, path };
    const store = this.store;
    const cversion = store.cversion(parent);
    if (parentCVersion === -1) parentCVersion = (cversion + 1) | 0;
    // Only move forward: a replay over a fuzzy snapshot must not revert cversion/pzxid.
    if (parentCVersion > cversion) {
      store.setCversion(parent, parentCVersion);
      store.setPzxid(parent, zxid);
    }
    const id = store.alloc();
    store.init(id, zxid, zxid, zxid, time, time, 0, 0, 0, ephemeralOwner);
    store.setAclId(id, this.aclCache.acquireId(acl));
    if (data === null || data.length > 0) store.setData(id, data);
    paths.add(parent, id, path, slash + 1);
    if (ephemeralOwner !== 0n) this.index.track(path, ephemeralOwner);
    if (this.replaying) return { err: 0, path };
    triggers.push({ path, type: EventType.NodeCreated });
    triggers.push({ path: parentOf(path), type: EventType.NodeChildrenChanged });
    return { err: 0, path, stat: statOf(store, id) };
  }

  /** DataTree.deleteNode: the parent's pzxid moves (only forward); its raw cversion does not. */
  private deleteNode(path: string, zxid: number, triggers: WatchTrigger[]): number {
    if (path === '/') return ErrorCode.NoNode;
    const paths = this.paths;
    const slash = path.lastIndexOf('/');
    const parent = paths.lookupRange(path, slash);
    if (parent < 0) return ErrorCode.NoNode;
    const store = this.store;
    if (zxid > store.pzxid(parent)) store.setPzxid(parent, zxid);
    const id = paths.find(parent, path, slash + 1, path.length);
    if (id < 0) return ErrorCode.NoNode;
    this.forget(path, id);
    if (this.replaying) return 0;
    triggers.push({ path, type: EventType.NodeDeleted });
    triggers.push({ path: parentOf(path), type: EventType.NodeChildrenChanged });
    return 0;
  }

  /** lookupRange(path, slash) through replayParents. */
  private replayParent(path: string, slash: number): number {
    const key = path.slice(0, slash);
    const known = this.replayParents.get(key);
    if (known !== undefined) return known;
    const id = this.paths.lookupRange(path, slash);
    if (id >= 0) {
      if (this.replayParents.size >= REPLAY_PARENTS) this.replayParents.clear();
      this.replayParents.set(key, id);
    }
    return id;
  }

  private forget(path: string, id: number): void {
    this.replayParents.clear();
    // A node deleted with children happens only when the log is replayed over a fuzzy
    // snapshot that holds a child created after the node's delete and re-create: ZooKeeper
    // leaves that child in its path map until the replayed create replaces it; here it goes
    // with its parent, and the replayed create makes it again. The end state is the same.
    const paths = this.paths;
    for (let c = paths.firstChild(id); c >= 0; c = paths.firstChild(id)) {
      this.forget(childPath(path, paths.name(c)), c);
    }
    const owner = this.store.ephemeralOwner(id);
    paths.remove(id);
    this.aclCache.releaseId(this.store.aclId(id));
    this.store.free(id);
    if (owner !== 0n) this.index.untrack(path, owner);
  }

  /**
   * DataTree.killSession: delete the txn's paths, then any ephemeral of the session the txn
   * did not list. Missing nodes are ignored (replay).
   */
  private killSession(
    sessionId: bigint,
    zxid: number,
    paths2Delete: readonly string[],
    triggers: WatchTrigger[],
  ): void {
    for (const path of paths2Delete) this.deleteNode(path, zxid, triggers);
    const rest = this.index.ephemerals.get(sessionId);
    if (rest) {
      for (const path of [...rest]) this.deleteNode(path, zxid, triggers);
    }
    this.index.forgetSession(sessionId);
  }

  /** DataTree.setCversionPzxid: only ever moves cversion forward. */
  private setCversionPzxid(path: string, newCversion: number, zxid: number): void {
    const id = this.paths.lookup(path);
    if (id < 0) return;
    const cversion = this.store.cversion(id);
    if (newCversion === -1) newCversion = (cversion + 1) | 0;
    if (newCversion > cversion) {
      this.store.setCversion(id, newCversion);
      this.store.setPzxid(id, zxid);
    }
  }

  /** System nodes start with an all-zero stat (new StatPersisted()) and no data. */
  private addSystemNode(path: string, acl: readonly ACL[]): number {
    const id = this.store.alloc();
    this.store.setAclId(id, this.aclCache.acquireId(acl));
    if (path === '/') {
      this.paths.setRoot(id);
    } else {
      const slash = path.lastIndexOf('/');
      this.paths.add(this.paths.lookupRange(path, slash), id, path, slash + 1);
    }
    return id;
  }
}
