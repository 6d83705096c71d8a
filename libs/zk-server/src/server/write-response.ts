import { MultiOp, MultiResult, OpCode, Response } from '@shepherd/zk-protocol';
import { ProcessTxnResult } from '../data-tree/process-txn-result';
import { WriteRequest } from '../prep/prep-request';

/**
 * The reply body of a successful write, from the request and DataTree's ProcessTxnResult
 * (FinalRequestProcessor's write cases). Undefined means a bare ReplyHeader.
 */
export function writeResponse(request: WriteRequest, rc: ProcessTxnResult): Response | undefined {
  switch (request.op) {
    case OpCode.create:
      return { op: OpCode.create, path: rc.path ?? request.path };
    case OpCode.create2:
    case OpCode.createContainer:
    case OpCode.createTTL:
      return { op: request.op, path: rc.path ?? request.path, stat: requireStat(rc) };
    case OpCode.delete:
      return { op: OpCode.delete };
    case OpCode.setData:
    case OpCode.setACL:
      return { op: request.op, stat: requireStat(rc) };
    case OpCode.check:
      // FinalRequestProcessor answers a lone check with SetDataResponse(rc.stat).
      return { op: OpCode.check, stat: requireStat(rc) };
    case OpCode.multi:
      return { op: OpCode.multi, results: multiResults(request.ops, rc.results ?? []) };
    case OpCode.closeSession:
      return undefined;
  }
}

/**
 * FinalRequestProcessor's multi case: one OpResult per sub-txn. The txn model logs every create
 * as a CreateTxn, so whether the client asked for create (path only) or create2 (path + stat)
 * comes from the request's own op, as the sub-txn header type does in ZooKeeper. A lone check
 * in a multi carries no stat (CheckResult in 3.8).
 */
export function multiResults(ops: readonly MultiOp[], results: ProcessTxnResult[]): MultiResult[] {
  return results.map((sub, i): MultiResult => {
    const op = ops[i]?.op;
    switch (sub.type) {
      case OpCode.error:
        return { op: OpCode.error, err: sub.err };
      case OpCode.check:
        return { op: OpCode.check };
      case OpCode.create:
      case OpCode.createContainer:
      case OpCode.createTTL:
        if (op === OpCode.create) return { op: OpCode.create, path: sub.path ?? '' };
        return {
          op: op === OpCode.createContainer || op === OpCode.createTTL ? op : OpCode.create2,
          path: sub.path ?? '',
          stat: requireStat(sub),
        };
      case OpCode.delete:
      case OpCode.deleteContainer:
        return { op: OpCode.delete };
      case OpCode.setData:
        return { op: OpCode.setData, stat: requireStat(sub) };
      default:
        throw new Error(`Invalid type of op ${sub.type} in a multi`);
    }
  });
}

function requireStat(rc: ProcessTxnResult): NonNullable<ProcessTxnResult['stat']> {
  if (!rc.stat) throw new Error(`no stat for a successful ${rc.type} of ${rc.path ?? '?'}`);
  return rc.stat;
}
