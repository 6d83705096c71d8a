import {
  CreateMode,
  ErrorCode,
  EventType,
  OPEN_ACL_UNSAFE,
  OpCode,
  READ_ACL_UNSAFE,
} from '@shepherd/zk-protocol';
import {
  CONTAINER_EPHEMERAL_OWNER,
  DataTree,
  Txn,
  TxnHeader,
  ttlToEphemeralOwner,
} from '@shepherd/zk-server';
import { TreeHarness, dump, openAcl, plain, rootWithCversion, zeroStat } from './tree-harness';

const hdr = (zxid: bigint, clientId = 0x100n): TxnHeader => ({
  clientId,
  cxid: 0,
  zxid,
  time: 5000n + zxid,
  type: OpCode.create,
});

describe('DataTree: a fresh tree (ZooKeeper 3.8.0 standalone)', () => {
  const tree = new DataTree();

  it('holds /, /zookeeper, /zookeeper/quota and /zookeeper/config', () => {
    expect(tree.nodeCount).toBe(4);
    expect(tree.getChildren('/')?.children).toEqual(['zookeeper']);
    expect(tree.getChildren('/zookeeper')?.children).toEqual(['quota', 'config']);
  });

  it('reports the stats 3.8.0 reports (cversion = 2 * creates - children)', () => {
    const zero = {
      czxid: 0,
      mzxid: 0,
      ctime: 0,
      mtime: 0,
      version: 0,
      aversion: 0,
      ephemeralOwner: 0,
      dataLength: 0,
      pzxid: 0,
    };
    expect(plain(tree.statOf('/'))).toEqual({ ...zero, cversion: -1, numChildren: 1 });
    expect(plain(tree.statOf('/zookeeper'))).toEqual({ ...zero, cversion: -2, numChildren: 2 });
    expect(plain(tree.statOf('/zookeeper/quota'))).toEqual({
      ...zero,
      cversion: 0,
      numChildren: 0,
    });
    expect(plain(tree.statOf('/zookeeper/config'))).toEqual({
      ...zero,
      cversion: 0,
      numChildren: 0,
      aversion: -1,
    });
  });

  it('protects /zookeeper/config with world:anyone READ, the rest open', () => {
    expect(tree.getACL('/zookeeper/config')?.acl).toEqual(READ_ACL_UNSAFE);
    expect(tree.getACL('/')?.acl).toEqual(OPEN_ACL_UNSAFE);
    expect(tree.getACL('/zookeeper/quota')?.acl).toEqual(OPEN_ACL_UNSAFE);
  });

  it('counts every node but the root for getAllChildrenNumber("/")', () => {
    expect(tree.getAllChildrenNumber('/')).toBe(3);
    expect(tree.getAllChildrenNumber('/zookeeper')).toBe(2);
    expect(tree.getAllChildrenNumber('/nope')).toBe(0);
  });
});

describe('DataTree: stat bookkeeping, replaying a session recorded against ZooKeeper 3.8.0', () => {
  // Same sequence as a probe run against Apache ZooKeeper 3.8.0; expected values are its output.
  const h = new TreeHarness();
  h.createSession(); // zxid 1

  it('create: czxid = mzxid = pzxid = zxid, ctime = mtime = txn time', () => {
    const r = h.create('/a', 0, 0x100n, 'x'); // zxid 2
    expect(r.err).toBe(0);
    expect(plain(r.stat)).toEqual({
      czxid: 2,
      mzxid: 2,
      pzxid: 2,
      ctime: 1002,
      mtime: 1002,
      version: 0,
      cversion: 0,
      aversion: 0,
      ephemeralOwner: 0,
      dataLength: 1,
      numChildren: 0,
    });
  });

  it('a child create sets the parent cversion and pzxid; a delete moves both again', () => {
    h.create('/a/b', 0, 0x100n, 'yy'); // 3
    expect(plain(h.stat('/a'))).toMatchObject({ cversion: 1, numChildren: 1, pzxid: 3, mzxid: 2 });
    h.write({ op: OpCode.delete, path: '/a/b', version: -1 }); // 4
    expect(plain(h.stat('/a'))).toMatchObject({ cversion: 2, numChildren: 0, pzxid: 4, mzxid: 2 });
  });

  it('names sequential nodes from the count of creates, deletes not counted', () => {
    expect(h.create('/a/s-', CreateMode.PERSISTENT_SEQUENTIAL).path).toBe('/a/s-0000000001'); // 5
    expect(h.create('/a/s-', CreateMode.EPHEMERAL_SEQUENTIAL).path).toBe('/a/s-0000000002'); // 6
    h.write({ op: OpCode.delete, path: '/a/s-0000000001', version: -1 }); // 7
    expect(h.create('/a/s-', CreateMode.PERSISTENT_SEQUENTIAL).path).toBe('/a/s-0000000003'); // 8
    expect(plain(h.stat('/a'))).toMatchObject({ cversion: 6, numChildren: 2, pzxid: 8 });
  });

  it('setData bumps version, mzxid, mtime; setACL bumps aversion only', () => {
    const set = h.write({
      op: OpCode.setData,
      path: '/a',
      data: Buffer.from('hello'),
      version: -1,
    }); // 9
    expect(plain(set.result.stat)).toEqual({
      czxid: 2,
      mzxid: 9,
      ctime: 1002,
      mtime: 1009,
      version: 1,
      cversion: 6,
      aversion: 0,
      ephemeralOwner: 0,
      dataLength: 5,
      numChildren: 2,
      pzxid: 8,
    });
    const bad = h.write({ op: OpCode.setData, path: '/a', data: Buffer.from('x'), version: 7 }); // 10
    expect(bad.result.err).toBe(ErrorCode.BadVersion);
    const acl = h.write({ op: OpCode.setACL, path: '/a', acl: openAcl(), version: 0 }); // 11
    expect(plain(acl.result.stat)).toMatchObject({ aversion: 1, version: 1, mzxid: 9 });
  });

  it('a failed write consumes a zxid, as in ZooKeeper (the container lands on zxid 13)', () => {
    expect(h.write({ op: OpCode.setACL, path: '/a', acl: openAcl(), version: 0 }).result.err).toBe(
      ErrorCode.BadVersion,
    ); // 12
    const c = h.write({
      op: OpCode.createContainer,
      path: '/c',
      data: Buffer.from('d'),
      acl: openAcl(),
      flags: CreateMode.CONTAINER,
    });
    expect(plain(c.result.stat)).toMatchObject({ czxid: 13, ephemeralOwner: 0 });
  });

  it('containers and TTL nodes show ephemeralOwner 0 but are tracked by kind', () => {
    const t = h.write({
      op: OpCode.createTTL,
      path: '/t',
      data: Buffer.from('d'),
      acl: openAcl(),
      flags: CreateMode.PERSISTENT_WITH_TTL,
      ttl: 5000n,
    });
    expect(plain(t.result.stat)).toMatchObject({ czxid: 14, ephemeralOwner: 0 });
    expect(h.tree.getNode('/c')?.ephemeralOwner).toBe(CONTAINER_EPHEMERAL_OWNER);
    expect(h.tree.getNode('/t')?.ephemeralOwner).toBe(ttlToEphemeralOwner(5000n));
    expect(h.tree.getNode('/t')?.ephemeralOwner).toBe(-72057594037922936n); // 0xFF00000000001388
    expect([...h.tree.containers]).toEqual(['/c']);
    expect([...h.tree.ttls]).toEqual(['/t']);
  });

  it('an ephemeral shows its session id as ephemeralOwner', () => {
    const e = h.create('/e', CreateMode.EPHEMERAL, 0x100003d48470000n);
    expect(e.stat?.ephemeralOwner).toBe(0x100003d48470000n);
    expect(h.tree.getEphemerals(0x100003d48470000n)).toEqual(['/e']);
  });
});

describe('DataTree.processTxn: watch triggers (DataTree.java triggerWatch calls)', () => {
  it('create: NodeCreated on the path, NodeChildrenChanged on the parent ("/" for top level)', () => {
    const t = new DataTree();
    const r = t.processTxn(hdr(1n), {
      type: OpCode.create,
      path: '/x',
      data: Buffer.alloc(0),
      acl: openAcl(),
      ephemeral: false,
      parentCVersion: 1,
    });
    expect(r.triggers).toEqual([
      { path: '/x', type: EventType.NodeCreated },
      { path: '/', type: EventType.NodeChildrenChanged },
    ]);
  });

  it('delete: NodeDeleted on the path, NodeChildrenChanged on the parent; setData: NodeDataChanged; setACL: none', () => {
    const t = new DataTree();
    t.processTxn(hdr(1n), {
      type: OpCode.create,
      path: '/x',
      data: Buffer.alloc(0),
      acl: openAcl(),
      ephemeral: false,
      parentCVersion: 1,
    });
    t.processTxn(hdr(2n), {
      type: OpCode.create,
      path: '/x/y',
      data: Buffer.alloc(0),
      acl: openAcl(),
      ephemeral: false,
      parentCVersion: 1,
    });
    expect(
      t.processTxn(hdr(3n), {
        type: OpCode.setData,
        path: '/x/y',
        data: Buffer.from('1'),
        version: 1,
      }).triggers,
    ).toEqual([{ path: '/x/y', type: EventType.NodeDataChanged }]);
    expect(
      t.processTxn(hdr(4n), { type: OpCode.setACL, path: '/x/y', acl: openAcl(), version: 1 })
        .triggers,
    ).toEqual([]);
    expect(t.processTxn(hdr(5n), { type: OpCode.delete, path: '/x/y' }).triggers).toEqual([
      { path: '/x/y', type: EventType.NodeDeleted },
      { path: '/x', type: EventType.NodeChildrenChanged },
    ]);
  });

  it('closeSession deletes the listed ephemerals and any the txn missed, with their triggers', () => {
    const h = new TreeHarness();
    h.create('/p');
    h.create('/p/e1', CreateMode.EPHEMERAL, 7n);
    h.create('/p/e2', CreateMode.EPHEMERAL, 7n);
    h.create('/keep', CreateMode.EPHEMERAL, 8n);
    const r = h.tree.processTxn(hdr(99n, 7n), {
      type: OpCode.closeSession,
      paths2Delete: ['/p/e1'],
    });
    expect(r.err).toBe(0);
    expect(h.tree.getNode('/p/e1')).toBeUndefined();
    expect(h.tree.getNode('/p/e2')).toBeUndefined();
    expect(h.tree.getNode('/keep')).toBeDefined();
    expect(h.tree.ephemerals.has(7n)).toBe(false);
    expect(r.triggers.filter((t) => t.type === EventType.NodeDeleted).map((t) => t.path)).toEqual([
      '/p/e1',
      '/p/e2',
    ]);
    expect(plain(h.stat('/p'))).toMatchObject({ pzxid: 99, cversion: 4, numChildren: 0 });
  });
});

describe('DataTree.processTxn: multi', () => {
  const create = (path: string, parentCVersion: number): Txn => ({
    type: OpCode.create,
    path,
    data: Buffer.from('v'),
    acl: openAcl(),
    ephemeral: false,
    parentCVersion,
  });

  it('applies nothing when a sub-txn is an ErrorTxn; Ok before it, RuntimeInconsistency after', () => {
    const t = new DataTree();
    const before = dump(t);
    const r = t.processTxn(hdr(1n), {
      type: OpCode.multi,
      txns: [
        create('/m1', 1),
        { type: OpCode.error, err: ErrorCode.NoNode },
        { type: OpCode.error, err: ErrorCode.RuntimeInconsistency },
      ],
    });
    expect(r.err).toBe(ErrorCode.NoNode);
    expect(r.results?.map((x) => [x.type, x.err])).toEqual([
      [OpCode.error, ErrorCode.Ok],
      [OpCode.error, ErrorCode.NoNode],
      [OpCode.error, ErrorCode.RuntimeInconsistency],
    ]);
    expect(r.triggers).toEqual([]);
    expect(dump(t)).toEqual(before);
    expect(t.lastProcessedZxid).toBe(1n);
  });

  it('applies every op under one zxid and gathers all triggers on the top result', () => {
    const t = new DataTree();
    const r = t.processTxn(hdr(5n), {
      type: OpCode.multi,
      txns: [
        create('/m', 1),
        create('/m/k', 1),
        { type: OpCode.delete, path: '/m/k' },
        { type: OpCode.setData, path: '/m', data: Buffer.from('zz'), version: 1 },
      ],
    });
    expect(r.err).toBe(0);
    expect(r.results?.map((x) => x.type)).toEqual([
      OpCode.create,
      OpCode.create,
      OpCode.delete,
      OpCode.setData,
    ]);
    expect(plain(r.results?.[3].stat)).toMatchObject({
      czxid: 5,
      version: 1,
      cversion: 2,
      numChildren: 0,
      pzxid: 5,
    });
    expect(r.triggers.map((x) => `${x.type}${x.path}`)).toEqual([
      '1/m',
      '4/',
      '1/m/k',
      '4/m',
      '2/m/k',
      '4/m',
      '3/m',
    ]);
  });
});

describe('DataTree: replay, snapshots and determinism', () => {
  function busyHarness(): TreeHarness {
    const h = new TreeHarness();
    h.createSession(0x5n);
    h.create('/app');
    for (let i = 0; i < 5; i++) h.create('/app/job-', CreateMode.PERSISTENT_SEQUENTIAL);
    h.create('/app/lock', CreateMode.EPHEMERAL, 0x5n);
    h.write({
      op: OpCode.setData,
      path: '/app/job-0000000002',
      data: Buffer.from('done'),
      version: 0,
    });
    h.write({ op: OpCode.delete, path: '/app/job-0000000001', version: -1 });
    h.write({
      op: OpCode.createContainer,
      path: '/box',
      data: Buffer.alloc(0),
      acl: openAcl(),
      flags: CreateMode.CONTAINER,
    });
    h.write({
      op: OpCode.createTTL,
      path: '/scratch-',
      data: Buffer.alloc(3),
      acl: openAcl(),
      flags: CreateMode.PERSISTENT_SEQUENTIAL_WITH_TTL,
      ttl: 100n,
    });
    h.write({
      op: OpCode.multi,
      ops: [
        { op: OpCode.create, path: '/box/a', data: null, acl: openAcl(), flags: 0 },
        { op: OpCode.check, path: '/app', version: 0 },
        { op: OpCode.delete, path: '/app/job-0000000003', version: -1 },
      ],
    });
    h.write({
      op: OpCode.multi,
      ops: [{ op: OpCode.create, path: '/nope/x', data: null, acl: openAcl(), flags: 0 }],
    });
    h.write({ op: OpCode.closeSession }, 0x5n);
    return h;
  }

  it('replaying the same txns on a fresh tree gives an identical tree', () => {
    const h = busyHarness();
    const replica = new DataTree();
    for (const { header, txn } of h.log) replica.processTxn(header, txn);
    expect(dump(replica)).toEqual(dump(h.tree));
    expect(replica.lastProcessedZxid).toBe(h.tree.lastProcessedZxid);
    expect(replica.nodeCount).toBe(h.tree.nodeCount);
  });

  it('walks parents before children and restores an equal tree (stats, kinds, ACLs)', () => {
    const h = busyHarness();
    const walk = [...h.tree.walk()];
    const seen = new Set<string>();
    for (const n of walk) {
      if (n.path !== '/')
        expect(seen.has(n.path.slice(0, n.path.lastIndexOf('/')) || '/')).toBe(true);
      seen.add(n.path);
    }
    expect(walk[0].path).toBe('/');
    const restored = DataTree.restore(walk, h.tree.lastProcessedZxid);
    expect(dump(restored)).toEqual(dump(h.tree));
    for (const n of walk) expect(restored.statOf(n.path)).toEqual(h.tree.statOf(n.path));
    expect([...restored.containers]).toEqual([...h.tree.containers]);
    expect([...restored.ttls]).toEqual([...h.tree.ttls]);
    expect(restored.aclCount).toBe(h.tree.aclCount);
    expect(restored.lastProcessedZxid).toBe(h.tree.lastProcessedZxid);
  });

  it('forEachNode and iterating the tree visit the same nodes, with the same fields, as walk', () => {
    const h = busyHarness();
    const seen: unknown[] = [];
    h.tree.forEachNode((path, node) =>
      seen.push({ path, data: node.data, acl: node.acl, stat: node.stat }),
    );
    expect(seen).toEqual([...h.tree.walk()]);
    expect([...h.tree]).toEqual([...h.tree.walk()]);
  });

  it('restore rejects a walk with a child before its parent', () => {
    const stat = zeroStat();
    expect(() =>
      DataTree.restore([
        { path: '/', data: Buffer.alloc(0), acl: openAcl(), stat },
        { path: '/a/b', data: Buffer.alloc(0), acl: openAcl(), stat },
      ]),
    ).toThrow(/no parent/);
  });

  it('restores a walk in any parents-first order, not only depth first', () => {
    const h = busyHarness();
    const walk = [...h.tree.walk()];
    // Breadth first (a stable sort by depth keeps siblings in their order): a node's parent is
    // rarely the node before it.
    const depth = (p: string) => (p === '/' ? 0 : p.split('/').length - 1);
    const bfs = [...walk].sort((a, b) => depth(a.path) - depth(b.path));
    expect(bfs.map((n) => n.path)).not.toEqual(walk.map((n) => n.path));
    const restored = DataTree.restore(bfs, h.tree.lastProcessedZxid);
    expect(dump(restored)).toEqual(dump(h.tree));
    for (const n of walk) expect(restored.statOf(n.path)).toEqual(h.tree.statOf(n.path));
  });

  it('restore rejects a walk that names a node twice', () => {
    const stat = zeroStat();
    const node = (path: string) => ({ path, data: Buffer.alloc(0), acl: openAcl(), stat });
    expect(() =>
      DataTree.restore([node('/'), node('/a'), node('/a/b'), node('/c'), node('/a')]),
    ).toThrow(/\/a twice/);
    expect(() => DataTree.restore([node('/'), node('/a'), node('/a')])).toThrow(/\/a twice/);
  });

  it('tolerates txns a fuzzy snapshot already holds (NodeExists moves cversion forward, NoNode ignored)', () => {
    const t = new DataTree();
    const c: Txn = {
      type: OpCode.create,
      path: '/x',
      data: Buffer.alloc(0),
      acl: openAcl(),
      ephemeral: false,
      parentCVersion: 1,
    };
    t.processTxn(hdr(1n), c);
    const again = t.processTxn(hdr(2n), { ...c, parentCVersion: 2 } as Txn);
    expect(again.err).toBe(ErrorCode.NodeExists);
    expect(t.getNode('/')?.cversion).toBe(2);
    expect(t.getNode('/')?.pzxid).toBe(2n);
    expect(t.processTxn(hdr(3n), { type: OpCode.delete, path: '/gone' }).err).toBe(
      ErrorCode.NoNode,
    );
  });
});

describe('DataTree: storage', () => {
  it('copies data: later changes to the caller buffer do not leak into the node', () => {
    const t = new DataTree();
    const buf = Buffer.from('abc');
    t.processTxn(hdr(1n), {
      type: OpCode.create,
      path: '/x',
      data: buf,
      acl: openAcl(),
      ephemeral: false,
      parentCVersion: 1,
    });
    buf[0] = 0x7a;
    expect(t.getData('/x')?.data?.toString()).toBe('abc');
    const bytes = Buffer.from([0, 255, 128, 10, 13]);
    t.processTxn(hdr(2n), { type: OpCode.setData, path: '/x', data: bytes, version: 1 });
    expect(t.getData('/x')?.data).toEqual(bytes);
  });

  it('shares one ACL array between nodes with equal ACLs and drops it with the last user', () => {
    const t = new DataTree();
    const acl = [{ perms: 1, id: { scheme: 'digest', id: 'u:h' } }];
    t.processTxn(hdr(1n), {
      type: OpCode.create,
      path: '/x',
      data: Buffer.alloc(0),
      acl: acl.map((a) => ({ ...a })),
      ephemeral: false,
      parentCVersion: 1,
    });
    t.processTxn(hdr(2n), {
      type: OpCode.create,
      path: '/y',
      data: Buffer.alloc(0),
      acl: acl.map((a) => ({ ...a })),
      ephemeral: false,
      parentCVersion: 2,
    });
    expect(t.getNode('/x')?.acl).toBe(t.getNode('/y')?.acl);
    expect(t.aclCount).toBe(3); // open, read-only (config), digest
    t.processTxn(hdr(3n), { type: OpCode.delete, path: '/x' });
    t.processTxn(hdr(4n), { type: OpCode.delete, path: '/y' });
    expect(t.aclCount).toBe(2);
  });

  it('shows cversion in Java int arithmetic when the raw count is near the int limit', () => {
    const t = rootWithCversion(0x7fffffff);
    expect(t.statOf('/')?.cversion).toBe(-2);
  });
});

describe('DataTree: replay', () => {
  const create = (path: string, data = 'x'): Txn => ({
    type: OpCode.create,
    path,
    data: Buffer.from(data),
    acl: OPEN_ACL_UNSAFE,
    ephemeral: false,
    parentCVersion: -1,
  });

  it('replayTxn changes the tree as processTxn does and reports errors', () => {
    const live = new DataTree();
    const replayed = new DataTree();
    const txns: Txn[] = [
      create('/a'),
      create('/a/b', 'bee'),
      { type: OpCode.setData, path: '/a/b', data: Buffer.from('b2'), version: 1 },
      { type: OpCode.delete, path: '/a/b' },
      create('/a/c'),
    ];
    txns.forEach((t, i) => {
      live.processTxn(hdr(BigInt(i + 1)), t);
      expect(replayed.replayTxn(hdr(BigInt(i + 1)), t)).toBe(0);
    });
    expect(dump(replayed)).toEqual(dump(live));
    expect(replayed.replayTxn(hdr(9n), create('/a/c'))).toBe(ErrorCode.NodeExists);
    expect(replayed.replayTxn(hdr(10n), { type: OpCode.delete, path: '/nope' })).toBe(
      ErrorCode.NoNode,
    );
  });

  it('a replayed create finds its parent again after the parent was deleted and made anew', () => {
    // Replay remembers parents: a parent deleted (its row reused by another node) and created
    // again must not be found under its old row.
    const live = new DataTree();
    const replayed = new DataTree();
    const txns: Txn[] = [
      create('/a'),
      create('/a/x'),
      { type: OpCode.delete, path: '/a/x' },
      { type: OpCode.delete, path: '/a' },
      create('/b'),
      create('/c'),
      create('/a'),
      create('/a/y'),
      create('/b/z'),
    ];
    txns.forEach((t, i) => {
      live.processTxn(hdr(BigInt(i + 1)), t);
      expect(replayed.replayTxn(hdr(BigInt(i + 1)), t)).toBe(0);
    });
    expect(replayed.getChildren('/a')?.children).toEqual(['y']);
    expect(replayed.getChildren('/b')?.children).toEqual(['z']);
    expect(replayed.getChildren('/c')?.children).toEqual([]);
    expect(dump(replayed)).toEqual(dump(live));
  });

  it('a delete replayed over a fuzzy snapshot that still holds a child takes the subtree', () => {
    // The snapshot caught /p/c created after /p was deleted and made again; the log replays
    // the delete of /p, then its re-create and the child's.
    const tree = new DataTree();
    tree.replayTxn(hdr(1n), create('/p'));
    tree.replayTxn(hdr(2n), create('/p/c'));
    tree.replayTxn(hdr(3n), create('/p/c/d'));
    const before = tree.nodeCount;
    expect(tree.replayTxn(hdr(4n), { type: OpCode.delete, path: '/p' })).toBe(0);
    expect(tree.nodeCount).toBe(before - 3);
    expect(tree.has('/p/c')).toBe(false);
    expect(tree.replayTxn(hdr(5n), create('/p/c'))).toBe(ErrorCode.NoNode);
    expect(tree.replayTxn(hdr(6n), create('/p'))).toBe(0);
    expect(tree.replayTxn(hdr(7n), create('/p/c', 'new'))).toBe(0);
    expect(tree.getData('/p/c')?.data?.toString()).toBe('new');
    expect(tree.getChildren('/p')?.children).toEqual(['c']);
  });
});
