import { AddWatchMode } from '../add-watch-mode';
import { JuteReader } from '../jute-reader';
import { JuteWriter } from '../jute-writer';
import { OpCode } from '../op-codes';
import { readRequiredString, readStringList, writeStringList } from '../records/required';
import { WatcherType } from '../watcher-constants';

/** zookeeper.jute: CheckWatchesRequest / RemoveWatchesRequest { path, int type }. */
export interface WatchesRequest {
  op: OpCode.checkWatches | OpCode.removeWatches;
  path: string;
  type: WatcherType;
}

/** zookeeper.jute: AddWatchRequest { path, int mode }. */
export interface AddWatchRequest {
  op: OpCode.addWatch;
  path: string;
  mode: AddWatchMode;
}

/**
 * zookeeper.jute: SetWatches, re-registering watches after a reconnect. ClientCnxn sends it
 * with xid -8 (SET_WATCHES_XID); relativeZxid is the last zxid the client saw.
 */
export interface SetWatchesRequest {
  op: OpCode.setWatches;
  relativeZxid: bigint;
  dataWatches: string[];
  existWatches: string[];
  childWatches: string[];
}

/** zookeeper.jute: SetWatches2, SetWatches plus the two persistent watch lists (3.6+). */
export interface SetWatches2Request {
  op: OpCode.setWatches2;
  relativeZxid: bigint;
  dataWatches: string[];
  existWatches: string[];
  childWatches: string[];
  persistentWatches: string[];
  persistentRecursiveWatches: string[];
}

export function writeWatchesRequest(w: JuteWriter, req: WatchesRequest): void {
  w.writeString(req.path);
  w.writeInt(req.type);
}

export function readWatchesRequest(r: JuteReader, op: WatchesRequest['op']): WatchesRequest {
  const path = readRequiredString(r, 'path');
  const type: WatcherType = r.readInt();
  return { op, path, type };
}

export function writeAddWatchRequest(w: JuteWriter, req: AddWatchRequest): void {
  w.writeString(req.path);
  w.writeInt(req.mode);
}

export function readAddWatchRequest(r: JuteReader): AddWatchRequest {
  const path = readRequiredString(r, 'AddWatchRequest.path');
  const mode: AddWatchMode = r.readInt();
  return { op: OpCode.addWatch, path, mode };
}

export function writeSetWatchesRequest(
  w: JuteWriter,
  req: SetWatchesRequest | SetWatches2Request,
): void {
  w.writeLong(req.relativeZxid);
  writeStringList(w, req.dataWatches);
  writeStringList(w, req.existWatches);
  writeStringList(w, req.childWatches);
  if (req.op === OpCode.setWatches2) {
    writeStringList(w, req.persistentWatches);
    writeStringList(w, req.persistentRecursiveWatches);
  }
}

export function readSetWatchesRequest(r: JuteReader): SetWatchesRequest {
  return {
    op: OpCode.setWatches,
    relativeZxid: r.readLong(),
    dataWatches: readStringList(r),
    existWatches: readStringList(r),
    childWatches: readStringList(r),
  };
}

export function readSetWatches2Request(r: JuteReader): SetWatches2Request {
  return {
    op: OpCode.setWatches2,
    relativeZxid: r.readLong(),
    dataWatches: readStringList(r),
    existWatches: readStringList(r),
    childWatches: readStringList(r),
    persistentWatches: readStringList(r),
    persistentRecursiveWatches: readStringList(r),
  };
}
