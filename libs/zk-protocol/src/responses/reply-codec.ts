import { JuteEncodeError, UnknownOpCodeError } from '../errors/protocol-errors';
import { JuteReader } from '../jute-reader';
import { JuteWriter } from '../jute-writer';
import { readMultiResponse, writeMultiResponse } from '../multi';
import { OpCode } from '../op-codes';
import { readReplyHeader, ReplyHeader, writeReplyHeader } from '../records/headers';
import { readWatcherEvent, WatcherEvent, writeWatcherEvent } from '../records/watcher-event';
import { Xid } from '../xids';
import { readCreate2Response, readCreateResponse, writeCreateResponse } from './create-responses';
import { readEmptyResponse, writeEmptyResponse } from './empty-responses';
import {
  readCheckResponse,
  readGetACLResponse,
  readGetAllChildrenNumberResponse,
  readGetChildren2Response,
  readGetChildrenResponse,
  readGetDataResponse,
  readGetEphemeralsResponse,
  readStatResponse,
  readSyncResponse,
  readWhoAmIResponse,
  writeCheckResponse,
  writeGetACLResponse,
  writeGetAllChildrenNumberResponse,
  writeGetChildrenResponse,
  writeGetDataResponse,
  writeGetEphemeralsResponse,
  writeStatResponse,
  writeSyncResponse,
  writeWhoAmIResponse,
} from './node-responses';
import { MultiResult, Response } from './response';

/** What one reply frame decodes to. */
export interface DecodedReply {
  header: ReplyHeader;
  /** Present for an ordinary reply with err 0 (and for multi replies that carry a body). */
  response?: Response;
  /** Present when header.xid is -1 (a watch notification). */
  event?: WatcherEvent;
}

/** Writes the record that follows the ReplyHeader for this op (possibly nothing). */
export function writeResponseBody(w: JuteWriter, res: Response): void {
  switch (res.op) {
    case OpCode.create:
    case OpCode.create2:
    case OpCode.createContainer:
    case OpCode.createTTL:
      return writeCreateResponse(w, res);
    case OpCode.delete:
    case OpCode.ping:
    case OpCode.closeSession:
    case OpCode.auth:
    case OpCode.setWatches:
    case OpCode.setWatches2:
    case OpCode.checkWatches:
    case OpCode.removeWatches:
    case OpCode.addWatch:
      return writeEmptyResponse(w, res);
    case OpCode.check:
      return writeCheckResponse(w, res);
    case OpCode.exists:
    case OpCode.setData:
    case OpCode.setACL:
      return writeStatResponse(w, res);
    case OpCode.getData:
      return writeGetDataResponse(w, res);
    case OpCode.getACL:
      return writeGetACLResponse(w, res);
    case OpCode.getChildren:
    case OpCode.getChildren2:
      return writeGetChildrenResponse(w, res);
    case OpCode.sync:
      return writeSyncResponse(w, res);
    case OpCode.getEphemerals:
      return writeGetEphemeralsResponse(w, res);
    case OpCode.getAllChildrenNumber:
      return writeGetAllChildrenNumberResponse(w, res);
    case OpCode.whoAmI:
      return writeWhoAmIResponse(w, res);
    case OpCode.multi:
    case OpCode.multiRead:
      return writeMultiResponse(w, res);
    default:
      throw new JuteEncodeError(`cannot encode response op ${(res as { op: unknown }).op}`);
  }
}

/** Reads the record that follows a ReplyHeader, given the op of the request it answers. */
export function readResponseBody(r: JuteReader, op: OpCode): Response {
  switch (op) {
    case OpCode.create:
      return readCreateResponse(r);
    case OpCode.create2:
    case OpCode.createContainer:
    case OpCode.createTTL:
      return readCreate2Response(r, op);
    case OpCode.delete:
    case OpCode.ping:
    case OpCode.closeSession:
    case OpCode.auth:
    case OpCode.setWatches:
    case OpCode.setWatches2:
    case OpCode.checkWatches:
    case OpCode.removeWatches:
    case OpCode.addWatch:
      return readEmptyResponse(r, op);
    case OpCode.check:
      return readCheckResponse(r);
    case OpCode.exists:
    case OpCode.setData:
    case OpCode.setACL:
      return readStatResponse(r, op);
    case OpCode.getData:
      return readGetDataResponse(r);
    case OpCode.getACL:
      return readGetACLResponse(r);
    case OpCode.getChildren:
      return readGetChildrenResponse(r);
    case OpCode.getChildren2:
      return readGetChildren2Response(r);
    case OpCode.sync:
      return readSyncResponse(r);
    case OpCode.getEphemerals:
      return readGetEphemeralsResponse(r);
    case OpCode.getAllChildrenNumber:
      return readGetAllChildrenNumberResponse(r);
    case OpCode.whoAmI:
      return readWhoAmIResponse(r);
    case OpCode.multi:
    case OpCode.multiRead:
      return readMultiResponse(r, op);
    default:
      throw new UnknownOpCodeError(op, r.offset, 'reply');
  }
}

/**
 * Decodes one reply frame body (length prefix removed), following ClientCnxn.readResponse:
 * - xid -1: a notification; the body is a WatcherEvent.
 * - xid -2 (ping), -4 (auth), -8 (setWatches): header only; the client does not read a body.
 * - err != 0: header only, since the server sends no body; except multi/multiRead, whose
 *   per-op results are decoded when present.
 * - otherwise the body is decoded according to the op that `opFor` reports for the xid. If
 *   `opFor` does not know the xid the header alone is returned and the caller decides.
 */
export function decodeReply(
  body: Buffer,
  opFor: (xid: number) => OpCode | undefined,
): DecodedReply {
  const r = new JuteReader(body);
  const header = readReplyHeader(r);
  switch (header.xid) {
    case Xid.Notification:
      return { header, event: readWatcherEvent(r) };
    case Xid.Ping:
    case Xid.Auth:
    case Xid.SetWatches:
      return { header };
  }
  const op = opFor(header.xid);
  if (op === undefined) {
    return { header };
  }
  if (header.err !== 0) {
    const isMulti = op === OpCode.multi || op === OpCode.multiRead;
    if (!isMulti || r.remaining === 0) {
      return { header };
    }
  }
  return { header, response: readResponseBody(r, op) };
}

/** One framed reply: length prefix + ReplyHeader + body (if any). The server side. */
export function encodeReply(header: ReplyHeader, response?: Response): Buffer {
  const w = new JuteWriter(SMALL_REPLY + (response === undefined ? 0 : bulkOf(response)));
  writeReplyHeader(w, header);
  if (response !== undefined) {
    writeResponseBody(w, response);
  }
  return w.toFrame();
}

/** What a reply's fixed parts take at most (header, stats, paths), before its bulk. */
const SMALL_REPLY = 256;
/** Room per result of a multi or multiRead besides its bulk (MultiHeader, a Stat). */
const PER_RESULT = 96;

/**
 * The bytes of a reply's data and child lists, known before it is written: the writer starts
 * that big, so a child list of a few hundred KB is not copied again at every doubling.
 */
function bulkOf(res: Response | MultiResult): number {
  switch (res.op) {
    case OpCode.getChildren:
    case OpCode.getChildren2:
      return 'bytes' in res.children ? res.children.bytes.length : 0;
    case OpCode.getData:
      return res.data?.length ?? 0;
    case OpCode.multi:
    case OpCode.multiRead:
      return res.results.reduce((n, r) => n + PER_RESULT + bulkOf(r), 0);
    default:
      return 0;
  }
}

/**
 * One framed watch notification: ReplyHeader{xid: -1, zxid, err: 0} + WatcherEvent
 * (NIOServerCnxn.process). Servers before 3.9 always sent zxid -1; 3.9 sends the zxid of the
 * change that fired the watch, hence the parameter.
 */
export function encodeNotification(event: WatcherEvent, zxid = -1n): Buffer {
  const w = new JuteWriter();
  writeReplyHeader(w, { xid: Xid.Notification, zxid, err: 0 });
  writeWatcherEvent(w, event);
  return w.toFrame();
}
