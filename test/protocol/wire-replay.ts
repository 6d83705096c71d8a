import {
  ConnectRequest,
  ConnectResponse,
  FrameDecoder,
  OpCode,
  ReplyHeader,
  Request,
  RequestHeader,
  Response,
  WatcherEvent,
  decodeConnectRequest,
  decodeConnectResponse,
  decodeReply,
  decodeRequest,
} from '@shepherd/zk-protocol';
import { WireFixture } from '../support/wire-fixture';

export type FixtureConnection = WireFixture['connections'][number];

export interface DecodedRequest {
  header: RequestHeader;
  request: Request;
  body: Buffer;
}

export interface DecodedReplyFrame {
  header: ReplyHeader;
  response?: Response;
  event?: WatcherEvent;
  body: Buffer;
}

/** One connection of a fixture, fully decoded. */
export interface DecodedConnection {
  connectRequest: ConnectRequest;
  connectRequestBody: Buffer;
  connectResponse: ConnectResponse;
  connectResponseBody: Buffer;
  requests: DecodedRequest[];
  replies: DecodedReplyFrame[];
}

/** The raw chunks of one direction, with the boundaries the proxy saw. */
export function chunksOf(conn: FixtureConnection, dir: 'c2s' | 's2c'): Buffer[] {
  return conn.chunks.filter((c) => c.dir === dir).map((c) => Buffer.from(c.hex, 'hex'));
}

/**
 * Frames a byte stream with FrameDecoder, fed as the given chunks. Throws if bytes are left
 * over: every recorded stream ends on a frame boundary.
 */
export function framesOf(chunks: readonly Buffer[]): Buffer[] {
  const decoder = new FrameDecoder();
  const frames = chunks.flatMap((chunk) => decoder.push(chunk));
  if (decoder.buffered !== 0) {
    throw new Error(`${decoder.buffered} bytes left in the frame decoder at end of stream`);
  }
  return frames;
}

/** Splits a buffer into 1-byte chunks: the harshest boundary case for the decoder. */
export function byteByByte(chunks: readonly Buffer[]): Buffer[] {
  const all = Buffer.concat(chunks);
  return Array.from({ length: all.length }, (_, i) => all.subarray(i, i + 1));
}

/**
 * Decodes a connection the way a server (c2s) and a client (s2c) would: handshake first, then
 * requests, then replies resolved through the xid -> op map the requests build (replies carry
 * only the xid; ClientCnxn matches them to its outgoing queue the same way).
 */
export function decodeConnection(conn: FixtureConnection): DecodedConnection {
  const [connectRequestBody, ...requestBodies] = framesOf(chunksOf(conn, 'c2s'));
  const [connectResponseBody, ...replyBodies] = framesOf(chunksOf(conn, 's2c'));
  if (!connectRequestBody || !connectResponseBody) {
    throw new Error('connection has no handshake in one direction');
  }
  const requests = requestBodies.map((body) => ({ ...decodeRequest(body), body }));
  const opByXid = new Map<number, OpCode>();
  for (const { header } of requests) {
    if (header.xid >= 0) {
      if (opByXid.has(header.xid)) throw new Error(`xid ${header.xid} used twice`);
      opByXid.set(header.xid, header.type);
    }
  }
  const replies = replyBodies.map((body) => ({
    ...decodeReply(body, (xid) => opByXid.get(xid)),
    body,
  }));
  return {
    connectRequest: decodeConnectRequest(connectRequestBody),
    connectRequestBody,
    connectResponse: decodeConnectResponse(connectResponseBody),
    connectResponseBody,
    requests,
    replies,
  };
}

/** The reply that answers `req` (same xid), if any. */
export function replyTo(conn: DecodedConnection, req: DecodedRequest): DecodedReplyFrame {
  const reply = conn.replies.find((r) => r.header.xid === req.header.xid);
  if (!reply) throw new Error(`no reply for xid ${req.header.xid} (${OpCode[req.header.type]})`);
  return reply;
}
