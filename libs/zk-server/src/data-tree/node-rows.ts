import { ACL } from '@shepherd/zk-protocol';
import { exactNumber } from './node-store';
import { SnapshotNode } from './snapshot-walk';

/**
 * Nodes one at a time through one object, parents before children, root first: next() moves
 * to the next node and the fields describe it until the next call. What a snapshot stores of a
 * node, its data aside; zxids and times as exact integers (below 2^53). The writer walks a
 * live tree so (NodeCursor, SnapshotCursor), the reader a file (NodeRows).
 */
export interface NodeWalk {
  next(): boolean;
  readonly path: string;
  /** The same list object for consecutive nodes with the same ACL, as a snapshot stores it. */
  readonly acl: readonly ACL[];
  readonly czxid: number;
  readonly mzxid: number;
  readonly pzxid: number;
  readonly ctime: number;
  readonly mtime: number;
  readonly version: number;
  readonly cversion: number;
  readonly aversion: number;
  readonly ephemeralOwner: bigint;
}

/**
 * Nodes to restore a tree from (the reading side of NodeCursor). A snapshot reader implements
 * it over the file's bytes, so a restore of a million nodes makes no object, bigint or data
 * copy per node on the way (DataTree.restoreRows copies what it keeps).
 */
export interface NodeRows extends NodeWalk {
  /** How many nodes there will be, when the source knows (a tree can presize its tables). */
  readonly count?: number;
  /** The node's data (null if null); may be a view that the next call to next() reuses. */
  readonly data: Buffer | null;
}

/** NodeRows over SnapshotNode objects (DataTree.walk(), a test's list): DataTree.restore. */
export class SnapshotNodeRows implements NodeRows {
  private readonly iterator: Iterator<SnapshotNode>;
  private node: SnapshotNode | undefined;
  czxid = 0;
  mzxid = 0;
  pzxid = 0;
  ctime = 0;
  mtime = 0;

  constructor(nodes: Iterable<SnapshotNode>) {
    this.iterator = nodes[Symbol.iterator]();
  }

  next(): boolean {
    const step = this.iterator.next();
    if (step.done) {
      this.node = undefined;
      return false;
    }
    const s = (this.node = step.value).stat;
    this.czxid = exactNumber(s.czxid, 'czxid');
    this.mzxid = exactNumber(s.mzxid, 'mzxid');
    this.pzxid = exactNumber(s.pzxid, 'pzxid');
    this.ctime = exactNumber(s.ctime, 'ctime');
    this.mtime = exactNumber(s.mtime, 'mtime');
    return true;
  }

  private get current(): SnapshotNode {
    if (!this.node) throw new Error('no current node: call next() first');
    return this.node;
  }

  get path(): string {
    return this.current.path;
  }

  get data(): Buffer | null {
    return this.current.data;
  }

  get acl(): readonly ACL[] {
    return this.current.acl;
  }

  get version(): number {
    return this.current.stat.version;
  }

  get cversion(): number {
    return this.current.stat.cversion;
  }

  get aversion(): number {
    return this.current.stat.aversion;
  }

  get ephemeralOwner(): bigint {
    return this.current.stat.ephemeralOwner;
  }
}
