import { OpCode } from '../op-codes';
import { CreateRequest, CreateTTLRequest } from './create-requests';
import {
  CheckVersionRequest,
  DeleteRequest,
  GetACLRequest,
  GetAllChildrenNumberRequest,
  GetEphemeralsRequest,
  PathWatchRequest,
  SetACLRequest,
  SetDataRequest,
  SyncRequest,
} from './node-requests';
import { AuthRequest, CloseSessionRequest, PingRequest, WhoAmIRequest } from './session-requests';
import {
  AddWatchRequest,
  SetWatches2Request,
  SetWatchesRequest,
  WatchesRequest,
} from './watch-requests';

/** Ops allowed inside a multi (the write cases of MultiOperationRecord.deserialize). */
export type MultiOp =
  CreateRequest | CreateTTLRequest | DeleteRequest | SetDataRequest | CheckVersionRequest;

/**
 * Ops allowed inside a multiRead. Op.GetChildren/Op.GetData in the Java client always send
 * watch=false; this codec encodes whatever it is given.
 */
export type ReadOp = PathWatchRequest & { op: OpCode.getChildren | OpCode.getData };

/** MultiOperationRecord with write ops (OpCode.multi). */
export interface MultiRequest {
  op: OpCode.multi;
  ops: MultiOp[];
}

/** MultiOperationRecord with read ops (OpCode.multiRead, ZooKeeper 3.6+). */
export interface MultiReadRequest {
  op: OpCode.multiRead;
  ops: ReadOp[];
}

/** Every request body this codec can carry, discriminated on `op` (the RequestHeader.type). */
export type Request =
  | CreateRequest
  | CreateTTLRequest
  | DeleteRequest
  | PathWatchRequest
  | SetDataRequest
  | GetACLRequest
  | SetACLRequest
  | SyncRequest
  | PingRequest
  | CloseSessionRequest
  | CheckVersionRequest
  | MultiRequest
  | MultiReadRequest
  | WatchesRequest
  | AddWatchRequest
  | SetWatchesRequest
  | SetWatches2Request
  | AuthRequest
  | GetEphemeralsRequest
  | GetAllChildrenNumberRequest
  | WhoAmIRequest;
