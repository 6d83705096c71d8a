import {
  CreateMode,
  ErrorCode,
  NoAuthError,
  NoNodeError,
  OpCode,
  Perms,
  type StringList,
  stringsOf,
} from '@shepherd/zk-protocol';
import { ReadContext, answerRead, generateDigest, isReadRequest } from '@shepherd/zk-server';
import { TreeHarness } from '../data-tree/tree-harness';

/** A reply with its child lists read back as strings (the server answers them encoded). */
function decoded(reply: object): object {
  const r = reply as { children?: StringList; results?: object[] };
  if (r.children !== undefined) return { ...r, children: stringsOf(r.children) };
  if (r.results !== undefined) return { ...r, results: r.results.map(decoded) };
  return r;
}

describe('answerRead (FinalRequestProcessor read cases)', () => {
  const bob = { scheme: 'digest', id: generateDigest('bob:secret') };
  const h = new TreeHarness();
  h.create('/a', 0, 0x100n, 'hello');
  h.create('/a/k1');
  h.create('/a/k2', CreateMode.EPHEMERAL, 0x55n);
  h.create('/e', CreateMode.EPHEMERAL, 0x55n);
  // As in the probe: /x2 = digest bob ALL + world READ; /ip2 = ip 10.0.0.1 READ only;
  // /x4 = digest bob:xyz ADMIN + digest carol:abc READ.
  h.write({
    op: OpCode.create,
    path: '/x2',
    data: Buffer.from('d'),
    acl: [
      { perms: Perms.ALL, id: bob },
      { perms: Perms.READ, id: { scheme: 'world', id: 'anyone' } },
    ],
    flags: 0,
  });
  h.write({
    op: OpCode.create,
    path: '/ip2',
    data: Buffer.from('d'),
    acl: [{ perms: Perms.READ, id: { scheme: 'ip', id: '10.0.0.1' } }],
    flags: 0,
  });
  h.write({
    op: OpCode.create,
    path: '/x4',
    data: Buffer.from('d'),
    acl: [
      { perms: Perms.ADMIN, id: { scheme: 'digest', id: 'bob:xyz' } },
      { perms: Perms.READ, id: { scheme: 'digest', id: 'carol:abc' } },
    ],
    flags: 0,
  });
  const anon: ReadContext = {
    tree: h.tree,
    sessionId: 0x55n,
    authInfo: [],
    clientAddress: '127.0.0.1',
  };
  const asBob: ReadContext = { ...anon, authInfo: [{ scheme: 'ip', id: '127.0.0.1' }, bob] };

  it('getData and getChildren2 answer with the client Stat', () => {
    const r = answerRead(anon, { op: OpCode.getData, path: '/a', watch: false });
    expect(r).toMatchObject({
      op: OpCode.getData,
      data: Buffer.from('hello'),
      stat: { numChildren: 2, cversion: 2 },
    });
    expect(
      decoded(answerRead(anon, { op: OpCode.getChildren2, path: '/a', watch: true })),
    ).toMatchObject({
      children: ['k1', 'k2'],
      stat: { numChildren: 2 },
    });
    expect(decoded(answerRead(anon, { op: OpCode.getChildren, path: '/a', watch: false }))).toEqual(
      {
        op: OpCode.getChildren,
        children: ['k1', 'k2'],
      },
    );
  });

  it('exists needs no permission; a missing node is NoNode; NUL is BadArguments', () => {
    expect(answerRead(anon, { op: OpCode.exists, path: '/ip2', watch: false })).toMatchObject({
      op: OpCode.exists,
      stat: { dataLength: 1 },
    });
    expect(() => answerRead(anon, { op: OpCode.exists, path: '/nope', watch: true })).toThrow(
      NoNodeError,
    );
    expect(() => answerRead(anon, { op: OpCode.exists, path: '/a\u0000', watch: true })).toThrow(
      expect.objectContaining({ code: ErrorCode.BadArguments }),
    );
  });

  it('getData / getACL without READ are NoAuth (ip ACL for another address)', () => {
    expect(() => answerRead(anon, { op: OpCode.getData, path: '/ip2', watch: false })).toThrow(
      NoAuthError,
    );
    expect(() => answerRead(anon, { op: OpCode.getACL, path: '/ip2' })).toThrow(NoAuthError);
    expect(
      answerRead(
        { ...anon, clientAddress: '10.0.0.1' },
        { op: OpCode.getData, path: '/ip2', watch: false },
      ),
    ).toMatchObject({ op: OpCode.getData });
  });

  it('getACL without ADMIN hides digest hashes as user:x', () => {
    expect(answerRead(anon, { op: OpCode.getACL, path: '/x2' })).toMatchObject({
      acl: [
        { perms: Perms.ALL, id: { scheme: 'digest', id: 'bob:x' } },
        { perms: Perms.READ, id: { scheme: 'world', id: 'anyone' } },
      ],
    });
    expect(answerRead(asBob, { op: OpCode.getACL, path: '/x2' })).toMatchObject({
      acl: [{ id: bob }, {}],
    });
    // Neither anon nor bob (wrong hash) has READ or ADMIN on /x4; super has everything.
    expect(() => answerRead(asBob, { op: OpCode.getACL, path: '/x4' })).toThrow(NoAuthError);
    expect(
      answerRead(
        { ...anon, authInfo: [{ scheme: 'super', id: '' }] },
        { op: OpCode.getACL, path: '/x4' },
      ),
    ).toMatchObject({
      acl: [{ id: { id: 'bob:xyz' } }, { id: { id: 'carol:abc' } }],
    });
  });

  it('multiRead answers each op on its own, errors in their slots', () => {
    const r = answerRead(anon, {
      op: OpCode.multiRead,
      ops: [
        { op: OpCode.getData, path: '/a', watch: false },
        { op: OpCode.getChildren, path: '/nope', watch: false },
        { op: OpCode.getData, path: '/ip2', watch: false },
        { op: OpCode.getChildren, path: '/a', watch: false },
      ],
    });
    expect(decoded(r)).toMatchObject({
      op: OpCode.multiRead,
      results: [
        { op: OpCode.getData },
        { op: OpCode.error, err: ErrorCode.NoNode },
        { op: OpCode.error, err: ErrorCode.NoAuth },
        { op: OpCode.getChildren, children: ['k1', 'k2'] },
      ],
    });
  });

  it('getEphemerals filters the session ephemerals by prefix; getAllChildrenNumber counts descendants', () => {
    expect(answerRead(anon, { op: OpCode.getEphemerals, prefixPath: '/' })).toEqual({
      op: OpCode.getEphemerals,
      ephemerals: ['/a/k2', '/e'],
    });
    expect(answerRead(anon, { op: OpCode.getEphemerals, prefixPath: '/a' })).toEqual({
      op: OpCode.getEphemerals,
      ephemerals: ['/a/k2'],
    });
    expect(answerRead(anon, { op: OpCode.getAllChildrenNumber, path: '/a' })).toEqual({
      op: OpCode.getAllChildrenNumber,
      totalNumber: 2,
    });
    expect(answerRead(anon, { op: OpCode.getAllChildrenNumber, path: '/' })).toEqual({
      op: OpCode.getAllChildrenNumber,
      totalNumber: 10,
    });
  });

  it('whoAmI lists the ids with a provider; read requests are recognised', () => {
    expect(answerRead(asBob, { op: OpCode.whoAmI })).toEqual({
      op: OpCode.whoAmI,
      clientInfo: [
        { authScheme: 'ip', user: '127.0.0.1' },
        { authScheme: 'digest', user: 'bob' },
      ],
    });
    expect(isReadRequest({ op: OpCode.getData })).toBe(true);
    expect(isReadRequest({ op: OpCode.setData })).toBe(false);
  });
});
