import { ACL, EncodedStringList, Stat } from '@shepherd/zk-protocol';
import { AclCache } from './acl-cache';
import { clientEphemeralOwner } from './ephemeral-type';
import { NodeStore } from './node-store';
import { PersistedStat } from './persisted-stat';

/**
 * One znode (DataNode.java) as callers see it: a read-only view of the node's row in the tree's
 * NodeStore (the tree keeps no object per node). A view is cheap and meant to be read at once:
 * after the node is deleted its id may belong to another node.
 */
export class DataNode implements PersistedStat {
  constructor(
    private readonly store: NodeStore,
    private readonly acls: AclCache,
    /** The node's id in the store. */
    readonly id: number,
  ) {}

  get acl(): readonly ACL[] {
    return this.acls.list(this.store.aclId(this.id));
  }

  get czxid(): bigint {
    return BigInt(this.store.czxid(this.id));
  }

  get mzxid(): bigint {
    return BigInt(this.store.mzxid(this.id));
  }

  get pzxid(): bigint {
    return BigInt(this.store.pzxid(this.id));
  }

  get ctime(): bigint {
    return BigInt(this.store.ctime(this.id));
  }

  get mtime(): bigint {
    return BigInt(this.store.mtime(this.id));
  }

  get version(): number {
    return this.store.version(this.id);
  }

  /** Raw StatPersisted cversion: count of child creates (see PersistedStat). */
  get cversion(): number {
    return this.store.cversion(this.id);
  }

  get aversion(): number {
    return this.store.aversion(this.id);
  }

  get ephemeralOwner(): bigint {
    return this.store.ephemeralOwner(this.id);
  }

  /** The node's data, as a fresh Buffer on every read; null if it was created or set null. */
  get data(): Buffer | null {
    return this.store.data(this.id);
  }

  get dataLength(): number {
    return this.store.dataLength(this.id);
  }

  get numChildren(): number {
    return this.store.numChildren(this.id);
  }

  /** Names of the children, in insertion order. */
  childNames(): string[] {
    return childNames(this.store, this.id);
  }

  /** The same names encoded for a reply (see PathIndex.encodeChildNames). */
  encodedChildNames(): EncodedStringList {
    return this.store.paths.encodeChildNames(this.id);
  }

  /**
   * The Stat a client sees (DataNode.copyStat): cversion translated from the count of creates
   * to the count of changes (every create has a delete except for the children still present),
   * in Java int arithmetic; ephemeralOwner hidden for containers and TTL nodes.
   */
  toStat(): Stat {
    return statOf(this.store, this.id);
  }

  /** The persisted stat (a copy), so a node reads like a SnapshotNode without its path. */
  get stat(): PersistedStat {
    return this.persistedStat();
  }

  /** A copy of the persisted stat, e.g. for a snapshot. */
  persistedStat(): PersistedStat {
    const s = this.store;
    const id = this.id;
    return {
      czxid: BigInt(s.czxid(id)),
      mzxid: BigInt(s.mzxid(id)),
      ctime: BigInt(s.ctime(id)),
      mtime: BigInt(s.mtime(id)),
      version: s.version(id),
      cversion: s.cversion(id),
      aversion: s.aversion(id),
      ephemeralOwner: s.ephemeralOwner(id),
      pzxid: BigInt(s.pzxid(id)),
    };
  }
}

/** Names of the children of node `id`, in insertion order. */
export function childNames(store: NodeStore, id: number): string[] {
  return store.paths.childNames(id);
}

export function statOf(store: NodeStore, id: number): Stat {
  const numChildren = store.numChildren(id);
  const cz = store.czxid(id);
  const mz = store.mzxid(id);
  const pz = store.pzxid(id);
  const ct = store.ctime(id);
  const mt = store.mtime(id);
  const czxid = BigInt(cz);
  const mzxid = mz === cz ? czxid : BigInt(mz);
  const ctime = BigInt(ct);
  const owner = store.ephemeralOwner(id);
  return {
    czxid,
    mzxid,
    ctime,
    mtime: mt === ct ? ctime : BigInt(mt),
    version: store.version(id),
    cversion: (store.cversion(id) * 2 - numChildren) | 0,
    aversion: store.aversion(id),
    ephemeralOwner: owner === 0n ? owner : clientEphemeralOwner(owner),
    dataLength: store.dataLength(id),
    numChildren,
    pzxid: pz === cz ? czxid : pz === mz ? mzxid : BigInt(pz),
  };
}
