import { CreateMode, OpCode } from '@shepherd/zk-protocol';
import { DataTree } from '../../src/data-tree/data-tree';
import { SnapshotNode } from '../../src/data-tree/snapshot-walk';
import { loadNewestValidSnapshot } from '../../src/persistence/snapshot';
import { TxnSnapLog } from '../../src/persistence/txn-snap-log';
import { TreeHarness, dump, openAcl } from '../data-tree/tree-harness';
import { makeTempDir, removeDir, tick } from './helpers';

/** A small seeded PRNG (mulberry32), so a failure replays exactly. */
function random(seed: number): (n: number) => number {
  let a = seed >>> 0;
  return (n) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}

const PARENTS = 40;
const CHILDREN = 150;
const data = (n: number, size = 300) => Buffer.alloc(size, 0x41 + (n % 26));

/**
 * Writes of every kind, on random parts of the tree: some the snapshot walk has already passed,
 * some still ahead of it. Includes deleting a parent with its children and re-creating both
 * (the snapshot may hold the new incarnation while the log replays the old one's delete).
 */
function mutate(h: TreeHarness, rnd: (n: number) => number, step: number): void {
  const parent = `/p${rnd(PARENTS)}`;
  const kids = h.tree.getChildren(parent)?.children ?? [];
  const kid = kids.length > 0 ? `${parent}/${kids[rnd(kids.length)]}` : undefined;
  switch (rnd(9)) {
    case 0:
      h.write({
        op: OpCode.create2,
        path: `${parent}/new${step}`,
        data: data(step),
        acl: openAcl(),
        flags: 0,
      });
      break;
    case 1:
      if (kid) h.write({ op: OpCode.delete, path: kid, version: -1 });
      break;
    case 2:
      if (kid) h.write({ op: OpCode.setData, path: kid, data: data(step, rnd(400)), version: -1 });
      break;
    case 3:
      h.write({
        op: OpCode.create2,
        path: '/seq/s-',
        data: data(step, 10),
        acl: openAcl(),
        flags: CreateMode.PERSISTENT_SEQUENTIAL,
      });
      break;
    case 4: {
      const session = 0x500n + BigInt(rnd(4));
      if (rnd(3) === 0) {
        h.write({ op: OpCode.closeSession }, session);
      } else {
        h.createSession(session);
        h.write(
          {
            op: OpCode.create2,
            path: `${parent}/eph${step}`,
            data: data(step, 20),
            acl: openAcl(),
            flags: CreateMode.EPHEMERAL,
          },
          session,
        );
      }
      break;
    }
    case 5: {
      // The whole parent goes, and comes back with a few children.
      for (const name of kids)
        h.write({ op: OpCode.delete, path: `${parent}/${name}`, version: -1 });
      h.write({ op: OpCode.delete, path: parent, version: -1 });
      h.write({ op: OpCode.create2, path: parent, data: data(step, 5), acl: openAcl(), flags: 0 });
      for (let i = 0; i < 3; i++) {
        h.write({
          op: OpCode.create2,
          path: `${parent}/c${i}`,
          data: data(i),
          acl: openAcl(),
          flags: 0,
        });
      }
      break;
    }
    case 6:
      if (kid) {
        const acl = [{ perms: 1 + rnd(31), id: { scheme: 'world', id: 'anyone' } }];
        h.write({ op: OpCode.setACL, path: kid, acl, version: -1 });
      }
      break;
    case 7:
      h.write({
        op: OpCode.multi,
        ops: [
          {
            op: OpCode.create,
            path: `${parent}/m${step}`,
            data: data(step),
            acl: openAcl(),
            flags: 0,
          },
          { op: OpCode.setData, path: parent, data: data(step, 7), version: -1 },
          ...(kid ? [{ op: OpCode.delete as const, path: kid, version: -1 }] : []),
        ],
      });
      break;
    case 8:
      // A child deleted and re-created: it moves to the end of its parent's children.
      if (kid) {
        h.write({ op: OpCode.delete, path: kid, version: -1 });
        h.write({ op: OpCode.create2, path: kid, data: data(step), acl: openAcl(), flags: 0 });
      }
      break;
  }
}

describe('fuzzy snapshot (written while txns keep applying)', () => {
  let dir: string;
  beforeEach(() => (dir = makeTempDir()));
  afterEach(() => removeDir(dir));

  it.each([1, 2, 3, 4])('recovers exactly the live tree (seed %i)', async (seed) => {
    const rnd = random(seed);
    const h = new TreeHarness();
    const snapLog = new TxnSnapLog({ snapDir: dir, snapCount: 1e9 });
    await snapLog.recover({ onTxn: () => undefined });
    let logged = 0;
    const appended: Promise<void>[] = [];
    const logNew = () => {
      for (; logged < h.log.length; logged++) {
        const { header, txn } = h.log[logged];
        appended.push(snapLog.append(header, txn));
      }
    };
    h.create('/seq');
    for (let p = 0; p < PARENTS; p++) {
      h.create(`/p${p}`);
      for (let c = 0; c < CHILDREN; c++) {
        h.write({
          op: OpCode.create2,
          path: `/p${p}/c${c}`,
          data: data(c),
          acl: openAcl(),
          flags: 0,
        });
      }
    }
    logNew();

    // ~2 MB of records: several chunks, with turns of the event loop in between.
    const snapZxid = h.tree.lastProcessedZxid;
    let finished = false;
    const written = snapLog
      .snapshot({ zxid: snapZxid, nodes: h.tree, sessions: [] })
      .finally(() => (finished = true));
    let during = 0;
    while (!finished) {
      for (let i = 0; i < 5; i++) mutate(h, rnd, during * 5 + i);
      during++;
      logNew();
      await tick();
    }
    expect((await written).zxid).toBe(snapZxid);
    expect(during).toBeGreaterThan(3);
    for (let i = 0; i < 50; i++) mutate(h, rnd, 100000 + i);
    logNew();
    await Promise.all(appended);
    await snapLog.close();

    // The snapshot is fuzzy: it holds effects of txns after its zxid.
    const { snapshot } = await loadNewestValidSnapshot(dir);
    expect(snapshot?.zxid).toBe(snapZxid);
    const nodes = snapshot?.nodes ?? [];
    expect(nodes.some((n) => n.stat.mzxid > snapZxid)).toBe(true);
    expect(new Set(nodes.map((n) => n.path)).size).toBe(nodes.length);

    let recovered: DataTree | undefined;
    const report = await new TxnSnapLog({ snapDir: dir }).recover({
      onSnapshot: (s) => (recovered = DataTree.restore(s.readNodes(), s.zxid)),
      onTxn: (header, txn) => recovered?.processTxn(header, txn),
    });
    expect(report.snapshot?.zxid).toBe(snapZxid);
    expect(report.txnsReplayed).toBe(h.log.length - Number(snapZxid));
    const tree = recovered as DataTree;
    // Same nodes with the same data, ACLs and stats. Only the order of children may differ:
    // the snapshot can list a child that the replay then deletes and re-creates at the end.
    const byPath = (t: DataTree) =>
      dump(t).sort((x, y) => ((x as SnapshotNode).path < (y as SnapshotNode).path ? -1 : 1));
    expect(byPath(tree)).toEqual(byPath(h.tree));
    for (const n of h.tree.walk()) expect(tree.statOf(n.path)).toEqual(h.tree.statOf(n.path));
    expect(tree.nodeCount).toBe(h.tree.nodeCount);
    expect(tree.lastProcessedZxid).toBe(h.tree.lastProcessedZxid);
    expect([...tree.ephemerals].map(([s, p]) => [s, [...p].sort()]).sort()).toEqual(
      [...h.tree.ephemerals].map(([s, p]) => [s, [...p].sort()]).sort(),
    );
    expect(tree.aclCount).toBe(h.tree.aclCount);
  });
});
