import { JuteReader } from '../jute-reader';
import { JuteWriter } from '../jute-writer';
import { OpCode } from '../op-codes';
import { RequestACL, readRequestACLList, writeACLList } from '../records/acl';
import { readRequiredString } from '../records/required';

// Requests that address one znode by path (zookeeper.jute, module org.apache.zookeeper.proto).

/** DeleteRequest { path, version }; version -1 matches any version. */
export interface DeleteRequest {
  op: OpCode.delete;
  path: string;
  version: number;
}

/** CheckVersionRequest { path, version }: same layout as DeleteRequest. */
export interface CheckVersionRequest {
  op: OpCode.check;
  path: string;
  version: number;
}

/**
 * ExistsRequest, GetDataRequest, GetChildrenRequest and GetChildren2Request all share the
 * layout { ustring path; boolean watch }.
 */
export interface PathWatchRequest {
  op: OpCode.exists | OpCode.getData | OpCode.getChildren | OpCode.getChildren2;
  path: string;
  watch: boolean;
}

/** SetDataRequest { path, data, version }. */
export interface SetDataRequest {
  op: OpCode.setData;
  path: string;
  data: Buffer | null;
  version: number;
}

/** GetACLRequest { path }. */
export interface GetACLRequest {
  op: OpCode.getACL;
  path: string;
}

/** SetACLRequest { path, acl, version }. */
export interface SetACLRequest {
  op: OpCode.setACL;
  path: string;
  acl: RequestACL[];
  version: number;
}

/** SyncRequest { path }. */
export interface SyncRequest {
  op: OpCode.sync;
  path: string;
}

/** GetAllChildrenNumberRequest { path }. */
export interface GetAllChildrenNumberRequest {
  op: OpCode.getAllChildrenNumber;
  path: string;
}

/** GetEphemeralsRequest { prefixPath }. */
export interface GetEphemeralsRequest {
  op: OpCode.getEphemerals;
  prefixPath: string;
}

export type PathVersionRequest = DeleteRequest | CheckVersionRequest;
export type PathOnlyRequest = GetACLRequest | SyncRequest | GetAllChildrenNumberRequest;

export function writePathVersionRequest(w: JuteWriter, req: PathVersionRequest): void {
  w.writeString(req.path);
  w.writeInt(req.version);
}

export function readPathVersionRequest<Op extends PathVersionRequest['op']>(
  r: JuteReader,
  op: Op,
): Extract<PathVersionRequest, { op: Op }> {
  const path = readRequiredString(r, 'path');
  const version = r.readInt();
  return { op, path, version } as Extract<PathVersionRequest, { op: Op }>;
}

export function writePathWatchRequest(w: JuteWriter, req: PathWatchRequest): void {
  w.writeString(req.path);
  w.writeBool(req.watch);
}

export function readPathWatchRequest<Op extends PathWatchRequest['op']>(
  r: JuteReader,
  op: Op,
): PathWatchRequest & { op: Op } {
  const path = readRequiredString(r, 'path');
  return { op, path, watch: r.readBool() };
}

export function writeSetDataRequest(w: JuteWriter, req: SetDataRequest): void {
  w.writeString(req.path);
  w.writeBuffer(req.data);
  w.writeInt(req.version);
}

export function readSetDataRequest(r: JuteReader): SetDataRequest {
  return {
    op: OpCode.setData,
    path: readRequiredString(r, 'SetDataRequest.path'),
    data: r.readBuffer(),
    version: r.readInt(),
  };
}

export function writeSetACLRequest(w: JuteWriter, req: SetACLRequest): void {
  w.writeString(req.path);
  writeACLList(w, req.acl);
  w.writeInt(req.version);
}

export function readSetACLRequest(r: JuteReader): SetACLRequest {
  return {
    op: OpCode.setACL,
    path: readRequiredString(r, 'SetACLRequest.path'),
    acl: readRequestACLList(r),
    version: r.readInt(),
  };
}

export function writePathOnlyRequest(w: JuteWriter, req: PathOnlyRequest): void {
  w.writeString(req.path);
}

export function readPathOnlyRequest<Op extends PathOnlyRequest['op']>(
  r: JuteReader,
  op: Op,
): Extract<PathOnlyRequest, { op: Op }> {
  const path = readRequiredString(r, 'path');
  return { op, path } as Extract<PathOnlyRequest, { op: Op }>;
}

export function writeGetEphemeralsRequest(w: JuteWriter, req: GetEphemeralsRequest): void {
  w.writeString(req.prefixPath);
}

export function readGetEphemeralsRequest(r: JuteReader): GetEphemeralsRequest {
  return {
    op: OpCode.getEphemerals,
    prefixPath: readRequiredString(r, 'GetEphemeralsRequest.prefixPath'),
  };
}
