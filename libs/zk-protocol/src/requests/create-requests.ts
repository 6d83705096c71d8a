import { JuteReader } from '../jute-reader';
import { JuteWriter } from '../jute-writer';
import { OpCode } from '../op-codes';
import { RequestACL, readRequestACLList, writeACLList } from '../records/acl';
import { readRequiredString } from '../records/required';

/**
 * zookeeper.jute: CreateRequest, shared by create, create2 and createContainer (the op code
 * only changes what the server answers: CreateResponse vs Create2Response). `flags` is a
 * CreateMode value. `data` may be null on the wire (the Java client sends null as length -1).
 */
export interface CreateRequest {
  op: OpCode.create | OpCode.create2 | OpCode.createContainer;
  path: string;
  data: Buffer | null;
  acl: RequestACL[];
  flags: number;
}

/** zookeeper.jute: CreateTTLRequest, CreateRequest plus a trailing `long ttl` (ms). */
export interface CreateTTLRequest {
  op: OpCode.createTTL;
  path: string;
  data: Buffer | null;
  acl: RequestACL[];
  flags: number;
  ttl: bigint;
}

export function writeCreateRequest(w: JuteWriter, req: CreateRequest | CreateTTLRequest): void {
  w.writeString(req.path);
  w.writeBuffer(req.data);
  writeACLList(w, req.acl);
  w.writeInt(req.flags);
  if (req.op === OpCode.createTTL) {
    w.writeLong(req.ttl);
  }
}

export function readCreateRequest(r: JuteReader, op: CreateRequest['op']): CreateRequest {
  return {
    op,
    path: readRequiredString(r, 'CreateRequest.path'),
    data: r.readBuffer(),
    acl: readRequestACLList(r),
    flags: r.readInt(),
  };
}

export function readCreateTTLRequest(r: JuteReader): CreateTTLRequest {
  return {
    op: OpCode.createTTL,
    path: readRequiredString(r, 'CreateTTLRequest.path'),
    data: r.readBuffer(),
    acl: readRequestACLList(r),
    flags: r.readInt(),
    ttl: r.readLong(),
  };
}
