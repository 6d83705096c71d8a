import { ACL } from '@shepherd/zk-protocol';
import type { NodeRows, NodeWalk } from '../data-tree/node-rows';
import { PersistedStat } from '../data-tree/persisted-stat';

/**
 * What a snapshot holds (the DataTree and the sessions of FileSnap.serialize), as the encoder
 * takes it and the decoder hands it back; the byte format is in snapshot-format.ts.
 */

/** zookeeper.jute StatPersisted: what a node's stat is on disk (no numChildren/dataLength). */
export type PersistedNodeStat = PersistedStat;

/** One node as written to / read from a snapshot (same shape as DataTree's SnapshotNode). */
export interface PersistedNode {
  path: string;
  data: Buffer | null;
  acl: readonly ACL[];
  stat: PersistedNodeStat;
}

/**
 * What a snapshot walks, parents before children, root first: a cursor over a live tree
 * (DataTree), an iterable of nodes (e.g. DataTree.walk()) or a forEachNode-style visitor.
 */
export type SnapshotNodeSource =
  | { snapshotCursor(): SnapshotCursor }
  | Iterable<PersistedNode>
  | {
      forEachNode(cb: (path: string, node: Omit<PersistedNode, 'path'>) => void): void;
    };

export interface SessionEntry {
  id: bigint;
  /** Negotiated session timeout, ms. */
  timeout: number;
}

/** What a snapshot holds: sessions are read at once, nodes as the writer walks them. */
export interface SnapshotContent {
  /** The last zxid applied to `nodes` when the snapshot starts. */
  zxid: bigint;
  nodes: SnapshotNodeSource;
  sessions: Iterable<SessionEntry>;
}

export interface LoadedSnapshot {
  file: string;
  zxid: bigint;
  sessions: SessionEntry[];
  /** In file order, i.e. parents before children; decoded (all at once) on first access. */
  readonly nodes: PersistedNode[];
  /**
   * The same nodes decoded one at a time as the iteration goes (ready for DataTree.restore):
   * recovery of a big tree never holds every decoded node at once, only the file and the tree
   * being built (a million decoded nodes would cost more memory and GC time than the tree).
   * Node data are views into the file buffer, to be copied by the consumer.
   */
  readNodes(): Iterable<PersistedNode>;
  /** The same nodes read in place through one object (DataTree.restoreRows: recovery). */
  rows(): NodeRows;
}

/**
 * What a snapshot can walk without allocating per node: DataTree.snapshotCursor(). Its data
 * is copied straight into the chunk.
 */
export interface SnapshotCursor extends NodeWalk {
  /** As jute writes a buffer's length: -1 for null data (DataNode.serialize). */
  readonly dataLength: number;
  copyData(target: Buffer, at: number): number;
}
