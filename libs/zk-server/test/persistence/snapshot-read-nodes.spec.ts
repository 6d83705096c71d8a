import { OPEN_ACL_UNSAFE, READ_ACL_UNSAFE } from '@shepherd/zk-protocol';
import { parseSnapshot } from '../../src/persistence/snapshot-decoder';
import { serializeSnapshot } from '../../src/persistence/snapshot-encoder';
import { DataTree } from '../../src/data-tree/data-tree';
import { crc32 } from '../../src/persistence/crc32';
import { FakeTree } from './helpers';

// readNodes() decodes node by node (a million decoded nodes held at once cost more memory than
// the tree itself) and must yield what `nodes` does; recovery reads the same records in place
// through rows(), which must restore the same tree.
describe('snapshot readNodes', () => {
  const fake = () =>
    new FakeTree()
      .set('/', '')
      .set('/a', 'A')
      .set('/a/b', 'B', 5n)
      .set('/e', '')
      .set('/z', 'Z'.repeat(300));

  it('yields the same nodes as `nodes`, every time it is iterated', () => {
    const bytes = Buffer.concat(serializeSnapshot({ zxid: 9n, nodes: fake(), sessions: [] }));
    const snap = parseSnapshot(bytes);
    expect([...snap.readNodes()]).toEqual(fake().sorted());
    expect([...snap.readNodes()]).toEqual(snap.nodes);
  });

  it('decodes each distinct ACL list, shares consecutive equal ones', () => {
    const t = fake();
    const nodes = t.sorted().map((n) => (n.path === '/a/b' ? { ...n, acl: READ_ACL_UNSAFE } : n));
    const bytes = Buffer.concat(serializeSnapshot({ zxid: 9n, nodes, sessions: [] }));
    const acls = [...parseSnapshot(bytes).readNodes()].map((n) => n.acl);
    expect(acls).toEqual(nodes.map((n) => n.acl));
    expect(acls[0]).toBe(acls[1]);
    expect(acls[2]).toEqual(READ_ACL_UNSAFE);
    expect(acls[3]).toEqual(OPEN_ACL_UNSAFE);
  });

  it('restores a DataTree whose data does not alias the file buffer', () => {
    const bytes = Buffer.concat(serializeSnapshot({ zxid: 9n, nodes: fake(), sessions: [] }));
    const tree = DataTree.restore(parseSnapshot(bytes).readNodes(), 9n);
    bytes.fill(0);
    expect(tree.getData('/a')?.data?.toString()).toBe('A');
    expect(tree.getData('/z')?.data?.toString()).toBe('Z'.repeat(300));
    expect(tree.getChildren('/')?.children.sort()).toEqual(['a', 'e', 'z']);
  });

  it('rejects a structurally broken snapshot up front, before any node is read', () => {
    const good = Buffer.concat(serializeSnapshot({ zxid: 9n, nodes: fake(), sessions: [] }));
    // Claim one node more than there are, and fix up the checksum so only the structure is wrong.
    const bad = Buffer.from(good);
    const countAt = bad.length - 12;
    bad.writeInt32BE(bad.readInt32BE(countAt) + 1, countAt);
    bad.writeUInt32BE(crc32(bad, 0, bad.length - 8), bad.length - 8);
    expect(() => parseSnapshot(bad)).toThrow(/node count/);
  });

  it('rows() reads the same nodes in place, with the count, and restores the same tree', () => {
    const t = fake();
    // An ephemeral owner, distinct stats per node, and a second ACL: every field is read.
    t.nodes.set('/e', {
      path: '/e',
      data: Buffer.alloc(0),
      acl: READ_ACL_UNSAFE,
      stat: {
        czxid: 3n,
        mzxid: 4n,
        ctime: 1_700_000_000_123n,
        mtime: 1_700_000_000_456n,
        version: 2,
        cversion: 0,
        aversion: 1,
        ephemeralOwner: 0x1234_5678_9abc_def0n,
        pzxid: 3n,
      },
    });
    const bytes = Buffer.concat(serializeSnapshot({ zxid: 9n, nodes: t, sessions: [] }));
    const snap = parseSnapshot(bytes);
    const rows = snap.rows();
    expect(rows.count).toBe(snap.nodes.length);
    const read: unknown[] = [];
    while (rows.next()) {
      read.push({
        path: rows.path,
        data: rows.data === null ? null : Buffer.from(rows.data),
        acl: rows.acl,
        stat: {
          czxid: BigInt(rows.czxid),
          mzxid: BigInt(rows.mzxid),
          ctime: BigInt(rows.ctime),
          mtime: BigInt(rows.mtime),
          version: rows.version,
          cversion: rows.cversion,
          aversion: rows.aversion,
          ephemeralOwner: rows.ephemeralOwner,
          pzxid: BigInt(rows.pzxid),
        },
      });
    }
    expect(read).toEqual(snap.nodes);
    const fromRows = DataTree.restoreRows(snap.rows(), 9n);
    const fromNodes = DataTree.restore(snap.nodes, 9n);
    expect([...fromRows.walk()]).toEqual([...fromNodes.walk()]);
    expect(fromRows.aclCount).toBe(fromNodes.aclCount);
  });

  it('rows() refuses a zxid or time past 2^53 rather than rounding it (readNodes keeps it)', () => {
    const t = fake();
    const big = 2n ** 53n + 1n;
    const node = t.nodes.get('/a')!;
    t.nodes.set('/a', { ...node, stat: { ...node.stat, mtime: big } });
    const snap = parseSnapshot(
      Buffer.concat(serializeSnapshot({ zxid: 9n, nodes: t, sessions: [] })),
    );
    expect(snap.nodes.find((n) => n.path === '/a')?.stat.mtime).toBe(big);
    expect(() => DataTree.restoreRows(snap.rows(), 9n)).toThrow(
      /mtime 9007199254740993 is beyond 2\^53/,
    );
  });
});
