import {
  JuteEncodeError,
  JuteWriter,
  MULTI_WRITE_OP_CODES,
  MultiOp,
  OpCode,
  WRITE_OP_CODES,
  isWriteOp,
  writeMultiRequest,
} from '../src';

// The lists copied by hand from apache/zookeeper 3.8: Request.isQuorum (the write opcodes, with
// createSession/closeSession counted as global sessions), PrepRequestProcessor.pRequestHelper
// (the types it turns into a txn) and MultiOperationRecord.deserialize (what a multi may carry).

const name = (op: OpCode) => OpCode[op];

describe('write opcodes', () => {
  it("are Request.isQuorum's: every type pRequestHelper turns into a txn", () => {
    expect([...WRITE_OP_CODES].map(name).sort()).toEqual(
      [
        'create',
        'create2',
        'createTTL',
        'createContainer',
        'delete',
        'deleteContainer',
        'setACL',
        'setData',
        'check',
        'multi',
        'reconfig',
        'createSession',
        'closeSession',
      ].sort(),
    );
  });

  it('isWriteOp is true for exactly those opcodes', () => {
    const all = Object.values(OpCode).filter((v): v is OpCode => typeof v === 'number');
    for (const op of all)
      expect([name(op), isWriteOp(op)]).toEqual([name(op), WRITE_OP_CODES.has(op)]);
  });

  it('reads, watches, sync, ping, auth and the reply-only error are not writes', () => {
    for (const op of [
      OpCode.notification,
      OpCode.exists,
      OpCode.getData,
      OpCode.getACL,
      OpCode.getChildren,
      OpCode.getChildren2,
      OpCode.getAllChildrenNumber,
      OpCode.getEphemerals,
      OpCode.multiRead,
      OpCode.sync,
      OpCode.ping,
      OpCode.setWatches,
      OpCode.setWatches2,
      OpCode.checkWatches,
      OpCode.removeWatches,
      OpCode.addWatch,
      OpCode.whoAmI,
      OpCode.auth,
      OpCode.sasl,
      OpCode.error,
    ]) {
      expect([name(op), isWriteOp(op)]).toEqual([name(op), false]);
    }
    expect(isWriteOp(999)).toBe(false);
  });

  it('a multi carries only the transaction ops of MultiOperationRecord, all of them writes', () => {
    expect([...MULTI_WRITE_OP_CODES].map(name).sort()).toEqual(
      ['create', 'create2', 'createContainer', 'createTTL', 'delete', 'setData', 'check'].sort(),
    );
    for (const op of MULTI_WRITE_OP_CODES) expect(isWriteOp(op)).toBe(true);
  });

  it('the multi codec refuses a write a multi may not carry (setACL)', () => {
    const setACL = { op: OpCode.setACL, path: '/a', acl: [], version: -1 } as unknown as MultiOp;
    expect(() => writeMultiRequest(new JuteWriter(), { op: OpCode.multi, ops: [setACL] })).toThrow(
      JuteEncodeError,
    );
  });
});
