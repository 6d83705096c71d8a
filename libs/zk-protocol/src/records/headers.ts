import { JuteReader } from '../jute-reader';
import { JuteWriter } from '../jute-writer';
import { OpCode } from '../op-codes';

/** zookeeper.jute: RequestHeader, the prefix of every request after the handshake. */
export interface RequestHeader {
  xid: number;
  type: OpCode;
}

/** zookeeper.jute: ReplyHeader, the prefix of every reply and notification. */
export interface ReplyHeader {
  xid: number;
  zxid: bigint;
  err: number;
}

/** zookeeper.jute: MultiHeader, which precedes each op and each result inside a multi. */
export interface MultiHeader {
  type: number;
  done: boolean;
  err: number;
}

export function writeRequestHeader(w: JuteWriter, h: RequestHeader): void {
  w.writeInt(h.xid);
  w.writeInt(h.type);
}

export function readRequestHeader(r: JuteReader): RequestHeader {
  return { xid: r.readInt(), type: r.readInt() };
}

export function writeReplyHeader(w: JuteWriter, h: ReplyHeader): void {
  w.writeInt(h.xid);
  w.writeLong(h.zxid);
  w.writeInt(h.err);
}

export function readReplyHeader(r: JuteReader): ReplyHeader {
  return { xid: r.readInt(), zxid: r.readLong(), err: r.readInt() };
}

export function writeMultiHeader(w: JuteWriter, h: MultiHeader): void {
  w.writeInt(h.type);
  w.writeBool(h.done);
  w.writeInt(h.err);
}

export function readMultiHeader(r: JuteReader): MultiHeader {
  return { type: r.readInt(), done: r.readBool(), err: r.readInt() };
}
