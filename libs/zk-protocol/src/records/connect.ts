import { JuteReader } from '../jute-reader';
import { JuteWriter } from '../jute-writer';
import { readBufferOrEmpty } from './required';

/** The only protocol version ever used by ClientCnxn (`new ConnectRequest(0, ...)`). */
export const PROTOCOL_VERSION = 0;

/**
 * zookeeper.jute: ConnectRequest. `readOnly` is the trailing boolean that pre-3.4 peers omit;
 * compat/ProtocolManager.java reads it only if bytes remain, and so does this codec. When
 * encoding, the byte is written only if `readOnly` is defined.
 */
export interface ConnectRequest {
  protocolVersion: number;
  lastZxidSeen: bigint;
  timeOut: number;
  sessionId: bigint;
  passwd: Buffer;
  readOnly?: boolean;
}

/** zookeeper.jute: ConnectResponse. Same optional trailing `readOnly` as ConnectRequest. */
export interface ConnectResponse {
  protocolVersion: number;
  timeOut: number;
  sessionId: bigint;
  passwd: Buffer;
  readOnly?: boolean;
}

export function writeConnectRequest(w: JuteWriter, req: ConnectRequest): void {
  w.writeInt(req.protocolVersion);
  w.writeLong(req.lastZxidSeen);
  w.writeInt(req.timeOut);
  w.writeLong(req.sessionId);
  w.writeBuffer(req.passwd);
  if (req.readOnly !== undefined) {
    w.writeBool(req.readOnly);
  }
}

export function readConnectRequest(r: JuteReader): ConnectRequest {
  const req: ConnectRequest = {
    protocolVersion: r.readInt(),
    lastZxidSeen: r.readLong(),
    timeOut: r.readInt(),
    sessionId: r.readLong(),
    passwd: readBufferOrEmpty(r),
  };
  if (r.remaining > 0) {
    req.readOnly = r.readBool();
  }
  return req;
}

export function writeConnectResponse(w: JuteWriter, res: ConnectResponse): void {
  w.writeInt(res.protocolVersion);
  w.writeInt(res.timeOut);
  w.writeLong(res.sessionId);
  w.writeBuffer(res.passwd);
  if (res.readOnly !== undefined) {
    w.writeBool(res.readOnly);
  }
}

export function readConnectResponse(r: JuteReader): ConnectResponse {
  const res: ConnectResponse = {
    protocolVersion: r.readInt(),
    timeOut: r.readInt(),
    sessionId: r.readLong(),
    passwd: readBufferOrEmpty(r),
  };
  if (r.remaining > 0) {
    res.readOnly = r.readBool();
  }
  return res;
}

/** A framed ConnectRequest: the first packet a client sends, without a RequestHeader. */
export function encodeConnectRequest(req: ConnectRequest): Buffer {
  const w = new JuteWriter();
  writeConnectRequest(w, req);
  return w.toFrame();
}

/** Decodes a ConnectRequest frame body (length prefix already removed). */
export function decodeConnectRequest(body: Buffer): ConnectRequest {
  return readConnectRequest(new JuteReader(body));
}

/** A framed ConnectResponse: the first packet a server sends, without a ReplyHeader. */
export function encodeConnectResponse(res: ConnectResponse): Buffer {
  const w = new JuteWriter();
  writeConnectResponse(w, res);
  return w.toFrame();
}

/** Decodes a ConnectResponse frame body (length prefix already removed). */
export function decodeConnectResponse(body: Buffer): ConnectResponse {
  return readConnectResponse(new JuteReader(body));
}
