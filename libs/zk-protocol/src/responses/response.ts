import { OpCode } from '../op-codes';
import { Create2Response, CreateResponse } from './create-responses';
import { EmptyResponse } from './empty-responses';
import {
  CheckResponse,
  ExistsResponse,
  GetACLResponse,
  GetAllChildrenNumberResponse,
  GetChildren2Response,
  GetChildrenResponse,
  GetDataResponse,
  GetEphemeralsResponse,
  StatResponse,
  SyncResponse,
  WhoAmIResponse,
} from './node-responses';

/** A failed op inside a multi: MultiHeader{type: -1, err} + ErrorResponse{err}. */
export interface ErrorResult {
  op: OpCode.error;
  err: number;
}

/** A successful delete inside a multi (no body). */
export interface DeleteResult {
  op: OpCode.delete;
}

/**
 * One entry of MultiResponse.java: the per-op result for multi (create, create2, delete,
 * setData, check) and multiRead (getChildren, getData), or an error.
 */
export type MultiResult =
  | ErrorResult
  | CreateResponse
  | Create2Response
  | DeleteResult
  | (StatResponse & { op: OpCode.setData })
  | CheckResponse
  | GetChildrenResponse
  | GetDataResponse;

/** MultiResponse.java: one result per submitted op, in order. */
export interface MultiResponse {
  op: OpCode.multi | OpCode.multiRead;
  results: MultiResult[];
}

/** Every reply body this codec can carry, discriminated on the op of the matching request. */
export type Response =
  | CreateResponse
  | Create2Response
  | EmptyResponse
  | CheckResponse
  | ExistsResponse
  | GetDataResponse
  | StatResponse
  | GetACLResponse
  | GetChildrenResponse
  | GetChildren2Response
  | SyncResponse
  | GetEphemeralsResponse
  | GetAllChildrenNumberResponse
  | WhoAmIResponse
  | MultiResponse;
