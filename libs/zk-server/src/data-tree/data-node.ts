import { ACL, Stat } from '@app/zk-protocol';
import { clientEphemeralOwner } from './ephemeral-type';
import { PersistedStat } from './persisted-stat';

const EMPTY = Buffer.alloc(0);

/**
 * One znode (DataNode.java). Kept deliberately flat and small because the tree may hold
 * millions (a Buffer object alone costs about 100 bytes of heap plus its bytes off-heap):
 * - data is held as a latin1 string (one byte per char, 16 bytes of header) and converted
 *   back to a Buffer on read;
 * - stat fields live on the node itself; zxids and times are the bigints of the txn header,
 *   so a node created by one txn shares one zxid object across czxid/mzxid/pzxid;
 * - `acl` is an interned, frozen array shared by every node with the same list (AclCache);
 * - `children` holds the children's full paths, the very strings that key the tree's map, so
 *   a child costs no extra string; it is only allocated once the node has a child.
 */
export class DataNode implements PersistedStat {
  /** Full paths of the children (not names, unlike DataNode.java); null when there are none. */
  children: Set<string> | null = null;
  private bytes: string;

  constructor(
    data: Buffer,
    public acl: readonly ACL[],
    public czxid: bigint,
    public mzxid: bigint,
    public pzxid: bigint,
    public ctime: bigint,
    public mtime: bigint,
    public version: number,
    /** Raw StatPersisted cversion: count of child creates (see PersistedStat). */
    public cversion: number,
    public aversion: number,
    public ephemeralOwner: bigint,
  ) {
    this.bytes = data.length === 0 ? '' : data.toString('latin1');
  }

  /** The node's data, as a fresh Buffer on every read. */
  get data(): Buffer {
    return this.bytes.length === 0 ? EMPTY : Buffer.from(this.bytes, 'latin1');
  }

  /** Replaces the data (copied: the node never pins the caller's buffer). */
  set data(data: Buffer) {
    this.bytes = data.length === 0 ? '' : data.toString('latin1');
  }

  get dataLength(): number {
    return this.bytes.length;
  }

  get numChildren(): number {
    return this.children === null ? 0 : this.children.size;
  }

  /** Names of the children, in insertion order. */
  childNames(): string[] {
    if (this.children === null) return [];
    const names: string[] = [];
    for (const p of this.children) names.push(p.slice(p.lastIndexOf('/') + 1));
    return names;
  }

  addChild(path: string): void {
    if (this.children === null) this.children = new Set();
    this.children.add(path);
  }

  removeChild(path: string): void {
    if (this.children === null) return;
    this.children.delete(path);
    if (this.children.size === 0) this.children = null;
  }

  /**
   * The Stat a client sees (DataNode.copyStat): cversion translated from the count of creates
   * to the count of changes (every create has a delete except for the children still present),
   * in Java int arithmetic; ephemeralOwner hidden for containers and TTL nodes.
   */
  toStat(): Stat {
    const numChildren = this.numChildren;
    return {
      czxid: this.czxid,
      mzxid: this.mzxid,
      ctime: this.ctime,
      mtime: this.mtime,
      version: this.version,
      cversion: (this.cversion * 2 - numChildren) | 0,
      aversion: this.aversion,
      ephemeralOwner: clientEphemeralOwner(this.ephemeralOwner),
      dataLength: this.bytes.length,
      numChildren,
      pzxid: this.pzxid,
    };
  }

  /** The persisted stat (a copy), so a node reads like a SnapshotNode without its path. */
  get stat(): PersistedStat {
    return this.persistedStat();
  }

  /** A copy of the persisted stat, e.g. for a snapshot. */
  persistedStat(): PersistedStat {
    return {
      czxid: this.czxid,
      mzxid: this.mzxid,
      ctime: this.ctime,
      mtime: this.mtime,
      version: this.version,
      cversion: this.cversion,
      aversion: this.aversion,
      ephemeralOwner: this.ephemeralOwner,
      pzxid: this.pzxid,
    };
  }
}
