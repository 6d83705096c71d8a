import { OPEN_ACL_UNSAFE, READ_ACL_UNSAFE } from '@shepherd/zk-protocol';
import { parseSnapshot } from '../../src/persistence/snapshot-decoder';
import { serializeSnapshot } from '../../src/persistence/snapshot-encoder';
import { DataTree } from '../../src/data-tree/data-tree';
import { crc32 } from '../../src/persistence/crc32';
import { FakeTree } from './helpers';

// Recovery restores the tree from readNodes(), which decodes node by node (a million decoded
// nodes held at once cost more memory than the tree itself); it must yield what `nodes` does.
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
    expect(tree.getData('/a')?.data.toString()).toBe('A');
    expect(tree.getData('/z')?.data.toString()).toBe('Z'.repeat(300));
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
});
