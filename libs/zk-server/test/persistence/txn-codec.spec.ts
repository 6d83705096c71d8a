import {
  JuteDecodeError,
  JuteEncodeError,
  OPEN_ACL_UNSAFE,
  OpCode,
  Perms,
} from '@shepherd/zk-protocol';
import { crc32, crc32Js } from '../../src/persistence/crc32';
import { TxnDecoder, decodeTxn, encodeTxn } from '../../src/persistence/txn-codec';
import { Txn, TxnHeader } from '../../src/txn/txn';

// Expected bytes are assembled by hand from big-endian primitives, independently of JuteWriter.
const i32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
};
const i64 = (n: bigint) => {
  const b = Buffer.alloc(8);
  b.writeBigInt64BE(n);
  return b;
};
const str = (s: string) => Buffer.concat([i32(Buffer.byteLength(s)), Buffer.from(s)]);
const buf = (b: Buffer) => Buffer.concat([i32(b.length), b]);
const worldAnyone = Buffer.concat([i32(1), i32(Perms.ALL), str('world'), str('anyone')]);

function header(type: OpCode, zxid = 0x100000002n): TxnHeader {
  return { clientId: 0x1234n, cxid: 7, zxid, time: 1_700_000_000_123n, type };
}
const headerBytes = (type: number, zxid = 0x100000002n) =>
  Buffer.concat([i64(0x1234n), i32(7), i64(zxid), i64(1_700_000_000_123n), i32(type)]);

describe('txn codec', () => {
  it('decodes many txns as one would, sharing a repeated ACL list and viewing the data', () => {
    const creator = [{ perms: Perms.ALL, id: { scheme: 'digest', id: 'u:hash' } }];
    const txns: Txn[] = [
      {
        type: OpCode.create,
        path: '/a',
        data: Buffer.from('one'),
        acl: OPEN_ACL_UNSAFE,
        ephemeral: false,
        parentCVersion: 1,
      },
      {
        type: OpCode.create,
        path: '/b',
        data: Buffer.from('two'),
        acl: OPEN_ACL_UNSAFE,
        ephemeral: false,
        parentCVersion: 2,
      },
      {
        type: OpCode.create,
        path: '/c',
        data: Buffer.from('three'),
        acl: creator,
        ephemeral: false,
        parentCVersion: 3,
      },
      { type: OpCode.setACL, path: '/a', acl: OPEN_ACL_UNSAFE, version: 0 },
    ];
    const records = txns.map((t, i) => encodeTxn(header(t.type, BigInt(i + 1)), t));
    const decoder = new TxnDecoder({ views: true });
    const decoded = records.map((r) => decoder.decode(r).txn);
    expect(decoded).toEqual(txns);
    const aclOf = (t: Txn) => ('acl' in t ? t.acl : undefined);
    expect(aclOf(decoded[1])).toBe(aclOf(decoded[0])); // decoded once
    expect(aclOf(decoded[2])).toEqual(creator);
    expect(aclOf(decoded[3])).not.toBe(aclOf(decoded[0])); // another list came between
    expect(Object.isFrozen(aclOf(decoded[0]))).toBe(true);
    // Views: the data is the record's bytes; a plain decode copies.
    const data = (t: Txn) => ('data' in t && t.data !== null ? t.data : Buffer.alloc(0));
    const at0 = records[0].indexOf('one');
    records[0].fill(0x21, at0, at0 + 3);
    expect(data(decoded[0]).toString()).toBe('!!!');
    const copied = decodeTxn(records[1]).txn;
    const at1 = records[1].indexOf('two');
    records[1].fill(0x21, at1, at1 + 3);
    expect(data(copied).toString()).toBe('two');
  });

  it('encodes a CreateTxn as TxnHeader + CreateTxn', () => {
    const txn: Txn = {
      type: OpCode.create,
      path: '/app/node',
      data: Buffer.from('hi'),
      acl: OPEN_ACL_UNSAFE,
      ephemeral: true,
      parentCVersion: 3,
    };
    const expected = Buffer.concat([
      headerBytes(1),
      str('/app/node'),
      buf(Buffer.from('hi')),
      worldAnyone,
      Buffer.from([1]),
      i32(3),
    ]);
    expect(encodeTxn(header(OpCode.create), txn).toString('hex')).toBe(expected.toString('hex'));
    expect(decodeTxn(expected)).toEqual({ header: header(OpCode.create), txn });
  });

  it('encodes a MultiTxn as a vector of Txn{type, buffer data}', () => {
    const txn: Txn = {
      type: OpCode.multi,
      txns: [
        { type: OpCode.setData, path: '/a', data: Buffer.from([9]), version: 4 },
        { type: OpCode.error, err: -101 },
      ],
    };
    const setData = Buffer.concat([str('/a'), buf(Buffer.from([9])), i32(4)]);
    const error = i32(-101);
    const expected = Buffer.concat([
      headerBytes(14),
      i32(2),
      i32(5),
      buf(setData),
      i32(-1),
      buf(error),
    ]);
    expect(encodeTxn(header(OpCode.multi), txn).toString('hex')).toBe(expected.toString('hex'));
    expect(decodeTxn(expected)).toEqual({ header: header(OpCode.multi), txn });
  });

  it('encodes a CloseSessionTxn with its paths', () => {
    const txn: Txn = { type: OpCode.closeSession, paths2Delete: ['/e1', '/e2'] };
    const expected = Buffer.concat([headerBytes(-11), i32(2), str('/e1'), str('/e2')]);
    expect(encodeTxn(header(OpCode.closeSession), txn)).toEqual(expected);
  });

  const all: Txn[] = [
    {
      type: OpCode.create,
      path: '/c',
      data: Buffer.alloc(0),
      acl: [],
      ephemeral: false,
      parentCVersion: 0,
    },
    {
      type: OpCode.createContainer,
      path: '/k',
      data: Buffer.from('x'),
      acl: OPEN_ACL_UNSAFE,
      parentCVersion: 2,
    },
    {
      type: OpCode.createTTL,
      path: '/t',
      data: Buffer.from('y'),
      acl: OPEN_ACL_UNSAFE,
      parentCVersion: 5,
      ttl: 60000n,
    },
    { type: OpCode.delete, path: '/d' },
    { type: OpCode.deleteContainer, path: '/k' },
    { type: OpCode.setData, path: '/s', data: Buffer.from('zz'), version: 9 },
    {
      type: OpCode.setACL,
      path: '/s',
      acl: [{ perms: Perms.READ, id: { scheme: 'digest', id: 'u:h' } }],
      version: 1,
    },
    { type: OpCode.check, path: '/s', version: 9 },
    { type: OpCode.createSession, timeOut: 30000 },
    { type: OpCode.closeSession, paths2Delete: [] },
    { type: OpCode.error, err: -110 },
  ];

  it.each(all.map((t) => [OpCode[t.type], t] as const))('round-trips %s', (_name, txn) => {
    const h = header(txn.type);
    expect(decodeTxn(encodeTxn(h, txn))).toEqual({ header: h, txn });
  });

  it('round-trips a multi of every op, and a multi in a multi', () => {
    const txn: Txn = {
      type: OpCode.multi,
      txns: [...all, { type: OpCode.multi, txns: all.slice(0, 2) }],
    };
    const h = header(OpCode.multi);
    expect(decodeTxn(encodeTxn(h, txn))).toEqual({ header: h, txn });
  });

  it('reads a create2 header as a CreateTxn (SerializeUtils.deserializeTxn)', () => {
    const txn: Txn = {
      type: OpCode.create,
      path: '/c',
      data: Buffer.from('1'),
      acl: [],
      ephemeral: false,
      parentCVersion: 1,
    };
    const bytes = encodeTxn(header(OpCode.create2), txn);
    expect(decodeTxn(bytes).txn).toEqual(txn);
    expect(decodeTxn(bytes).header.type).toBe(OpCode.create2);
  });

  it('refuses a header whose type does not match the txn', () => {
    expect(() =>
      encodeTxn(header(OpCode.delete), {
        type: OpCode.setData,
        path: '/',
        data: Buffer.alloc(0),
        version: 1,
      }),
    ).toThrow(JuteEncodeError);
  });

  it('rejects trailing bytes, truncation and unknown types', () => {
    const good = encodeTxn(header(OpCode.delete), { type: OpCode.delete, path: '/d' });
    expect(() => decodeTxn(Buffer.concat([good, Buffer.from([0])]))).toThrow(JuteDecodeError);
    expect(() => decodeTxn(good.subarray(0, good.length - 1))).toThrow(JuteDecodeError);
    const unknown = Buffer.from(good);
    unknown.writeInt32BE(OpCode.getData, 28);
    expect(() => decodeTxn(unknown)).toThrow(JuteDecodeError);
  });
});

describe('crc32', () => {
  it('matches the standard check value and the JS fallback', () => {
    const check = Buffer.from('123456789');
    expect(crc32(check)).toBe(0xcbf43926);
    expect(crc32Js(check)).toBe(0xcbf43926);
    const data = Buffer.alloc(10000);
    for (let i = 0; i < data.length; i++) {
      data[i] = (i * 7919) & 0xff;
    }
    expect(crc32(data)).toBe(crc32Js(data));
    // Continuing a checksum over two pieces equals one pass.
    expect(crc32(data, 4000, 10000, crc32(data, 0, 4000))).toBe(crc32(data));
    expect(crc32Js(data, 4000, 10000, crc32Js(data, 0, 4000))).toBe(crc32Js(data));
  });
});
