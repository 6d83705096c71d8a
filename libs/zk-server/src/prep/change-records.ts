import { ACL, NoNodeError } from '@shepherd/zk-protocol';
import { DataTree } from '../data-tree/data-tree';

/**
 * What prep knows about a node (PrepRequestProcessor.ChangeRecord): enough to decide the
 * next op. `cversion` is the raw persisted count of child creates.
 */
export interface NodeRecord {
  version: number;
  cversion: number;
  aversion: number;
  ephemeralOwner: bigint;
  childCount: number;
  acl: readonly ACL[];
}

/**
 * The tree as prep sees it: the real tree plus the pending effect of earlier ops of the same
 * multi (ZooKeeper's outstandingChanges). Writes only go to the overlay; the tree is never
 * modified by prep. A null overlay entry is a node deleted earlier in the multi.
 */
export class ChangeRecords {
  private overlay: Map<string, NodeRecord | null> | null = null;

  constructor(private readonly tree: DataTree) {}

  /** The node's record, or undefined if it does not exist. */
  find(path: string): NodeRecord | undefined {
    if (this.overlay?.has(path)) return this.overlay.get(path) ?? undefined;
    const node = this.tree.getNode(path);
    if (!node) return undefined;
    return {
      version: node.version,
      cversion: node.cversion,
      aversion: node.aversion,
      ephemeralOwner: node.ephemeralOwner,
      childCount: node.numChildren,
      acl: node.acl,
    };
  }

  /** getRecordForPath: NoNode when missing. */
  get(path: string): NodeRecord {
    const r = this.find(path);
    if (!r) throw new NoNodeError(path);
    return r;
  }

  set(path: string, record: NodeRecord | null): void {
    (this.overlay ??= new Map()).set(path, record);
  }
}
