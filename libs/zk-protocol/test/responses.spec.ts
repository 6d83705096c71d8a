import {
  EncodedStringList,
  ErrorCode,
  EventType,
  JuteDecodeError,
  KeeperState,
  OpCode,
  type Response,
  type StringList,
  UnknownOpCodeError,
  Xid,
  decodeReply,
  encodeNotification,
  encodeReply,
  stringsOf,
} from '../src';
import { buf, cat, frame, i32, i64, str, vec } from './bytes';
import {
  ACLS,
  CLIENT_INFO,
  MULTI_DONE,
  STAT,
  aclsBytes,
  clientInfoBytes,
  multiHeader,
  statBytes,
} from './fixtures';

const data = Buffer.from([0, 1, 2, 255]);
const stat = statBytes(STAT);
const ZXID = 0x7fffffff00000001n;

/** [name, response, expected body bytes after the ReplyHeader]. */
const CASES: Array<[string, Response, Buffer]> = [
  ['create', { op: OpCode.create, path: '/a0000000001' }, str('/a0000000001')],
  ['create2', { op: OpCode.create2, path: '/b', stat: STAT }, cat(str('/b'), stat)],
  ['createContainer', { op: OpCode.createContainer, path: '/c', stat: STAT }, cat(str('/c'), stat)],
  ['createTTL', { op: OpCode.createTTL, path: '/t', stat: STAT }, cat(str('/t'), stat)],
  ['delete', { op: OpCode.delete }, Buffer.alloc(0)],
  ['check (standalone, with Stat)', { op: OpCode.check, stat: STAT }, stat],
  ['check (no body)', { op: OpCode.check }, Buffer.alloc(0)],
  ['closeSession', { op: OpCode.closeSession }, Buffer.alloc(0)],
  ['setWatches', { op: OpCode.setWatches }, Buffer.alloc(0)],
  ['setWatches2', { op: OpCode.setWatches2 }, Buffer.alloc(0)],
  ['checkWatches', { op: OpCode.checkWatches }, Buffer.alloc(0)],
  ['removeWatches', { op: OpCode.removeWatches }, Buffer.alloc(0)],
  // FinalRequestProcessor answers addWatch with ErrorResponse(0).
  ['addWatch', { op: OpCode.addWatch }, i32(0)],
  ['exists', { op: OpCode.exists, stat: STAT }, stat],
  ['getData', { op: OpCode.getData, data, stat: STAT }, cat(buf(data), stat)],
  ['getData null', { op: OpCode.getData, data: null, stat: STAT }, cat(buf(null), stat)],
  ['setData', { op: OpCode.setData, stat: STAT }, stat],
  ['setACL', { op: OpCode.setACL, stat: STAT }, stat],
  ['getACL', { op: OpCode.getACL, acl: ACLS, stat: STAT }, cat(aclsBytes(ACLS), stat)],
  [
    'getChildren',
    { op: OpCode.getChildren, children: ['x', 'y', 'ü'] },
    vec([str('x'), str('y'), str('ü')]),
  ],
  ['getChildren2', { op: OpCode.getChildren2, children: [], stat: STAT }, cat(vec([]), stat)],
  ['sync', { op: OpCode.sync, path: '/s' }, str('/s')],
  [
    'getEphemerals',
    { op: OpCode.getEphemerals, ephemerals: ['/e1', '/e2'] },
    vec([str('/e1'), str('/e2')]),
  ],
  ['getAllChildrenNumber', { op: OpCode.getAllChildrenNumber, totalNumber: 123456 }, i32(123456)],
  ['whoAmI', { op: OpCode.whoAmI, clientInfo: CLIENT_INFO }, vec(CLIENT_INFO.map(clientInfoBytes))],
  [
    'multi (all succeeded)',
    {
      op: OpCode.multi,
      results: [
        { op: OpCode.create, path: '/m' },
        { op: OpCode.create2, path: '/m2', stat: STAT },
        { op: OpCode.setData, stat: STAT },
        { op: OpCode.check },
        { op: OpCode.delete },
      ],
    },
    cat(
      multiHeader(1, false, 0),
      str('/m'),
      multiHeader(15, false, 0),
      str('/m2'),
      stat,
      multiHeader(5, false, 0),
      stat,
      multiHeader(13, false, 0),
      multiHeader(2, false, 0),
      MULTI_DONE,
    ),
  ],
  [
    'multi (per-op errors)',
    {
      op: OpCode.multi,
      results: [
        { op: OpCode.error, err: ErrorCode.Ok },
        { op: OpCode.error, err: ErrorCode.NodeExists },
        { op: OpCode.error, err: ErrorCode.RuntimeInconsistency },
      ],
    },
    cat(
      multiHeader(-1, false, 0),
      i32(0),
      multiHeader(-1, false, -110),
      i32(-110),
      multiHeader(-1, false, -2),
      i32(-2),
      MULTI_DONE,
    ),
  ],
  [
    'multiRead (mixed results and errors)',
    {
      op: OpCode.multiRead,
      results: [
        { op: OpCode.getChildren, children: ['k'] },
        { op: OpCode.getData, data: null, stat: STAT },
        { op: OpCode.error, err: ErrorCode.NoNode },
      ],
    },
    cat(
      multiHeader(8, false, 0),
      vec([str('k')]),
      multiHeader(4, false, 0),
      buf(null),
      stat,
      multiHeader(-1, false, -101),
      i32(-101),
      MULTI_DONE,
    ),
  ],
  ['multi (empty)', { op: OpCode.multi, results: [] }, MULTI_DONE],
];

function replyHeader(xid: number, zxid: bigint, err: number): Buffer {
  return cat(i32(xid), i64(zxid), i32(err));
}

describe('replies', () => {
  it.each(CASES)('%s encodes to the expected frame and decodes back', (_name, res, body) => {
    const header = { xid: 42, zxid: ZXID, err: 0 };
    const wire = cat(replyHeader(42, ZXID, 0), body);
    expect(encodeReply(header, res)).toEqual(frame(wire));
    const opFor = (xid: number) => (xid === 42 ? res.op : undefined);
    expect(decodeReply(wire, opFor)).toEqual({ header, response: res });
  });

  it('every truncation of every reply is a JuteDecodeError', () => {
    for (const [, res, body] of CASES) {
      // Bodies that may legitimately be absent or partial are excluded from this check.
      if (res.op === OpCode.check || res.op === OpCode.addWatch || body.length === 0) {
        continue;
      }
      const wire = cat(replyHeader(7, 1n, 0), body);
      for (let n = 0; n < wire.length; n++) {
        expect(() => decodeReply(wire.subarray(0, n), () => res.op)).toThrow(JuteDecodeError);
      }
    }
  });

  it('writes a child list given in its encoded form as the same bytes as the strings', () => {
    const names = ['x', 'ü', '', 'task-0rs0mxawaweef4fj56wu'];
    const strings = vec(names.map((n) => str(n)));
    const encoded = new EncodedStringList(names.length, strings.subarray(4));
    expect(encoded.toArray()).toEqual(names);
    expect(stringsOf(encoded)).toEqual(names);
    expect(stringsOf(names)).toBe(names);
    const header = { xid: 42, zxid: ZXID, err: 0 };
    for (const op of [OpCode.getChildren, OpCode.getChildren2] as const) {
      const res = (children: StringList): Response =>
        op === OpCode.getChildren ? { op, children } : { op, children, stat: STAT };
      const wire = encodeReply(header, res(encoded));
      expect(wire).toEqual(encodeReply(header, res(names)));
      expect(decodeReply(wire.subarray(4), () => op).response).toEqual(res(names));
    }
    const empty = new EncodedStringList(0, Buffer.alloc(0));
    expect(encodeReply(header, { op: OpCode.getChildren, children: empty })).toEqual(
      encodeReply(header, { op: OpCode.getChildren, children: [] }),
    );
  });

  it('decodes an addWatch reply without the ErrorResponse too', () => {
    const wire = replyHeader(3, 9n, 0);
    expect(decodeReply(wire, () => OpCode.addWatch).response).toEqual({ op: OpCode.addWatch });
  });

  it('decodes createContainer/createTTL multi results (a server normally says create2)', () => {
    const wire = cat(
      replyHeader(5, 1n, 0),
      multiHeader(19, false, 0),
      str('/c'),
      stat,
      multiHeader(21, false, 0),
      str('/t'),
      stat,
      MULTI_DONE,
    );
    expect(decodeReply(wire, () => OpCode.multi).response).toEqual({
      op: OpCode.multi,
      results: [
        { op: OpCode.createContainer, path: '/c', stat: STAT },
        { op: OpCode.createTTL, path: '/t', stat: STAT },
      ],
    });
  });

  it('an error reply is header only', () => {
    const wire = replyHeader(9, 77n, ErrorCode.NoNode);
    expect(encodeReply({ xid: 9, zxid: 77n, err: -101 })).toEqual(frame(wire));
    expect(decodeReply(wire, () => OpCode.getData)).toEqual({
      header: { xid: 9, zxid: 77n, err: -101 },
    });
  });

  it('a multi error reply decodes its results when a body is present', () => {
    const body = cat(multiHeader(-1, false, -101), i32(-101), MULTI_DONE);
    const wire = cat(replyHeader(9, 77n, -101), body);
    expect(decodeReply(wire, () => OpCode.multi)).toEqual({
      header: { xid: 9, zxid: 77n, err: -101 },
      response: { op: OpCode.multi, results: [{ op: OpCode.error, err: -101 }] },
    });
    expect(decodeReply(replyHeader(9, 77n, -4), () => OpCode.multi)).toEqual({
      header: { xid: 9, zxid: 77n, err: -4 },
    });
  });

  it.each([Xid.Ping, Xid.Auth, Xid.SetWatches])('xid %d is header only', (xid) => {
    const wire = replyHeader(xid, 5n, xid === Xid.Auth ? ErrorCode.AuthFailed : 0);
    const opFor = jest.fn(() => OpCode.getData);
    expect(decodeReply(wire, opFor)).toEqual({
      header: { xid, zxid: 5n, err: xid === Xid.Auth ? -115 : 0 },
    });
    expect(opFor).not.toHaveBeenCalled();
  });

  it('an xid the caller does not know is header only', () => {
    expect(decodeReply(replyHeader(1234, 5n, 0), () => undefined)).toEqual({
      header: { xid: 1234, zxid: 5n, err: 0 },
    });
  });

  it('notifications: xid -1 carries a WatcherEvent', () => {
    const event = { type: EventType.NodeDeleted, state: KeeperState.SyncConnected, path: '/n' };
    const body = cat(i32(2), i32(3), str('/n'));
    expect(encodeNotification(event)).toEqual(frame(cat(replyHeader(-1, -1n, 0), body)));
    const wire = cat(replyHeader(-1, 0x500000001n, 0), body);
    expect(encodeNotification(event, 0x500000001n)).toEqual(frame(wire));
    expect(decodeReply(wire, () => undefined)).toEqual({
      header: { xid: -1, zxid: 0x500000001n, err: 0 },
      event,
    });
  });

  it('rejects an unknown op type inside a multi response', () => {
    const wire = cat(replyHeader(1, 1n, 0), multiHeader(77, false, 0), MULTI_DONE);
    expect(() => decodeReply(wire, () => OpCode.multi)).toThrow(UnknownOpCodeError);
  });

  it('rejects a reply to an op it cannot decode', () => {
    expect(() => decodeReply(replyHeader(1, 1n, 0), () => OpCode.reconfig)).toThrow(
      UnknownOpCodeError,
    );
  });

  it('rejects a children vector that claims more entries than bytes', () => {
    const wire = cat(replyHeader(1, 1n, 0), i32(100000), str('a'));
    expect(() => decodeReply(wire, () => OpCode.getChildren)).toThrow(JuteDecodeError);
  });
});
