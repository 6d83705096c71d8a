import {
  OpCode,
  ZkProtocolError,
  decodeConnectRequest,
  decodeConnectResponse,
  decodeReply,
  decodeRequest,
} from '../src';

// Random garbage must only ever produce the codec's own typed errors, never a RangeError,
// TypeError or an out-of-memory allocation. A small deterministic PRNG keeps failures
// reproducible.
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s;
  };
}

// prettier-ignore
const REPLY_OPS = [
  OpCode.create, OpCode.create2, OpCode.getData, OpCode.getACL, OpCode.getChildren,
  OpCode.getChildren2, OpCode.multi, OpCode.multiRead, OpCode.whoAmI, OpCode.exists,
  OpCode.check, OpCode.addWatch, OpCode.sync, OpCode.getEphemerals,
];

function expectOnlyTypedErrors(fn: () => unknown): void {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ZkProtocolError);
  }
}

describe('malformed input', () => {
  it('random bytes only ever raise ZkProtocolError subclasses', () => {
    const next = prng(0x2181);
    for (let i = 0; i < 3000; i++) {
      const length = next() % 64;
      const bytes = Buffer.alloc(length);
      for (let j = 0; j < length; j++) {
        // Bias towards 0x00/0xff so lengths of -1, 0 and huge values show up often.
        const r = next() % 4;
        bytes[j] = r === 0 ? 0 : r === 1 ? 0xff : next() & 0xff;
      }
      const op = REPLY_OPS[next() % REPLY_OPS.length];
      expectOnlyTypedErrors(() => decodeRequest(bytes));
      expectOnlyTypedErrors(() => decodeReply(bytes, () => op));
      expectOnlyTypedErrors(() => decodeConnectRequest(bytes));
      expectOnlyTypedErrors(() => decodeConnectResponse(bytes));
    }
  });
});
