import { ACL, JuteReader, readACLList } from '@shepherd/zk-protocol';
import type { NodeRows } from '../data-tree/node-rows';
import { STAT_SIZE } from './snapshot-format';

const TWO_32 = 4294967296;
const EMPTY_DATA = Buffer.alloc(0);

/**
 * The node records of a snapshot body (snapshot-format.ts) read in place, one at a time, for
 * DataTree.restoreRows: the body must have passed checkNodeRecords, so offsets are trusted.
 * Data are views into the body; consecutive nodes with byte-identical ACL lists (nearly all of
 * them) share one decoded list; the stat is read when asked for, zxids and times as two ints
 * into a double, since a bigint per field (Buffer.readBigInt64BE) cost more than the rest of a
 * node's decoding.
 */
export class SnapshotRows implements NodeRows {
  path = '';
  data: Buffer | null = EMPTY_DATA;
  acl: readonly ACL[] = [];
  /** Offset of the current node's StatPersisted in the body (the getters below read it). */
  statOffset = -1;
  private pos: number;
  private aclStart = -1;
  private aclLength = 0;

  constructor(
    private readonly body: Buffer,
    start: number,
    readonly count?: number,
  ) {
    this.pos = start;
  }

  next(): boolean {
    const body = this.body;
    let pos = this.pos;
    const pathLength = body.readInt32BE(pos);
    if (pathLength === -1) return false;
    this.path = body.toString('utf8', pos + 4, pos + 4 + pathLength);
    pos += 4 + pathLength;
    const dataLength = body.readInt32BE(pos);
    pos += 4;
    if (dataLength > 0) {
      this.data = body.subarray(pos, pos + dataLength);
      pos += dataLength;
    } else this.data = dataLength < 0 ? null : EMPTY_DATA;
    if (this.aclStart < 0 || !sameBytes(body, this.aclStart, pos, this.aclLength)) {
      const r = new JuteReader(body, pos);
      this.acl = readACLList(r);
      this.aclStart = pos;
      this.aclLength = r.offset - pos;
    }
    pos += this.aclLength;
    this.statOffset = pos;
    this.pos = pos + STAT_SIZE;
    return true;
  }

  // StatPersisted, in zookeeper.jute order: czxid, mzxid, ctime, mtime, version, cversion,
  // aversion, ephemeralOwner, pzxid.

  get czxid(): number {
    return safeLong(this.body, this.statOffset, 'czxid');
  }

  get mzxid(): number {
    return safeLong(this.body, this.statOffset + 8, 'mzxid');
  }

  get ctime(): number {
    return safeLong(this.body, this.statOffset + 16, 'ctime');
  }

  get mtime(): number {
    return safeLong(this.body, this.statOffset + 24, 'mtime');
  }

  get version(): number {
    return this.body.readInt32BE(this.statOffset + 32);
  }

  get cversion(): number {
    return this.body.readInt32BE(this.statOffset + 36);
  }

  get aversion(): number {
    return this.body.readInt32BE(this.statOffset + 40);
  }

  get ephemeralOwner(): bigint {
    const at = this.statOffset + 44;
    const body = this.body;
    return body.readInt32BE(at) === 0 && body.readInt32BE(at + 4) === 0
      ? 0n
      : body.readBigInt64BE(at);
  }

  get pzxid(): number {
    return safeLong(this.body, this.statOffset + 52, 'pzxid');
  }
}

/** A big-endian i64 as an exact double; a RangeError beyond 2^53 rather than a rounded value. */
function safeLong(body: Buffer, at: number, what: string): number {
  const hi = body.readInt32BE(at);
  if (hi > 0x1fffff || hi < -0x200000) {
    throw new RangeError(`${what} ${body.readBigInt64BE(at)} is beyond 2^53`);
  }
  const value = hi * TWO_32 + body.readUInt32BE(at + 4);
  if (!Number.isSafeInteger(value)) throw new RangeError(`${what} ${value} is beyond 2^53`);
  return value;
}

/**
 * Whether body[a, a + n) equals body[b, b + n). An ACL list is a few dozen bytes: a loop here
 * is cheaper than Buffer.compare's argument checks and native call, once per node.
 */
function sameBytes(body: Buffer, a: number, b: number, n: number): boolean {
  if (b + n > body.length) return false;
  for (let i = 0; i < n; i++) if (body[a + i] !== body[b + i]) return false;
  return true;
}
