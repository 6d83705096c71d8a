import { OpCode } from './op-codes';

/**
 * The write opcodes: requests that change the tree or the sessions and become a txn under a
 * fresh zxid. This is ZooKeeper 3.8's list, Request.isQuorum (true), which is also the set of
 * types PrepRequestProcessor.pRequestHelper hands to pRequest2Txn; everything else only checks
 * the session (reads, watches, sync, ping, auth). Values are ZooDefs.OpCode's.
 *
 * createSession and closeSession are writes for global sessions (isQuorum:
 * !isLocalSession); this codec's peers have no local sessions, so they always are. OpCode.error
 * is on isQuorum's list only because a failed write's header is retyped to it after prep: no
 * client sends it, so it is not a request opcode here.
 */
export const WRITE_OP_CODES: ReadonlySet<OpCode> = new Set([
  OpCode.create,
  OpCode.create2,
  OpCode.createTTL,
  OpCode.createContainer,
  OpCode.delete,
  OpCode.deleteContainer,
  OpCode.setACL,
  OpCode.setData,
  OpCode.check,
  OpCode.multi,
  OpCode.reconfig,
  OpCode.createSession,
  OpCode.closeSession,
]);

/** Whether `op` is a write opcode (see WRITE_OP_CODES). */
export function isWriteOp(op: number): boolean {
  return WRITE_OP_CODES.has(op);
}

/**
 * The write opcodes a multi may carry: those of MultiOperationRecord.deserialize's write cases,
 * i.e. Op.OpKind.TRANSACTION (ZooKeeper 3.8): a subset of WRITE_OP_CODES. Not every write:
 * setACL, deleteContainer, reconfig, the session ops and multi itself are refused ("Invalid
 * type of op").
 */
export const MULTI_WRITE_OP_CODES: ReadonlySet<OpCode> = new Set([
  OpCode.create,
  OpCode.create2,
  OpCode.createContainer,
  OpCode.createTTL,
  OpCode.delete,
  OpCode.setData,
  OpCode.check,
]);
