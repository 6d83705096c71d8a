import {
  BadArgumentsError,
  CREATOR_ALL_ACL,
  CreateMode,
  CreateRequest,
  ErrorCode,
  KeeperError,
  NoNodeError,
  OpCode,
  Perms,
} from '@shepherd/zk-protocol';
import {
  MAX_TTL,
  PrepContext,
  WriteRequest,
  generateDigest,
  invalidPathReason,
  prepDeleteContainer,
  prepRequest,
  sequenceSuffix,
} from '@shepherd/zk-server';
import { TreeHarness, dump, openAcl, rootWithCversion } from '../data-tree/tree-harness';

const create = (path: string, flags = 0, acl = openAcl()): CreateRequest => ({
  op: OpCode.create,
  path,
  data: Buffer.from('d'),
  acl,
  flags,
});

function codeOf(ctx: PrepContext, req: WriteRequest): number {
  try {
    prepRequest(ctx, req);
    return ErrorCode.Ok;
  } catch (e) {
    if (e instanceof KeeperError) return e.code;
    throw e;
  }
}

describe('prepRequest: errors as ZooKeeper 3.8.0 reports them', () => {
  const h = new TreeHarness();
  h.create('/a');
  h.create('/a/b');
  h.create('/e', CreateMode.EPHEMERAL, 0x77n);
  h.write({
    op: OpCode.createContainer,
    path: '/c',
    data: null,
    acl: openAcl(),
    flags: CreateMode.CONTAINER,
  });
  h.write({
    op: OpCode.createTTL,
    path: '/t',
    data: null,
    acl: openAcl(),
    flags: CreateMode.PERSISTENT_WITH_TTL,
    ttl: 1000n,
  });
  const ctx: PrepContext = {
    tree: h.tree,
    sessionId: 0x100n,
    authInfo: [],
    clientAddress: '127.0.0.1',
    config: { extendedTypesEnabled: true },
  };

  it.each<[string, WriteRequest, number]>([
    ['create existing', create('/a'), ErrorCode.NodeExists],
    ['create "/"', create('/'), ErrorCode.NodeExists],
    ['create without parent', create('/zz/y'), ErrorCode.NoNode],
    ['create with trailing slash', create('/a/'), ErrorCode.BadArguments],
    ['create trailing slash, no parent', create('/q/'), ErrorCode.NoNode],
    ['create relative, parent looked up first', create('/a/./x'), ErrorCode.NoNode],
    ['create relative', create('/a/.'), ErrorCode.BadArguments],
    ['create without slash', create('a'), ErrorCode.BadArguments],
    ['create with NUL', create('/a\u0000b'), ErrorCode.BadArguments],
    ['create under an ephemeral', create('/e/x'), ErrorCode.NoChildrenForEphemerals],
    ['ephemeral under a container', create('/c/x', CreateMode.EPHEMERAL), ErrorCode.Ok],
    [
      'sequential under a TTL node',
      create('/t/q-', CreateMode.PERSISTENT_SEQUENTIAL),
      ErrorCode.Ok,
    ],
    ['create under /zookeeper', create('/zookeeper/foo'), ErrorCode.Ok],
    ['unknown create flag', create('/n', 9), ErrorCode.BadArguments],
    [
      'TTL mode through plain create',
      create('/n', CreateMode.PERSISTENT_WITH_TTL),
      ErrorCode.BadArguments,
    ],
    [
      'ttl 0',
      {
        op: OpCode.createTTL,
        path: '/n',
        data: null,
        acl: openAcl(),
        flags: CreateMode.PERSISTENT_WITH_TTL,
        ttl: 0n,
      },
      ErrorCode.BadArguments,
    ],
    [
      'ttl too large',
      {
        op: OpCode.createTTL,
        path: '/n',
        data: null,
        acl: openAcl(),
        flags: CreateMode.PERSISTENT_WITH_TTL,
        ttl: MAX_TTL + 1n,
      },
      ErrorCode.BadArguments,
    ],
    [
      'ttl at the max',
      {
        op: OpCode.createTTL,
        path: '/n',
        data: null,
        acl: openAcl(),
        flags: CreateMode.PERSISTENT_WITH_TTL,
        ttl: MAX_TTL,
      },
      ErrorCode.Ok,
    ],
    ['empty ACL', create('/n', 0, []), ErrorCode.InvalidACL],
    ['auth ACL without auth', create('/n', 0, CREATOR_ALL_ACL), ErrorCode.InvalidACL],
    [
      'delete /zookeeper',
      { op: OpCode.delete, path: '/zookeeper', version: -1 },
      ErrorCode.BadArguments,
    ],
    [
      'delete /zookeeper/config',
      { op: OpCode.delete, path: '/zookeeper/config', version: -1 },
      ErrorCode.BadArguments,
    ],
    ['delete /', { op: OpCode.delete, path: '/', version: -1 }, ErrorCode.BadArguments],
    ['delete non-empty', { op: OpCode.delete, path: '/a', version: -1 }, ErrorCode.NotEmpty],
    ['delete missing', { op: OpCode.delete, path: '/nope', version: -1 }, ErrorCode.NoNode],
    ['delete bad version', { op: OpCode.delete, path: '/a/b', version: 5 }, ErrorCode.BadVersion],
    ['delete right version', { op: OpCode.delete, path: '/a/b', version: 0 }, ErrorCode.Ok],
    [
      'setData bad version',
      { op: OpCode.setData, path: '/a', data: null, version: 7 },
      ErrorCode.BadVersion,
    ],
    [
      'setData missing',
      { op: OpCode.setData, path: '/nope', data: null, version: -1 },
      ErrorCode.NoNode,
    ],
    [
      'setData invalid path',
      { op: OpCode.setData, path: '/a/', data: null, version: -1 },
      ErrorCode.BadArguments,
    ],
    [
      'setData /zookeeper/config (read-only ACL)',
      { op: OpCode.setData, path: '/zookeeper/config', data: null, version: -1 },
      ErrorCode.NoAuth,
    ],
    [
      'setACL bad aversion',
      { op: OpCode.setACL, path: '/a', acl: openAcl(), version: 3 },
      ErrorCode.BadVersion,
    ],
    [
      'setACL invalid ACL',
      { op: OpCode.setACL, path: '/a', acl: [], version: -1 },
      ErrorCode.InvalidACL,
    ],
    ['check bad version', { op: OpCode.check, path: '/a', version: 3 }, ErrorCode.BadVersion],
  ])('%s', (_name, req, code) => {
    expect(codeOf(ctx, req)).toBe(code);
  });

  it('TTL creates are Unimplemented when extended types are disabled', () => {
    const off = { ...ctx, config: { extendedTypesEnabled: false } };
    const req: WriteRequest = {
      op: OpCode.createTTL,
      path: '/n',
      data: null,
      acl: openAcl(),
      flags: CreateMode.PERSISTENT_WITH_TTL,
      ttl: 10n,
    };
    expect(codeOf(off, req)).toBe(ErrorCode.Unimplemented);
  });

  it('throws the protocol classes with the path', () => {
    expect(() => prepRequest(ctx, create('/a/'))).toThrow(BadArgumentsError);
    // Like getRecordForPath, a missing parent is reported for the parent's path.
    expect(() => prepRequest(ctx, create('/zz/y'))).toThrow(new NoNodeError('/zz'));
  });

  it('never modifies the tree', () => {
    const before = dump(h.tree);
    prepRequest(ctx, create('/fresh'));
    prepRequest(ctx, {
      op: OpCode.multi,
      ops: [create('/m'), create('/m/x'), { op: OpCode.delete, path: '/m/x', version: -1 }],
    });
    expect(dump(h.tree)).toEqual(before);
  });
});

describe('prepRequest: txns', () => {
  it('create: parentCVersion is the parent raw cversion + 1, null data stays null', () => {
    const h = new TreeHarness();
    h.create('/p');
    h.create('/p/x');
    const txn = prepRequest(
      { tree: h.tree, sessionId: 9n, authInfo: [] },
      { op: OpCode.create, path: '/p/y', data: null, acl: openAcl(), flags: CreateMode.EPHEMERAL },
    );
    expect(txn).toEqual({
      type: OpCode.create,
      path: '/p/y',
      data: null,
      acl: openAcl(),
      ephemeral: true,
      parentCVersion: 2,
    });
  });

  it('setData/setACL/check carry the next version (-1 matches any)', () => {
    const h = new TreeHarness();
    h.create('/p');
    const ctx = { tree: h.tree, sessionId: 9n, authInfo: [] };
    expect(
      prepRequest(ctx, { op: OpCode.setData, path: '/p', data: Buffer.from('x'), version: -1 }),
    ).toMatchObject({ version: 1 });
    expect(
      prepRequest(ctx, { op: OpCode.setACL, path: '/p', acl: openAcl(), version: 0 }),
    ).toMatchObject({ version: 1 });
    expect(prepRequest(ctx, { op: OpCode.check, path: '/p', version: 0 })).toEqual({
      type: OpCode.check,
      path: '/p',
      version: 1,
    });
  });

  it('closeSession lists the session ephemerals', () => {
    const h = new TreeHarness();
    h.create('/e1', CreateMode.EPHEMERAL, 42n);
    h.create('/e2', CreateMode.EPHEMERAL, 42n);
    h.create('/other', CreateMode.EPHEMERAL, 43n);
    expect(
      prepRequest({ tree: h.tree, sessionId: 42n, authInfo: [] }, { op: OpCode.closeSession }),
    ).toEqual({
      type: OpCode.closeSession,
      paths2Delete: ['/e1', '/e2'],
    });
  });

  it('deleteContainer needs an empty non-ephemeral node', () => {
    const h = new TreeHarness();
    h.write({
      op: OpCode.createContainer,
      path: '/c',
      data: null,
      acl: openAcl(),
      flags: CreateMode.CONTAINER,
    });
    h.create('/c/k');
    h.create('/e', CreateMode.EPHEMERAL, 5n);
    const ctx = { tree: h.tree, sessionId: 0n, authInfo: [] };
    expect(() => prepDeleteContainer(ctx, '/c')).toThrow(
      expect.objectContaining({ code: ErrorCode.NotEmpty }),
    );
    expect(() => prepDeleteContainer(ctx, '/e')).toThrow(
      expect.objectContaining({ code: ErrorCode.BadVersion }),
    );
    expect(() => prepDeleteContainer(ctx, '/zookeeper')).toThrow(
      expect.objectContaining({ code: ErrorCode.BadArguments }),
    );
    expect(prepDeleteContainer(ctx, '/c/k')).toEqual({
      type: OpCode.deleteContainer,
      path: '/c/k',
    });
  });
});

describe('sequential names', () => {
  it('formats like Java %010d, negative included', () => {
    expect(sequenceSuffix(0)).toBe('0000000000');
    expect(sequenceSuffix(42)).toBe('0000000042');
    expect(sequenceSuffix(2147483647)).toBe('2147483647');
    expect(sequenceSuffix(-5)).toBe('-000000005');
    expect(sequenceSuffix(-2147483648)).toBe('-2147483648');
  });

  it('uses the parent raw cversion, which wraps to negative after Integer.MAX_VALUE creates', () => {
    const tree = rootWithCversion(0x7fffffff);
    const ctx = { tree, sessionId: 1n, authInfo: [] };
    const txn = prepRequest(ctx, create('/s-', CreateMode.PERSISTENT_SEQUENTIAL));
    expect(txn).toMatchObject({ path: '/s-2147483647', parentCVersion: -2147483648 });
    tree.processTxn({ clientId: 1n, cxid: 0, zxid: 1n, time: 1n, type: OpCode.create }, txn);
    // ZooKeeper only moves cversion forward, so after the wrap the name repeats.
    expect(codeOf(ctx, create('/s-', CreateMode.PERSISTENT_SEQUENTIAL))).toBe(ErrorCode.NodeExists);
  });
});

describe('multi', () => {
  it("fails as a whole with ZooKeeper's layout and changes nothing (probe: multi fail)", () => {
    const h = new TreeHarness();
    h.create('/a');
    const before = dump(h.tree);
    const { txn, result } = h.write({
      op: OpCode.multi,
      ops: [
        create('/m1'),
        create('/zz/x'),
        { op: OpCode.setData, path: '/a', data: Buffer.from('q'), version: -1 },
      ],
    });
    expect(txn).toMatchObject({
      type: OpCode.multi,
      txns: [
        { type: OpCode.create, path: '/m1' },
        { type: OpCode.error, err: ErrorCode.NoNode },
        { type: OpCode.error, err: ErrorCode.RuntimeInconsistency },
      ],
    });
    expect(result.err).toBe(ErrorCode.NoNode);
    expect(result.results?.map((r) => r.err)).toEqual([
      ErrorCode.Ok,
      ErrorCode.NoNode,
      ErrorCode.RuntimeInconsistency,
    ]);
    expect(dump(h.tree)).toEqual(before);
  });

  it('sees the pending effect of its earlier ops (probe: multi ok)', () => {
    const h = new TreeHarness();
    const { result } = h.write({
      op: OpCode.multi,
      ops: [
        create('/m2'),
        create('/m2/k'),
        { op: OpCode.delete, path: '/m2/k', version: -1 },
        { op: OpCode.setData, path: '/m2', data: Buffer.from('zz'), version: -1 },
        { op: OpCode.check, path: '/m2', version: 1 },
        create('/m2/s-', CreateMode.PERSISTENT_SEQUENTIAL),
      ],
    });
    expect(result.err).toBe(0);
    expect(result.results?.map((r) => r.path)).toEqual([
      '/m2',
      '/m2/k',
      '/m2/k',
      '/m2',
      '/m2',
      '/m2/s-0000000001',
    ]);
    expect(result.results?.[3].stat).toMatchObject({ version: 1, cversion: 2, numChildren: 0 });
    expect(h.tree.statOf('/m2')).toMatchObject({ version: 1, cversion: 3, numChildren: 1 });
  });

  it('checks versions against earlier ops of the same multi (probe: multi fail2)', () => {
    const h = new TreeHarness();
    h.create('/a');
    const { result } = h.write({
      op: OpCode.multi,
      ops: [create('/m1'), { op: OpCode.check, path: '/a', version: 99 }],
    });
    expect(result.results?.map((r) => r.err)).toEqual([ErrorCode.Ok, ErrorCode.BadVersion]);
    const ok = h.write({
      op: OpCode.multi,
      ops: [
        { op: OpCode.setData, path: '/a', data: null, version: 0 },
        { op: OpCode.setData, path: '/a', data: null, version: 1 },
        { op: OpCode.delete, path: '/a', version: 2 },
      ],
    });
    expect(ok.result.err).toBe(0);
    expect(h.tree.getNode('/a')).toBeUndefined();
  });

  it('refuses to create twice or under a node deleted earlier in the multi', () => {
    const h = new TreeHarness();
    h.create('/p');
    expect(h.write({ op: OpCode.multi, ops: [create('/x'), create('/x')] }).result.err).toBe(
      ErrorCode.NodeExists,
    );
    expect(
      h.write({
        op: OpCode.multi,
        ops: [{ op: OpCode.delete, path: '/p', version: -1 }, create('/p/c')],
      }).result.err,
    ).toBe(ErrorCode.NoNode);
    expect(h.tree.getNode('/p')).toBeDefined();
  });
});

describe('ACL checks in prep', () => {
  const bob = [{ scheme: 'digest', id: generateDigest('bob:secret') }];

  it('needs CREATE on the parent, DELETE on the parent, WRITE/ADMIN/READ on the node', () => {
    const h = new TreeHarness();
    const locked = [
      { perms: Perms.ALL, id: { scheme: 'digest', id: bob[0].id } },
      { perms: Perms.READ, id: { scheme: 'world', id: 'anyone' } },
    ];
    h.write({ op: OpCode.create, path: '/x', data: null, acl: locked, flags: 0 });
    h.write({ op: OpCode.create, path: '/x/y', data: null, acl: openAcl(), flags: 0 }, 0x100n, bob);
    const anon = { tree: h.tree, sessionId: 1n, authInfo: [], clientAddress: '127.0.0.1' };
    const asBob = { ...anon, authInfo: bob };
    expect(codeOf(anon, create('/x/z'))).toBe(ErrorCode.NoAuth);
    expect(codeOf(asBob, create('/x/z'))).toBe(ErrorCode.Ok);
    expect(codeOf(anon, { op: OpCode.delete, path: '/x/y', version: -1 })).toBe(ErrorCode.NoAuth);
    expect(codeOf(anon, { op: OpCode.setData, path: '/x', data: null, version: -1 })).toBe(
      ErrorCode.NoAuth,
    );
    expect(codeOf(anon, { op: OpCode.setACL, path: '/x', acl: openAcl(), version: -1 })).toBe(
      ErrorCode.NoAuth,
    );
    expect(codeOf(anon, { op: OpCode.check, path: '/x', version: -1 })).toBe(ErrorCode.Ok);
    expect(
      codeOf(
        { ...anon, authInfo: [{ scheme: 'super', id: '' }] },
        { op: OpCode.setData, path: '/x', data: null, version: -1 },
      ),
    ).toBe(ErrorCode.Ok);
    expect(
      codeOf(
        { ...anon, config: { skipACL: true } },
        { op: OpCode.setData, path: '/x', data: null, version: -1 },
      ),
    ).toBe(ErrorCode.Ok);
  });

  it('expands auth ACLs to the digest ids of the session', () => {
    const h = new TreeHarness();
    const { txn } = h.write(
      { op: OpCode.create, path: '/mine', data: null, acl: CREATOR_ALL_ACL, flags: 0 },
      1n,
      bob,
    );
    expect(txn).toMatchObject({ acl: [{ perms: Perms.ALL, id: bob[0] }] });
  });

  it('matches ip ACLs against the client address', () => {
    const h = new TreeHarness();
    h.write({
      op: OpCode.create,
      path: '/net',
      data: null,
      acl: [{ perms: Perms.ALL, id: { scheme: 'ip', id: '10.0.0.0/8' } }],
      flags: 0,
    });
    const ctx = { tree: h.tree, sessionId: 1n, authInfo: [] };
    expect(codeOf({ ...ctx, clientAddress: '::ffff:10.2.3.4' }, create('/net/a'))).toBe(
      ErrorCode.Ok,
    );
    expect(codeOf({ ...ctx, clientAddress: '127.0.0.1' }, create('/net/a'))).toBe(ErrorCode.NoAuth);
  });
});

describe('path validation (PathUtils.validatePath)', () => {
  it.each([
    ['/', null],
    ['/a/b-c_d.e', null],
    ['/a/...', null],
    ['/a/.b', null],
    ['/zookeeper', null],
    ['/\u00e9t\u00e9', null],
    ['', 'Path length must be > 0'],
    ['a', 'Path must start with / character'],
    ['/a/', 'Path must not end with / character'],
    ['//a', 'empty node name specified @1'],
    ['/a/./b', 'relative paths not allowed @3'],
    ['/a/..', 'relative paths not allowed @4'],
    ['/.', 'relative paths not allowed @1'],
    ['/a\u0000', 'null character not allowed @2'],
    ['/a\u0001', 'invalid character @2'],
    ['/a\u007f', 'invalid character @2'],
    ['/a\ud83d\ude00', 'invalid character @2'],
    ['/a\ufff0', 'invalid character @2'],
  ])('%j: %s', (path, reason) => {
    expect(invalidPathReason(path)).toBe(reason);
  });
});
