import {
  AddWatchMode,
  CreateMode,
  JuteDecodeError,
  JuteEncodeError,
  OPEN_ACL_UNSAFE,
  OpCode,
  type Request,
  UnknownOpCodeError,
  WatcherType,
  Xid,
  decodeRequest,
  encodeRequest,
} from '../src';
import { bool, buf, cat, frame, i32, i64, str, vec } from './bytes';
import { ACLS, MULTI_DONE, aclsBytes, multiHeader } from './fixtures';

const data = Buffer.from('hello');
const openAcl = aclsBytes([{ perms: 31, id: { scheme: 'world', id: 'anyone' } }]);

/** [name, xid, request, expected body bytes after the RequestHeader]. */
const CASES: Array<[string, number, Request, Buffer]> = [
  [
    'create',
    1,
    { op: OpCode.create, path: '/a', data, acl: ACLS, flags: CreateMode.EPHEMERAL_SEQUENTIAL },
    cat(str('/a'), buf(data), aclsBytes(ACLS), i32(3)),
  ],
  [
    'create with null data',
    2,
    { op: OpCode.create, path: '/n', data: null, acl: OPEN_ACL_UNSAFE, flags: 0 },
    cat(str('/n'), buf(null), openAcl, i32(0)),
  ],
  [
    'create2',
    3,
    { op: OpCode.create2, path: '/b', data, acl: ACLS, flags: 0 },
    cat(str('/b'), buf(data), aclsBytes(ACLS), i32(0)),
  ],
  [
    'createContainer',
    4,
    { op: OpCode.createContainer, path: '/c', data, acl: ACLS, flags: CreateMode.CONTAINER },
    cat(str('/c'), buf(data), aclsBytes(ACLS), i32(4)),
  ],
  [
    'createTTL',
    5,
    {
      op: OpCode.createTTL,
      path: '/t',
      data,
      acl: ACLS,
      flags: CreateMode.PERSISTENT_WITH_TTL,
      ttl: 0x7fffffffffffffffn,
    },
    cat(str('/t'), buf(data), aclsBytes(ACLS), i32(5), i64(0x7fffffffffffffffn)),
  ],
  ['delete', 6, { op: OpCode.delete, path: '/d', version: -1 }, cat(str('/d'), i32(-1))],
  ['exists', 7, { op: OpCode.exists, path: '/e', watch: true }, cat(str('/e'), bool(true))],
  ['getData', 8, { op: OpCode.getData, path: '/g', watch: false }, cat(str('/g'), bool(false))],
  [
    'setData',
    9,
    { op: OpCode.setData, path: '/s', data, version: 12 },
    cat(str('/s'), buf(data), i32(12)),
  ],
  ['getACL', 10, { op: OpCode.getACL, path: '/acl' }, str('/acl')],
  [
    'setACL',
    11,
    { op: OpCode.setACL, path: '/acl', acl: ACLS, version: 3 },
    cat(str('/acl'), aclsBytes(ACLS), i32(3)),
  ],
  [
    'getChildren',
    12,
    { op: OpCode.getChildren, path: '/p', watch: true },
    cat(str('/p'), bool(true)),
  ],
  [
    'getChildren2',
    13,
    { op: OpCode.getChildren2, path: '/p', watch: false },
    cat(str('/p'), bool(false)),
  ],
  ['sync', 14, { op: OpCode.sync, path: '/' }, str('/')],
  ['ping', Xid.Ping, { op: OpCode.ping }, Buffer.alloc(0)],
  ['closeSession', 15, { op: OpCode.closeSession }, Buffer.alloc(0)],
  ['check', 16, { op: OpCode.check, path: '/v', version: 4 }, cat(str('/v'), i32(4))],
  [
    'multi',
    17,
    {
      op: OpCode.multi,
      ops: [
        { op: OpCode.create, path: '/m', data, acl: ACLS, flags: 0 },
        { op: OpCode.createTTL, path: '/mt', data: null, acl: ACLS, flags: 5, ttl: 1000n },
        { op: OpCode.setData, path: '/m', data, version: -1 },
        { op: OpCode.check, path: '/m', version: 0 },
        { op: OpCode.delete, path: '/m', version: 1 },
      ],
    },
    cat(
      multiHeader(1, false, -1),
      str('/m'),
      buf(data),
      aclsBytes(ACLS),
      i32(0),
      multiHeader(21, false, -1),
      str('/mt'),
      buf(null),
      aclsBytes(ACLS),
      i32(5),
      i64(1000n),
      multiHeader(5, false, -1),
      str('/m'),
      buf(data),
      i32(-1),
      multiHeader(13, false, -1),
      str('/m'),
      i32(0),
      multiHeader(2, false, -1),
      str('/m'),
      i32(1),
      MULTI_DONE,
    ),
  ],
  ['empty multi', 18, { op: OpCode.multi, ops: [] }, MULTI_DONE],
  [
    'multiRead',
    19,
    {
      op: OpCode.multiRead,
      ops: [
        { op: OpCode.getChildren, path: '/r', watch: false },
        { op: OpCode.getData, path: '/r/x', watch: false },
      ],
    },
    cat(
      multiHeader(8, false, -1),
      str('/r'),
      bool(false),
      multiHeader(4, false, -1),
      str('/r/x'),
      bool(false),
      MULTI_DONE,
    ),
  ],
  [
    'checkWatches',
    20,
    { op: OpCode.checkWatches, path: '/w', type: WatcherType.Data },
    cat(str('/w'), i32(2)),
  ],
  [
    'removeWatches',
    21,
    { op: OpCode.removeWatches, path: '/w', type: WatcherType.Any },
    cat(str('/w'), i32(3)),
  ],
  [
    'addWatch',
    22,
    { op: OpCode.addWatch, path: '/w', mode: AddWatchMode.PERSISTENT_RECURSIVE },
    cat(str('/w'), i32(1)),
  ],
  [
    'setWatches',
    Xid.SetWatches,
    {
      op: OpCode.setWatches,
      relativeZxid: 0x1_0000_0005n,
      dataWatches: ['/d1', '/d2'],
      existWatches: [],
      childWatches: ['/c'],
    },
    cat(i64(0x1_0000_0005n), vec([str('/d1'), str('/d2')]), vec([]), vec([str('/c')])),
  ],
  [
    'setWatches2',
    Xid.SetWatches,
    {
      op: OpCode.setWatches2,
      relativeZxid: -1n,
      dataWatches: [],
      existWatches: ['/e'],
      childWatches: [],
      persistentWatches: ['/p'],
      persistentRecursiveWatches: ['/pr', '/ü'],
    },
    cat(
      i64(-1n),
      vec([]),
      vec([str('/e')]),
      vec([]),
      vec([str('/p')]),
      vec([str('/pr'), str('/ü')]),
    ),
  ],
  [
    'auth',
    Xid.Auth,
    { op: OpCode.auth, type: 0, scheme: 'digest', auth: Buffer.from('u:p') },
    cat(i32(0), str('digest'), buf(Buffer.from('u:p'))),
  ],
  ['getEphemerals', 23, { op: OpCode.getEphemerals, prefixPath: '/' }, str('/')],
  ['getAllChildrenNumber', 24, { op: OpCode.getAllChildrenNumber, path: '/x' }, str('/x')],
  ['whoAmI', 25, { op: OpCode.whoAmI }, Buffer.alloc(0)],
];

describe('requests', () => {
  it.each(CASES)('%s encodes to the expected frame and decodes back', (_name, xid, req, body) => {
    const wire = cat(i32(xid), i32(req.op), body);
    expect(encodeRequest(xid, req)).toEqual(frame(wire));
    expect(decodeRequest(wire)).toEqual({ header: { xid, type: req.op }, request: req });
  });

  it('covers every request op the contract lists', () => {
    const ops = new Set(CASES.map(([, , req]) => OpCode[req.op]));
    const listed = [
      'create',
      'create2',
      'createContainer',
      'createTTL',
      'delete',
      'exists',
      'getData',
      'setData',
      'getACL',
      'setACL',
      'getChildren',
      'getChildren2',
      'sync',
      'ping',
      'check',
      'multi',
      'multiRead',
      'checkWatches',
      'removeWatches',
      'addWatch',
      'setWatches',
      'setWatches2',
      'auth',
      'getEphemerals',
      'getAllChildrenNumber',
      'whoAmI',
      'closeSession',
    ];
    expect([...ops].sort()).toEqual([...listed].sort());
  });

  it('rejects unknown request ops', () => {
    expect(() => decodeRequest(cat(i32(1), i32(OpCode.sasl), buf(null)))).toThrow(
      UnknownOpCodeError,
    );
    expect(() => decodeRequest(cat(i32(1), i32(9999)))).toThrow(JuteDecodeError);
  });

  it('rejects read ops inside multi and write ops inside multiRead', () => {
    const readInMulti = cat(i32(1), i32(14), multiHeader(4, false, -1), str('/a'), bool(false));
    expect(() => decodeRequest(readInMulti)).toThrow(UnknownOpCodeError);
    const writeInRead = cat(i32(1), i32(22), multiHeader(2, false, -1), str('/a'), i32(0));
    expect(() => decodeRequest(writeInRead)).toThrow(UnknownOpCodeError);
    const bad = { op: OpCode.multi, ops: [{ op: OpCode.getData, path: '/a', watch: false }] };
    expect(() => encodeRequest(1, bad as unknown as Request)).toThrow(JuteEncodeError);
  });

  it('rejects a multi without its terminating header', () => {
    const body = cat(i32(1), i32(14), multiHeader(2, false, -1), str('/a'), i32(0));
    expect(() => decodeRequest(body)).toThrow(JuteDecodeError);
  });

  it('rejects a null path', () => {
    expect(() => decodeRequest(cat(i32(1), i32(OpCode.delete), str(null), i32(0)))).toThrow(
      JuteDecodeError,
    );
  });

  it('every truncation of every request is a JuteDecodeError', () => {
    for (const [, xid, req, body] of CASES) {
      const wire = cat(i32(xid), i32(req.op), body);
      for (let n = 0; n < wire.length; n++) {
        expect(() => decodeRequest(wire.subarray(0, n))).toThrow(JuteDecodeError);
      }
    }
  });
});
