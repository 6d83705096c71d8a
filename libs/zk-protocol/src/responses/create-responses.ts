import { JuteReader } from '../jute-reader';
import { JuteWriter } from '../jute-writer';
import { OpCode } from '../op-codes';
import { readRequiredString } from '../records/required';
import { readStat, Stat, writeStat } from '../records/stat';

/** zookeeper.jute: CreateResponse { path }, the answer to a plain create. */
export interface CreateResponse {
  op: OpCode.create;
  path: string;
}

/**
 * zookeeper.jute: Create2Response { path, stat }, the answer to create2, createContainer and
 * createTTL (FinalRequestProcessor answers all three with Create2Response).
 */
export interface Create2Response {
  op: OpCode.create2 | OpCode.createContainer | OpCode.createTTL;
  path: string;
  stat: Stat;
}

export function writeCreateResponse(w: JuteWriter, res: CreateResponse | Create2Response): void {
  w.writeString(res.path);
  if (res.op !== OpCode.create) {
    writeStat(w, res.stat);
  }
}

export function readCreateResponse(r: JuteReader): CreateResponse {
  return { op: OpCode.create, path: readRequiredString(r, 'CreateResponse.path') };
}

export function readCreate2Response(r: JuteReader, op: Create2Response['op']): Create2Response {
  const path = readRequiredString(r, 'Create2Response.path');
  return { op, path, stat: readStat(r) };
}
