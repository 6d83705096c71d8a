import { ACL } from '@shepherd/zk-protocol';
import { AclCache } from './acl-cache';
import { NodeStore } from './node-store';
import { childPath } from './paths';
import { PersistedStat } from './persisted-stat';

/**
 * The snapshot walk over the data tree (DataTree.serialize / serializeNode in ZooKeeper): every
 * node once, parent before children, root first, as the snapshot writer and DataTree.walk()
 * read it. The tree itself (data-tree.ts) hands out the walks: snapshotCursor(), walk(),
 * forEachNode().
 */

/** One node of a snapshot walk / restore: the persisted form (no numChildren, raw cversion). */
export interface SnapshotNode {
  path: string;
  data: Buffer | null;
  acl: readonly ACL[];
  stat: PersistedStat;
}

/**
 * A walk over the live tree that allocates nothing per node, for the snapshot writer: next()
 * moves to the next node (parent before children, root first, children in insertion order) and
 * the getters read that node's fields (zxids and times as exact numbers; data is copied out). Like DataTree.serializeNode, a node's children are listed when the node is visited,
 * so the walk may be paused between turns of the event loop while txns keep applying: it then
 * holds each node at most once, as it is when visited, never a child without its parent, and
 * skips nodes deleted before their turn (a "fuzzy" snapshot, as ZooKeeper's; see
 * DataTree.snapshotCursor).
 */
export class NodeCursor {
  /** Paths still to visit, the next one last. */
  private readonly stack: string[] = ['/'];
  private current = -1;
  /** The current node's path. */
  path = '';

  constructor(
    private readonly store: NodeStore,
    private readonly acls: AclCache,
  ) {}

  /** The current node's id in the store. */
  get id(): number {
    return this.current;
  }

  next(): boolean {
    const stack = this.stack;
    const paths = this.store.paths;
    while (stack.length > 0) {
      const path = stack.pop() as string;
      const id = paths.lookup(path);
      if (id < 0) continue; // deleted while the walk was paused
      this.path = path;
      this.current = id;
      const n = paths.childCount(id);
      if (n > 0) {
        const at = stack.length;
        stack.length = at + n;
        let i = at + n - 1;
        for (let c = paths.firstChild(id); c >= 0; c = paths.nextSibling(c)) {
          stack[i--] = childPath(path, paths.name(c));
        }
      }
      return true;
    }
    this.current = -1;
    return false;
  }

  /** The data's length as a snapshot writes it: -1 for null data. */
  get dataLength(): number {
    return this.store.wireDataLength(this.current);
  }

  /** Copies the data into `target` at `at`; returns the number of bytes copied. */
  copyData(target: Buffer, at: number): number {
    return this.store.copyData(this.current, target, at);
  }

  /** The data as a fresh Buffer, or null. */
  dataBuffer(): Buffer | null {
    return this.store.data(this.current);
  }

  get acl(): readonly ACL[] {
    return this.acls.list(this.store.aclId(this.current));
  }

  get czxid(): number {
    return this.store.czxid(this.current);
  }

  get mzxid(): number {
    return this.store.mzxid(this.current);
  }

  get pzxid(): number {
    return this.store.pzxid(this.current);
  }

  get ctime(): number {
    return this.store.ctime(this.current);
  }

  get mtime(): number {
    return this.store.mtime(this.current);
  }

  get version(): number {
    return this.store.version(this.current);
  }

  get cversion(): number {
    return this.store.cversion(this.current);
  }

  get aversion(): number {
    return this.store.aversion(this.current);
  }

  get ephemeralOwner(): bigint {
    return this.store.ephemeralOwner(this.current);
  }
}

/** The walk of `cursor` as a generator of SnapshotNode (copies): DataTree.walk(). */
export function* walkSnapshotNodes(cursor: NodeCursor): Generator<SnapshotNode> {
  while (cursor.next()) {
    yield {
      path: cursor.path,
      data: cursor.dataBuffer(),
      acl: cursor.acl,
      stat: {
        czxid: BigInt(cursor.czxid),
        mzxid: BigInt(cursor.mzxid),
        ctime: BigInt(cursor.ctime),
        mtime: BigInt(cursor.mtime),
        version: cursor.version,
        cversion: cursor.cversion,
        aversion: cursor.aversion,
        ephemeralOwner: cursor.ephemeralOwner,
        pzxid: BigInt(cursor.pzxid),
      },
    };
  }
}
