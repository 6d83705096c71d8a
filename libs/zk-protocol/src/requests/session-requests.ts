import { JuteReader } from '../jute-reader';
import { JuteWriter } from '../jute-writer';
import { OpCode } from '../op-codes';
import { readBufferOrEmpty, readRequiredString } from '../records/required';

/** Heartbeat: a bare RequestHeader with xid -2 (ClientCnxn.SendThread.sendPing). */
export interface PingRequest {
  op: OpCode.ping;
}

/** A bare RequestHeader; the server closes the session and replies with a header only. */
export interface CloseSessionRequest {
  op: OpCode.closeSession;
}

/** A bare RequestHeader; answered by WhoAmIResponse (ZooKeeper 3.9). */
export interface WhoAmIRequest {
  op: OpCode.whoAmI;
}

/**
 * zookeeper.jute: AuthPacket { int type; ustring scheme; buffer auth }. ClientCnxn always sends
 * type 0, with xid -4 (AUTHPACKET_XID).
 */
export interface AuthRequest {
  op: OpCode.auth;
  type: number;
  scheme: string;
  auth: Buffer;
}

export type HeaderOnlyRequest = PingRequest | CloseSessionRequest | WhoAmIRequest;

export function writeAuthRequest(w: JuteWriter, req: AuthRequest): void {
  w.writeInt(req.type);
  w.writeString(req.scheme);
  w.writeBuffer(req.auth);
}

export function readAuthRequest(r: JuteReader): AuthRequest {
  return {
    op: OpCode.auth,
    type: r.readInt(),
    scheme: readRequiredString(r, 'AuthPacket.scheme'),
    auth: readBufferOrEmpty(r),
  };
}
