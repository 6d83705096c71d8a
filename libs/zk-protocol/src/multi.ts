import { JuteEncodeError, UnknownOpCodeError } from './errors/protocol-errors';
import { JuteReader } from './jute-reader';
import { JuteWriter } from './jute-writer';
import { OpCode } from './op-codes';
import { MultiHeader, readMultiHeader, writeMultiHeader } from './records/headers';
import {
  readCreateRequest,
  readCreateTTLRequest,
  writeCreateRequest,
} from './requests/create-requests';
import {
  readPathVersionRequest,
  readPathWatchRequest,
  readSetDataRequest,
  writePathVersionRequest,
  writePathWatchRequest,
  writeSetDataRequest,
} from './requests/node-requests';
import { MultiOp, MultiReadRequest, MultiRequest, ReadOp } from './requests/request';
import {
  readCreate2Response,
  readCreateResponse,
  writeCreateResponse,
} from './responses/create-responses';
import { readErrorResponse, writeErrorResponse } from './responses/empty-responses';
import {
  readGetChildrenResponse,
  readGetDataResponse,
  readStatResponse,
  writeGetChildrenResponse,
  writeGetDataResponse,
  writeStatResponse,
} from './responses/node-responses';
import { MultiResponse, MultiResult } from './responses/response';
import { MULTI_WRITE_OP_CODES } from './write-ops';

// The multi/multiRead wire layout, after MultiOperationRecord.java and MultiResponse.java:
// a sequence of (MultiHeader, record) pairs closed by MultiHeader{type: -1, done: true, err: -1}.

/** The terminating header both records end with. */
const DONE: MultiHeader = { type: -1, done: true, err: -1 };

/** Ops a multiRead may carry (MultiOperationRecord.deserialize's read cases, Op.OpKind.READ). */
const READ_OPS: ReadonlySet<number> = new Set([OpCode.getChildren, OpCode.getData]);

/** MultiOperationRecord.serialize: each op gets MultiHeader{type, done: false, err: -1}. */
export function writeMultiRequest(w: JuteWriter, req: MultiRequest | MultiReadRequest): void {
  const allowed = req.op === OpCode.multi ? MULTI_WRITE_OP_CODES : READ_OPS;
  for (const op of req.ops) {
    if (!allowed.has(op.op)) {
      // MultiOperationRecord rejects mixing write and read ops in one record.
      throw new JuteEncodeError(`op ${op.op} is not allowed in ${OpCode[req.op]}`);
    }
    writeMultiHeader(w, { type: op.op, done: false, err: -1 });
    writeMultiOp(w, op);
  }
  writeMultiHeader(w, DONE);
}

function writeMultiOp(w: JuteWriter, op: MultiOp | ReadOp): void {
  switch (op.op) {
    case OpCode.create:
    case OpCode.create2:
    case OpCode.createContainer:
    case OpCode.createTTL:
      return writeCreateRequest(w, op);
    case OpCode.delete:
    case OpCode.check:
      return writePathVersionRequest(w, op);
    case OpCode.setData:
      return writeSetDataRequest(w, op);
    case OpCode.getChildren:
    case OpCode.getData:
      return writePathWatchRequest(w, op);
  }
}

export function readMultiRequest(r: JuteReader, op: OpCode.multi): MultiRequest;
export function readMultiRequest(r: JuteReader, op: OpCode.multiRead): MultiReadRequest;
export function readMultiRequest(
  r: JuteReader,
  op: OpCode.multi | OpCode.multiRead,
): MultiRequest | MultiReadRequest;
/** MultiOperationRecord.deserialize, rejecting ops of the other kind like the Java record. */
export function readMultiRequest(
  r: JuteReader,
  op: OpCode.multi | OpCode.multiRead,
): MultiRequest | MultiReadRequest {
  const allowed = op === OpCode.multi ? MULTI_WRITE_OP_CODES : READ_OPS;
  const ops: Array<MultiOp | ReadOp> = [];
  for (;;) {
    const at = r.offset;
    const h = readMultiHeader(r);
    if (h.done) {
      break;
    }
    if (!allowed.has(h.type)) {
      throw new UnknownOpCodeError(h.type, at, OpCode[op]);
    }
    ops.push(readMultiOp(r, h.type as (MultiOp | ReadOp)['op']));
  }
  return op === OpCode.multi ? { op, ops: ops as MultiOp[] } : { op, ops: ops as ReadOp[] };
}

function readMultiOp(r: JuteReader, type: (MultiOp | ReadOp)['op']): MultiOp | ReadOp {
  switch (type) {
    case OpCode.create:
    case OpCode.create2:
    case OpCode.createContainer:
      return readCreateRequest(r, type);
    case OpCode.createTTL:
      return readCreateTTLRequest(r);
    case OpCode.delete:
    case OpCode.check:
      return readPathVersionRequest(r, type);
    case OpCode.setData:
      return readSetDataRequest(r);
    case OpCode.getChildren:
    case OpCode.getData:
      return readPathWatchRequest(r, type);
  }
}

/**
 * MultiResponse.serialize: MultiHeader{type, done: false, err} + body per result, where err is
 * 0 except for error results. Note that a real server reports createContainer/createTTL
 * results as create2 (FinalRequestProcessor); this encoder writes the op it is given.
 */
export function writeMultiResponse(w: JuteWriter, res: MultiResponse): void {
  for (const result of res.results) {
    const err = result.op === OpCode.error ? result.err : 0;
    writeMultiHeader(w, { type: result.op, done: false, err });
    writeMultiResult(w, result);
  }
  writeMultiHeader(w, DONE);
}

function writeMultiResult(w: JuteWriter, result: MultiResult): void {
  switch (result.op) {
    case OpCode.error:
      return writeErrorResponse(w, result.err);
    case OpCode.create:
    case OpCode.create2:
    case OpCode.createContainer:
    case OpCode.createTTL:
      return writeCreateResponse(w, result);
    case OpCode.delete:
    case OpCode.check:
      // Inside a multi these carry no body, even though a standalone check returns a Stat.
      return;
    case OpCode.setData:
      return writeStatResponse(w, result);
    case OpCode.getChildren:
      return writeGetChildrenResponse(w, result);
    case OpCode.getData:
      return writeGetDataResponse(w, result);
    default:
      throw new JuteEncodeError(`result op ${(result as { op: number }).op} is not a multi result`);
  }
}

/** MultiResponse.deserialize. createContainer/createTTL are accepted as Create2Response too. */
export function readMultiResponse(
  r: JuteReader,
  op: OpCode.multi | OpCode.multiRead,
): MultiResponse {
  const results: MultiResult[] = [];
  for (;;) {
    const at = r.offset;
    const h = readMultiHeader(r);
    if (h.done) {
      break;
    }
    results.push(readMultiResult(r, h.type, at));
  }
  return { op, results };
}

function readMultiResult(r: JuteReader, type: number, at: number): MultiResult {
  switch (type) {
    case OpCode.error:
      return { op: OpCode.error, err: readErrorResponse(r) };
    case OpCode.create:
      return readCreateResponse(r);
    case OpCode.create2:
    case OpCode.createContainer:
    case OpCode.createTTL:
      return readCreate2Response(r, type);
    case OpCode.delete:
      return { op: OpCode.delete };
    case OpCode.check:
      return { op: OpCode.check };
    case OpCode.setData:
      return readStatResponse(r, OpCode.setData);
    case OpCode.getChildren:
      return readGetChildrenResponse(r);
    case OpCode.getData:
      return readGetDataResponse(r);
    default:
      throw new UnknownOpCodeError(type, at, 'multi response');
  }
}
