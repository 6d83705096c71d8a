import { JuteEncodeError, UnknownOpCodeError } from '../errors/protocol-errors';
import { JuteReader } from '../jute-reader';
import { JuteWriter } from '../jute-writer';
import { readMultiRequest, writeMultiRequest } from '../multi';
import { OpCode } from '../op-codes';
import { readRequestHeader, RequestHeader, writeRequestHeader } from '../records/headers';
import { readCreateRequest, readCreateTTLRequest, writeCreateRequest } from './create-requests';
import {
  readGetEphemeralsRequest,
  readPathOnlyRequest,
  readPathVersionRequest,
  readPathWatchRequest,
  readSetACLRequest,
  readSetDataRequest,
  writeGetEphemeralsRequest,
  writePathOnlyRequest,
  writePathVersionRequest,
  writePathWatchRequest,
  writeSetACLRequest,
  writeSetDataRequest,
} from './node-requests';
import { Request } from './request';
import { readAuthRequest, writeAuthRequest } from './session-requests';
import {
  readAddWatchRequest,
  readSetWatches2Request,
  readSetWatchesRequest,
  readWatchesRequest,
  writeAddWatchRequest,
  writeSetWatchesRequest,
  writeWatchesRequest,
} from './watch-requests';

/** Writes the record that follows the RequestHeader for this op (none for ping etc.). */
export function writeRequestBody(w: JuteWriter, req: Request): void {
  switch (req.op) {
    case OpCode.create:
    case OpCode.create2:
    case OpCode.createContainer:
    case OpCode.createTTL:
      return writeCreateRequest(w, req);
    case OpCode.delete:
    case OpCode.check:
      return writePathVersionRequest(w, req);
    case OpCode.exists:
    case OpCode.getData:
    case OpCode.getChildren:
    case OpCode.getChildren2:
      return writePathWatchRequest(w, req);
    case OpCode.setData:
      return writeSetDataRequest(w, req);
    case OpCode.getACL:
    case OpCode.sync:
    case OpCode.getAllChildrenNumber:
      return writePathOnlyRequest(w, req);
    case OpCode.setACL:
      return writeSetACLRequest(w, req);
    case OpCode.getEphemerals:
      return writeGetEphemeralsRequest(w, req);
    case OpCode.multi:
    case OpCode.multiRead:
      return writeMultiRequest(w, req);
    case OpCode.checkWatches:
    case OpCode.removeWatches:
      return writeWatchesRequest(w, req);
    case OpCode.addWatch:
      return writeAddWatchRequest(w, req);
    case OpCode.setWatches:
    case OpCode.setWatches2:
      return writeSetWatchesRequest(w, req);
    case OpCode.auth:
      return writeAuthRequest(w, req);
    case OpCode.ping:
    case OpCode.closeSession:
    case OpCode.whoAmI:
      // A bare RequestHeader (ClientCnxn sends these with a null request record).
      return;
    default:
      throw new JuteEncodeError(`cannot encode request op ${(req as { op: unknown }).op}`);
  }
}

/** Reads the record that follows a RequestHeader of type `op`. */
export function readRequestBody(r: JuteReader, op: number): Request {
  switch (op) {
    case OpCode.create:
    case OpCode.create2:
    case OpCode.createContainer:
      return readCreateRequest(r, op);
    case OpCode.createTTL:
      return readCreateTTLRequest(r);
    case OpCode.delete:
    case OpCode.check:
      return readPathVersionRequest(r, op);
    case OpCode.exists:
    case OpCode.getData:
    case OpCode.getChildren:
    case OpCode.getChildren2:
      return readPathWatchRequest(r, op);
    case OpCode.setData:
      return readSetDataRequest(r);
    case OpCode.getACL:
    case OpCode.sync:
    case OpCode.getAllChildrenNumber:
      return readPathOnlyRequest(r, op);
    case OpCode.setACL:
      return readSetACLRequest(r);
    case OpCode.getEphemerals:
      return readGetEphemeralsRequest(r);
    case OpCode.multi:
    case OpCode.multiRead:
      return readMultiRequest(r, op);
    case OpCode.checkWatches:
    case OpCode.removeWatches:
      return readWatchesRequest(r, op);
    case OpCode.addWatch:
      return readAddWatchRequest(r);
    case OpCode.setWatches:
      return readSetWatchesRequest(r);
    case OpCode.setWatches2:
      return readSetWatches2Request(r);
    case OpCode.auth:
      return readAuthRequest(r);
    case OpCode.ping:
    case OpCode.closeSession:
    case OpCode.whoAmI:
      return { op };
    default:
      // sasl, reconfig, createSession etc. are outside this codec's scope.
      throw new UnknownOpCodeError(op, r.offset - 4);
  }
}

/**
 * One framed request: length prefix + RequestHeader{xid, type: req.op} + body. The caller
 * picks the xid; ClientCnxn uses -2 for ping, -4 for auth and -8 for setWatches(2).
 */
export function encodeRequest(xid: number, req: Request): Buffer {
  const w = new JuteWriter();
  writeRequestHeader(w, { xid, type: req.op });
  writeRequestBody(w, req);
  return w.toFrame();
}

/** Decodes a request frame body (length prefix removed): the server side of encodeRequest. */
export function decodeRequest(body: Buffer): { header: RequestHeader; request: Request } {
  const r = new JuteReader(body);
  const header = readRequestHeader(r);
  return { header, request: readRequestBody(r, header.type) };
}
