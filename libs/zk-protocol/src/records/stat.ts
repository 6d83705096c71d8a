import { JuteReader } from '../jute-reader';
import { JuteWriter } from '../jute-writer';

/** zookeeper.jute: org.apache.zookeeper.data.Stat. Every jute long is a bigint. */
export interface Stat {
  czxid: bigint;
  mzxid: bigint;
  ctime: bigint;
  mtime: bigint;
  version: number;
  cversion: number;
  aversion: number;
  ephemeralOwner: bigint;
  dataLength: number;
  numChildren: number;
  pzxid: bigint;
}

/** Encoded size of a Stat: six longs and five ints. */
export const STAT_SIZE = 6 * 8 + 5 * 4;

export function writeStat(w: JuteWriter, s: Stat): void {
  w.writeLong(s.czxid);
  w.writeLong(s.mzxid);
  w.writeLong(s.ctime);
  w.writeLong(s.mtime);
  w.writeInt(s.version);
  w.writeInt(s.cversion);
  w.writeInt(s.aversion);
  w.writeLong(s.ephemeralOwner);
  w.writeInt(s.dataLength);
  w.writeInt(s.numChildren);
  w.writeLong(s.pzxid);
}

export function readStat(r: JuteReader): Stat {
  // Field order is the wire order; object literal evaluation order keeps it.
  return {
    czxid: r.readLong(),
    mzxid: r.readLong(),
    ctime: r.readLong(),
    mtime: r.readLong(),
    version: r.readInt(),
    cversion: r.readInt(),
    aversion: r.readInt(),
    ephemeralOwner: r.readLong(),
    dataLength: r.readInt(),
    numChildren: r.readInt(),
    pzxid: r.readLong(),
  };
}
