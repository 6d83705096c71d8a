import { JuteReader } from '../jute-reader';
import { JuteWriter } from '../jute-writer';
import { OpCode } from '../op-codes';

/**
 * Ops whose successful reply is a bare ReplyHeader (FinalRequestProcessor leaves `rsp` null),
 * plus addWatch, whose reply carries an ErrorResponse{err: 0} that holds no information.
 */
export interface EmptyResponse {
  op:
    | OpCode.delete
    | OpCode.ping
    | OpCode.closeSession
    | OpCode.auth
    | OpCode.setWatches
    | OpCode.setWatches2
    | OpCode.checkWatches
    | OpCode.removeWatches
    | OpCode.addWatch;
}

/** zookeeper.jute: ErrorResponse { int err }. */
export function writeErrorResponse(w: JuteWriter, err: number): void {
  w.writeInt(err);
}

export function readErrorResponse(r: JuteReader): number {
  return r.readInt();
}

/**
 * FinalRequestProcessor answers addWatch with `new ErrorResponse(0)` and ZooKeeper.addWatch
 * expects to read it, so a server must send the 4 bytes; a client tolerates their absence.
 */
export function writeEmptyResponse(w: JuteWriter, res: EmptyResponse): void {
  if (res.op === OpCode.addWatch) {
    writeErrorResponse(w, 0);
  }
}

export function readEmptyResponse(r: JuteReader, op: EmptyResponse['op']): EmptyResponse {
  if (op === OpCode.addWatch && r.remaining >= 4) {
    readErrorResponse(r);
  }
  return { op };
}
