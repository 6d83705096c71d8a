import { JuteReader } from '../jute-reader';
import { JuteWriter } from '../jute-writer';
import { OpCode } from '../op-codes';
import { ACL, readACLList, writeACLList } from '../records/acl';
import { ClientInfo, readClientInfo, writeClientInfo } from '../records/client-info';
import type { StringList } from '../records/encoded-string-list';
import { readRequiredString, readStringList, writeStringList } from '../records/required';
import { readStat, Stat, STAT_SIZE, writeStat } from '../records/stat';

// Response bodies from zookeeper.jute (module org.apache.zookeeper.proto).

/** ExistsResponse { stat }. A missing node is reported as err NoNode with no body. */
export interface ExistsResponse {
  op: OpCode.exists;
  stat: Stat;
}

/** GetDataResponse { buffer data; stat }; data is null when the znode holds null. */
export interface GetDataResponse {
  op: OpCode.getData;
  data: Buffer | null;
  stat: Stat;
}

/** SetDataResponse { stat } and SetACLResponse { stat } share one layout. */
export interface StatResponse {
  op: OpCode.setData | OpCode.setACL;
  stat: Stat;
}

/**
 * A standalone check: FinalRequestProcessor answers it with a SetDataResponse (a Stat), while
 * inside a multi a check result has no body (MultiResponse.java). Hence the optional stat.
 */
export interface CheckResponse {
  op: OpCode.check;
  stat?: Stat;
}

/** GetACLResponse { acl; stat }. */
export interface GetACLResponse {
  op: OpCode.getACL;
  acl: ACL[];
  stat: Stat;
}

/** GetChildrenResponse { vector<ustring> children }. */
export interface GetChildrenResponse {
  op: OpCode.getChildren;
  /** Decoded replies hold strings; a server may answer with the encoded form. */
  children: StringList;
}

/** GetChildren2Response { children; stat }. */
export interface GetChildren2Response {
  op: OpCode.getChildren2;
  children: StringList;
  stat: Stat;
}

/** SyncResponse { path }. */
export interface SyncResponse {
  op: OpCode.sync;
  path: string;
}

/** GetEphemeralsResponse { vector<ustring> ephemerals }. */
export interface GetEphemeralsResponse {
  op: OpCode.getEphemerals;
  ephemerals: string[];
}

/** GetAllChildrenNumberResponse { int totalNumber }. */
export interface GetAllChildrenNumberResponse {
  op: OpCode.getAllChildrenNumber;
  totalNumber: number;
}

/** WhoAmIResponse { vector<ClientInfo> clientInfo }. */
export interface WhoAmIResponse {
  op: OpCode.whoAmI;
  clientInfo: ClientInfo[];
}

export function writeStatResponse(w: JuteWriter, res: ExistsResponse | StatResponse): void {
  writeStat(w, res.stat);
}

export function readStatResponse<Op extends ExistsResponse['op'] | StatResponse['op']>(
  r: JuteReader,
  op: Op,
): Extract<ExistsResponse | StatResponse, { op: Op }> {
  return { op, stat: readStat(r) } as Extract<ExistsResponse | StatResponse, { op: Op }>;
}

export function writeCheckResponse(w: JuteWriter, res: CheckResponse): void {
  if (res.stat) {
    writeStat(w, res.stat);
  }
}

/** Reads the Stat only if one is there, so both server behaviours decode. */
export function readCheckResponse(r: JuteReader): CheckResponse {
  return r.remaining >= STAT_SIZE ? { op: OpCode.check, stat: readStat(r) } : { op: OpCode.check };
}

export function writeGetDataResponse(w: JuteWriter, res: GetDataResponse): void {
  w.writeBuffer(res.data);
  writeStat(w, res.stat);
}

export function readGetDataResponse(r: JuteReader): GetDataResponse {
  const data = r.readBuffer();
  return { op: OpCode.getData, data, stat: readStat(r) };
}

export function writeGetACLResponse(w: JuteWriter, res: GetACLResponse): void {
  writeACLList(w, res.acl);
  writeStat(w, res.stat);
}

export function readGetACLResponse(r: JuteReader): GetACLResponse {
  const acl = readACLList(r);
  return { op: OpCode.getACL, acl, stat: readStat(r) };
}

export function writeGetChildrenResponse(
  w: JuteWriter,
  res: GetChildrenResponse | GetChildren2Response,
): void {
  writeStringList(w, res.children);
  if (res.op === OpCode.getChildren2) {
    writeStat(w, res.stat);
  }
}

export function readGetChildrenResponse(r: JuteReader): GetChildrenResponse {
  return { op: OpCode.getChildren, children: readStringList(r) };
}

export function readGetChildren2Response(r: JuteReader): GetChildren2Response {
  const children = readStringList(r);
  return { op: OpCode.getChildren2, children, stat: readStat(r) };
}

export function writeSyncResponse(w: JuteWriter, res: SyncResponse): void {
  w.writeString(res.path);
}

export function readSyncResponse(r: JuteReader): SyncResponse {
  return { op: OpCode.sync, path: readRequiredString(r, 'SyncResponse.path') };
}

export function writeGetEphemeralsResponse(w: JuteWriter, res: GetEphemeralsResponse): void {
  writeStringList(w, res.ephemerals);
}

export function readGetEphemeralsResponse(r: JuteReader): GetEphemeralsResponse {
  return { op: OpCode.getEphemerals, ephemerals: readStringList(r) };
}

export function writeGetAllChildrenNumberResponse(
  w: JuteWriter,
  res: GetAllChildrenNumberResponse,
): void {
  w.writeInt(res.totalNumber);
}

export function readGetAllChildrenNumberResponse(r: JuteReader): GetAllChildrenNumberResponse {
  return { op: OpCode.getAllChildrenNumber, totalNumber: r.readInt() };
}

export function writeWhoAmIResponse(w: JuteWriter, res: WhoAmIResponse): void {
  w.writeVector(res.clientInfo, writeClientInfo);
}

export function readWhoAmIResponse(r: JuteReader): WhoAmIResponse {
  return { op: OpCode.whoAmI, clientInfo: r.readVector(readClientInfo) ?? [] };
}
