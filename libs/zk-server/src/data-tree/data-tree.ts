import {
  ACL,
  ErrorCode,
  EventType,
  OPEN_ACL_UNSAFE,
  OpCode,
  READ_ACL_UNSAFE,
  Stat,
} from '@app/zk-protocol';
import { Txn, TxnHeader } from '../txn/txn';
import { AclCache } from './acl-cache';
import { DataNode } from './data-node';
import {
  CONTAINER_EPHEMERAL_OWNER,
  EphemeralKind,
  ephemeralKind,
  ttlToEphemeralOwner,
} from './ephemeral-type';
import { parentOf } from './paths';
import { PersistedStat } from './persisted-stat';
import { ProcessTxnResult } from './process-txn-result';
import { WatchTrigger } from './watch-trigger';

/** ZooDefs: the proc node, its quota and config children. */
export const ZOOKEEPER_PATH = '/zookeeper';
export const QUOTA_PATH = '/zookeeper/quota';
export const CONFIG_PATH = '/zookeeper/config';

/** One node of a snapshot walk / restore: the persisted form (no numChildren, raw cversion). */
export interface SnapshotNode {
  path: string;
  data: Buffer;
  acl: readonly ACL[];
  stat: PersistedStat;
}

const EMPTY = Buffer.alloc(0);

/**
 * The in-memory znode tree (DataTree.java): pure state, no watches, no I/O. Every change goes
 * through processTxn so that applying the log again yields the same tree.
 */
export class DataTree {
  private readonly nodes = new Map<string, DataNode>();
  private readonly aclCache = new AclCache();
  /** Paths of the ephemeral nodes of each session. */
  private readonly ephemeralsBySession = new Map<bigint, Set<string>>();
  private readonly containerPaths = new Set<string>();
  private readonly ttlPaths = new Set<string>();
  private lastZxid = 0n;

  /** A fresh tree as ZooKeeper 3.8 standalone starts: /, /zookeeper, its quota and config. */
  constructor() {
    const open = this.aclCache.acquire(OPEN_ACL_UNSAFE);
    this.nodes.set('/', systemNode(open));
    this.addSystemNode(ZOOKEEPER_PATH, systemNode(this.aclCache.acquire(OPEN_ACL_UNSAFE)));
    this.addSystemNode(QUOTA_PATH, systemNode(this.aclCache.acquire(OPEN_ACL_UNSAFE)));
    // DataTree.addConfigNode: setACL(configZookeeper, READ_ACL_UNSAFE, -1) leaves aversion -1.
    const config = systemNode(this.aclCache.acquire(READ_ACL_UNSAFE));
    config.aversion = -1;
    this.addSystemNode(CONFIG_PATH, config);
  }

  /**
   * Builds a tree from a walk such as walk()/forEachNode() produced: every parent before its
   * children, '/' first. The system nodes come from the walk like any other node.
   */
  static restore(nodes: Iterable<SnapshotNode>, lastProcessedZxid = 0n): DataTree {
    const tree = new DataTree();
    tree.nodes.clear();
    tree.aclCache.clear();
    // Consecutive nodes usually carry the same list object (a decoded snapshot shares it):
    // acquiring the interned copy again skips building the list's key for every node.
    let lastIn: readonly ACL[] | undefined;
    let lastOut: readonly ACL[] = [];
    for (const n of nodes) {
      const s = n.stat;
      // Share equal bigints between fields, as live nodes do (a restored snapshot would
      // otherwise hold five separate objects per node).
      const mzxid = s.mzxid === s.czxid ? s.czxid : s.mzxid;
      const pzxid = s.pzxid === s.czxid ? s.czxid : s.pzxid === s.mzxid ? mzxid : s.pzxid;
      const mtime = s.mtime === s.ctime ? s.ctime : s.mtime;
      const node = new DataNode(
        n.data,
        n.acl === lastIn
          ? tree.aclCache.acquire(lastOut)
          : (lastOut = tree.aclCache.acquire((lastIn = n.acl))),
        s.czxid,
        mzxid,
        pzxid,
        s.ctime,
        mtime,
        s.version,
        s.cversion,
        s.aversion,
        s.ephemeralOwner,
      );
      if (n.path === '/') {
        tree.nodes.set('/', node);
        continue;
      }
      const parent = tree.nodes.get(parentOf(n.path));
      if (!parent) {
        throw new Error(`Invalid snapshot: no parent for ${n.path}`);
      }
      parent.addChild(n.path);
      tree.nodes.set(n.path, node);
      tree.trackKind(n.path, node.ephemeralOwner);
    }
    if (!tree.nodes.has('/')) throw new Error('Invalid snapshot: no root node');
    tree.lastZxid = lastProcessedZxid;
    return tree;
  }

  // ---- reads -------------------------------------------------------------------------------

  getNode(path: string): DataNode | undefined {
    return this.nodes.get(path);
  }

  /** The client Stat of a node, or undefined when there is none. */
  statOf(path: string): Stat | undefined {
    return this.nodes.get(path)?.toStat();
  }

  getData(path: string): { data: Buffer; stat: Stat } | undefined {
    const node = this.nodes.get(path);
    return node && { data: node.data, stat: node.toStat() };
  }

  getChildren(path: string): { children: string[]; stat: Stat } | undefined {
    const node = this.nodes.get(path);
    return node && { children: node.childNames(), stat: node.toStat() };
  }

  getACL(path: string): { acl: ACL[]; stat: Stat } | undefined {
    const node = this.nodes.get(path);
    return (
      node && {
        acl: node.acl.map((a) => ({ perms: a.perms, id: { ...a.id } })),
        stat: node.toStat(),
      }
    );
  }

  /** Number of descendants of path (DataTree.getAllChildrenNumber); '/' counts every node but itself. */
  getAllChildrenNumber(path: string): number {
    if (path === '/') return this.nodes.size - 1;
    const start = this.nodes.get(path);
    if (!start) return 0;
    let count = 0;
    const stack: string[] = [path];
    while (stack.length > 0) {
      const p = stack.pop() as string;
      const children = this.nodes.get(p)?.children;
      if (!children) continue;
      for (const child of children) {
        count++;
        stack.push(child);
      }
    }
    return count;
  }

  /** Number of znodes, root included (ZooKeeper's mntr znode_count is one more: "" aliases "/"). */
  get nodeCount(): number {
    return this.nodes.size;
  }

  /** Highest zxid applied by processTxn (or given to restore). */
  get lastProcessedZxid(): bigint {
    return this.lastZxid;
  }

  /** The paths of a session's ephemeral nodes (a copy). */
  getEphemerals(sessionId: bigint): string[] {
    const set = this.ephemeralsBySession.get(sessionId);
    return set ? [...set] : [];
  }

  /** Sessions owning ephemeral nodes, with their paths (live view; do not mutate). */
  get ephemerals(): ReadonlyMap<bigint, ReadonlySet<string>> {
    return this.ephemeralsBySession;
  }

  /** Paths of container nodes (live view), for the container manager. */
  get containers(): ReadonlySet<string> {
    return this.containerPaths;
  }

  /** Paths of TTL nodes (live view), for the container manager. */
  get ttls(): ReadonlySet<string> {
    return this.ttlPaths;
  }

  /** Number of distinct ACL lists in use. */
  get aclCount(): number {
    return this.aclCache.size;
  }

  /**
   * Visits every node, parent before children, root first (DataTree.serializeNode order),
   * iteratively so deep trees cannot overflow the stack. The node is live: read it, don't
   * keep or mutate it.
   */
  forEachNode(cb: (path: string, node: DataNode) => void): void {
    for (const [path, node] of this.walkNodes()) cb(path, node);
  }

  /**
   * The same walk as a generator of SnapshotNode, for a snapshot writer that wants to yield to
   * the event loop between chunks. If txns are applied while a walk is paused, the result is
   * "fuzzy" like ZooKeeper's snapshots: record lastProcessedZxid before starting and replay
   * the log from there (processTxn tolerates re-applying txns a fuzzy snapshot already holds,
   * as DataTree.processTxn does).
   */
  *walk(): Generator<SnapshotNode> {
    for (const [path, node] of this.walkNodes()) {
      yield { path, data: node.data, acl: node.acl, stat: node.persistedStat() };
    }
  }

  /** The tree itself iterates as walk() does, so it can be handed to a snapshot writer. */
  [Symbol.iterator](): Iterator<SnapshotNode> {
    return this.walk();
  }

  private *walkNodes(): Generator<[string, DataNode]> {
    const stack: string[] = ['/'];
    while (stack.length > 0) {
      const path = stack.pop() as string;
      const node = this.nodes.get(path);
      if (!node) continue; // deleted while a paused walk was pending
      yield [path, node];
      if (node.children) {
        const children = [...node.children];
        for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
      }
    }
  }

  // ---- writes ------------------------------------------------------------------------------

  /**
   * Applies one txn (DataTree.processTxn). Never throws for txn-level failures: like ZooKeeper,
   * a create of an existing node or a delete of a missing one is reported in `err` (this
   * happens when replaying the log over a fuzzy snapshot). The caller's Buffers are copied.
   */
  processTxn(header: TxnHeader, txn: Txn): ProcessTxnResult {
    const result = this.apply(header, txn);
    if (header.zxid > this.lastZxid) this.lastZxid = header.zxid;
    return result;
  }

  private apply(header: TxnHeader, txn: Txn): ProcessTxnResult {
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
          header,
          triggers,
        );
        if (res.err === ErrorCode.NodeExists) {
          // DataTree.processTxn: a create replayed over a fuzzy snapshot still moves the
          // parent's cversion/pzxid forward.
          this.setCversionPzxid(parentOf(txn.path), txn.parentCVersion, header.zxid);
        }
        return { type: txn.type, ...res, triggers };
      }
      case OpCode.delete:
      case OpCode.deleteContainer: {
        const err = this.deleteNode(txn.path, header.zxid, triggers);
        return { type: txn.type, err, path: txn.path, triggers };
      }
      case OpCode.setData: {
        const node = this.nodes.get(txn.path);
        if (!node) return { type: txn.type, err: ErrorCode.NoNode, path: txn.path, triggers };
        node.data = txn.data;
        node.mtime = header.time;
        node.mzxid = header.zxid;
        node.version = txn.version;
        triggers.push({ path: txn.path, type: EventType.NodeDataChanged });
        return { type: txn.type, err: 0, path: txn.path, stat: node.toStat(), triggers };
      }
      case OpCode.setACL: {
        const node = this.nodes.get(txn.path);
        if (!node) return { type: txn.type, err: ErrorCode.NoNode, path: txn.path, triggers };
        const acl = this.aclCache.acquire(txn.acl);
        this.aclCache.release(node.acl);
        node.acl = acl;
        node.aversion = txn.version;
        return { type: txn.type, err: 0, path: txn.path, stat: node.toStat(), triggers };
      }
      case OpCode.check:
        return {
          type: txn.type,
          err: 0,
          path: txn.path,
          stat: this.nodes.get(txn.path)?.toStat(),
          triggers,
        };
      case OpCode.createSession:
        // Sessions are tracked outside the tree.
        return { type: txn.type, err: 0, triggers };
      case OpCode.closeSession:
        this.killSession(header.clientId, header.zxid, txn.paths2Delete, triggers);
        return { type: txn.type, err: 0, triggers };
      case OpCode.error:
        return { type: txn.type, err: txn.err, triggers };
      case OpCode.multi:
        return this.applyMulti(header, txn.txns);
    }
  }

  /**
   * DataTree.processTxn for multi: if any sub-txn is an ErrorTxn the whole multi changes
   * nothing, and every other op is reported as an error too: Ok for the ops before the first
   * ErrorTxn, RuntimeInconsistency after it. `err` is the first non-zero sub error.
   */
  private applyMulti(header: TxnHeader, txns: Txn[]): ProcessTxnResult {
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
      const rc = this.apply(header, effective);
      results.push(rc);
      triggers.push(...rc.triggers);
      if (rc.err !== 0 && err === 0) err = rc.err;
    }
    return { type: OpCode.multi, err, results, triggers };
  }

  private createNode(
    path: string,
    data: Buffer,
    acl: readonly ACL[],
    ephemeralOwner: bigint,
    parentCVersion: number,
    header: TxnHeader,
    triggers: WatchTrigger[],
  ): { err: number; path: string; stat?: Stat } {
    const parentPath = parentOf(path);
    const parent = this.nodes.get(parentPath);
    if (!parent) return { err: ErrorCode.NoNode, path };
    if (parent.children?.has(path)) return { err: ErrorCode.NodeExists, path };
    if (parentCVersion === -1) parentCVersion = (parent.cversion + 1) | 0;
    // Only move forward: a replay over a fuzzy snapshot must not revert cversion/pzxid.
    if (parentCVersion > parent.cversion) {
      parent.cversion = parentCVersion;
      parent.pzxid = header.zxid;
    }
    const zxid = header.zxid;
    const time = header.time;
    const node = new DataNode(
      data,
      this.aclCache.acquire(acl),
      zxid,
      zxid,
      zxid,
      time,
      time,
      0,
      0,
      0,
      ephemeralOwner,
    );
    parent.addChild(path);
    this.nodes.set(path, node);
    this.trackKind(path, ephemeralOwner);
    triggers.push({ path, type: EventType.NodeCreated });
    triggers.push({ path: parentPath, type: EventType.NodeChildrenChanged });
    return { err: 0, path, stat: node.toStat() };
  }

  /** DataTree.deleteNode: the parent's pzxid moves (only forward); its raw cversion does not. */
  private deleteNode(path: string, zxid: bigint, triggers: WatchTrigger[]): number {
    const parentPath = parentOf(path);
    const parent = this.nodes.get(parentPath);
    if (!parent || path === '/') return ErrorCode.NoNode;
    parent.removeChild(path);
    if (zxid > parent.pzxid) parent.pzxid = zxid;
    const node = this.nodes.get(path);
    if (!node) return ErrorCode.NoNode;
    this.nodes.delete(path);
    this.aclCache.release(node.acl);
    this.untrackKind(path, node.ephemeralOwner);
    triggers.push({ path, type: EventType.NodeDeleted });
    triggers.push({ path: parentPath, type: EventType.NodeChildrenChanged });
    return 0;
  }

  /**
   * DataTree.killSession: delete the txn's paths, then any ephemeral of the session the txn
   * did not list. Missing nodes are ignored (replay).
   */
  private killSession(
    sessionId: bigint,
    zxid: bigint,
    paths2Delete: readonly string[],
    triggers: WatchTrigger[],
  ): void {
    for (const path of paths2Delete) this.deleteNode(path, zxid, triggers);
    const rest = this.ephemeralsBySession.get(sessionId);
    if (rest) {
      for (const path of [...rest]) this.deleteNode(path, zxid, triggers);
    }
    this.ephemeralsBySession.delete(sessionId);
  }

  /** DataTree.setCversionPzxid: only ever moves cversion forward. */
  private setCversionPzxid(path: string, newCversion: number, zxid: bigint): void {
    const node = this.nodes.get(path);
    if (!node) return;
    if (newCversion === -1) newCversion = (node.cversion + 1) | 0;
    if (newCversion > node.cversion) {
      node.cversion = newCversion;
      node.pzxid = zxid;
    }
  }

  private addSystemNode(path: string, node: DataNode): void {
    this.nodes.get(parentOf(path))?.addChild(path);
    this.nodes.set(path, node);
  }

  private trackKind(path: string, ephemeralOwner: bigint): void {
    switch (ephemeralKind(ephemeralOwner)) {
      case EphemeralKind.Void:
        return;
      case EphemeralKind.Container:
        this.containerPaths.add(path);
        return;
      case EphemeralKind.Ttl:
        this.ttlPaths.add(path);
        return;
      case EphemeralKind.Normal: {
        let set = this.ephemeralsBySession.get(ephemeralOwner);
        if (!set) {
          set = new Set();
          this.ephemeralsBySession.set(ephemeralOwner, set);
        }
        set.add(path);
      }
    }
  }

  private untrackKind(path: string, ephemeralOwner: bigint): void {
    switch (ephemeralKind(ephemeralOwner)) {
      case EphemeralKind.Void:
        return;
      case EphemeralKind.Container:
        this.containerPaths.delete(path);
        return;
      case EphemeralKind.Ttl:
        this.ttlPaths.delete(path);
        return;
      case EphemeralKind.Normal: {
        const set = this.ephemeralsBySession.get(ephemeralOwner);
        if (!set) return;
        set.delete(path);
        if (set.size === 0) this.ephemeralsBySession.delete(ephemeralOwner);
      }
    }
  }
}

/** System nodes start with an all-zero stat (new StatPersisted()) and no data. */
function systemNode(acl: readonly ACL[]): DataNode {
  return new DataNode(EMPTY, acl, 0n, 0n, 0n, 0n, 0n, 0, 0, 0, 0n);
}
