import * as fs from 'fs';
import * as path from 'path';
import { RecoveryReport, recover } from '../../src/persistence/recovery';
import { loadNewestValidSnapshot, writeSnapshot } from '../../src/persistence/snapshot';
import { LoadedSnapshot } from '../../src/persistence/snapshot-content';
import { parseSnapshot } from '../../src/persistence/snapshot-decoder';
import { serializeSnapshot } from '../../src/persistence/snapshot-encoder';
import { TxnSnapLog } from '../../src/persistence/txn-snap-log';
import { OpCode } from '@shepherd/zk-protocol';
import { DataTree } from '../../src/data-tree/data-tree';
import { TreeHarness, dump, openAcl } from '../data-tree/tree-harness';
import { FakeTree, LoggedTxn, copyTxn, makeTempDir, removeDir, sampleTxns } from './helpers';

function tree(): FakeTree {
  return new FakeTree().set('/', '').set('/a', 'A').set('/a/b', 'B', 5n).set('/z', 'Z'.repeat(300));
}

describe('snapshots', () => {
  let dir: string;
  beforeEach(() => (dir = makeTempDir()));
  afterEach(() => removeDir(dir));

  it('writes and loads nodes (parents first) and sessions', async () => {
    const t = tree();
    const sessions = [
      { id: 0x100n, timeout: 4000 },
      { id: 0x7fffffffffffffffn, timeout: 30000 },
    ];
    const written = await writeSnapshot(dir, { zxid: 0x2an, nodes: t, sessions });
    expect(written).toMatchObject({ file: 'snapshot.2a', zxid: 0x2an, nodes: 4 });
    expect(fs.readdirSync(dir)).toEqual(['snapshot.2a']);
    const { snapshot, invalid } = await loadNewestValidSnapshot(dir);
    expect(invalid).toEqual([]);
    expect(snapshot).toEqual({ file: 'snapshot.2a', zxid: 0x2an, sessions, nodes: t.sorted() });
  });

  it('accepts an iterable node source (DataTree.walk())', () => {
    const t = tree();
    const fromIterable = Buffer.concat(
      serializeSnapshot({ zxid: 1n, nodes: t.sorted(), sessions: [] }),
    );
    const fromVisitor = Buffer.concat(serializeSnapshot({ zxid: 1n, nodes: t, sessions: [] }));
    expect(fromIterable).toEqual(fromVisitor);
    expect(parseSnapshot(fromIterable).nodes).toEqual(t.sorted());
  });

  it('rejects any flipped byte and any truncation', () => {
    const bytes = Buffer.concat(serializeSnapshot(tree().content(9n)));
    for (let i = 0; i < bytes.length; i += 7) {
      const bad = Buffer.from(bytes);
      bad[i] ^= 0x10;
      expect(() => parseSnapshot(bad)).toThrow();
      expect(() => parseSnapshot(bytes.subarray(0, i))).toThrow();
    }
  });

  it('ignores a half-written temp file, and recovery removes it', async () => {
    await writeSnapshot(dir, tree().content(10n));
    const full = Buffer.concat(serializeSnapshot(tree().set('/new', 'n').content(20n)));
    fs.writeFileSync(path.join(dir, 'snapshot.14.tmp'), full.subarray(0, full.length >> 1));
    expect((await loadNewestValidSnapshot(dir)).snapshot?.zxid).toBe(10n);
    const report = await recover({ snapDir: dir, logDir: dir }, { onTxn: () => undefined });
    expect(report.snapshot).toEqual({ file: 'snapshot.a', zxid: 10n });
    expect(report.removedTempFiles).toEqual(['snapshot.14.tmp']);
    expect(fs.readdirSync(dir)).toEqual(['snapshot.a']);
  });

  it('falls back to the previous snapshot when the newest is invalid', async () => {
    await writeSnapshot(dir, tree().content(10n));
    await writeSnapshot(dir, tree().set('/b', 'b').content(20n));
    const newest = path.join(dir, 'snapshot.14');
    const bytes = fs.readFileSync(newest);
    bytes[40] ^= 0xff;
    fs.writeFileSync(newest, bytes);
    const { snapshot, invalid } = await loadNewestValidSnapshot(dir);
    expect(snapshot?.zxid).toBe(10n);
    expect(snapshot?.nodes).toEqual(tree().sorted());
    expect(invalid).toEqual([{ file: 'snapshot.14', reason: 'checksum mismatch' }]);
  });

  it('streams a live tree, records bigger than a chunk included, and restores it', async () => {
    const h = new TreeHarness();
    const big = Buffer.alloc(3 * 1024 * 1024, 0x5a);
    h.create('/a', 0, 0x100n, 'small');
    h.write({ op: OpCode.create2, path: '/a/big', data: big, acl: openAcl(), flags: 0 });
    for (let i = 0; i < 3000; i++) h.create(`/a/n${i}`, 0, 0x100n, 'x'.repeat(i % 500));
    const zxid = h.tree.lastProcessedZxid;
    const written = await writeSnapshot(dir, { zxid, nodes: h.tree, sessions: [] });
    expect(written.nodes).toBe(h.tree.nodeCount);
    expect(written.bytes).toBe(fs.statSync(path.join(dir, written.file)).size);
    const { snapshot } = await loadNewestValidSnapshot(dir);
    const restored = DataTree.restore((snapshot as LoadedSnapshot).readNodes(), zxid);
    expect(dump(restored)).toEqual(dump(h.tree));
    expect(restored.getData('/a/big')?.data?.equals(big)).toBe(true);
    // The same bytes as the iterable form of the same tree.
    expect(Buffer.concat(serializeSnapshot({ zxid, nodes: h.tree, sessions: [] }))).toEqual(
      Buffer.concat(serializeSnapshot({ zxid, nodes: [...h.tree.walk()], sessions: [] })),
    );
  });

  it('publishes nothing when the log cannot be made durable first', async () => {
    const failure = new Error('log fsync failed');
    await expect(
      writeSnapshot(dir, tree().content(3n), { beforePublish: () => Promise.reject(failure) }),
    ).rejects.toBe(failure);
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});

describe('TxnSnapLog', () => {
  let dir: string;
  beforeEach(() => (dir = makeTempDir()));
  afterEach(() => removeDir(dir));

  /** A "server": applies txns to a FakeTree (creates only matter here) and logs them. */
  async function run(txns: LoggedTxn[], snapCount: number) {
    const t = tree();
    let applied = 0n;
    const snaps: string[] = [];
    const store = new TxnSnapLog({
      snapDir: dir,
      snapCount,
      snapshotSource: () => t.content(applied),
      onSnapshot: (written, err) => {
        if (err) throw err;
        snaps.push(written?.file ?? '');
      },
    });
    await store.recover({ onTxn: () => undefined });
    const done: Promise<void>[] = [];
    for (const x of txns) {
      t.set(`/t${x.header.zxid}`, 'x', x.header.zxid);
      applied = x.header.zxid;
      done.push(store.append(x.header, x.txn));
      // Deterministic: let a triggered snapshot finish before the next txn is applied.
      await store.snapshotInProgress;
    }
    await Promise.all(done);
    await store.close();
    return { t, snaps };
  }

  it('takes a snapshot every snapCount txns, rolls the log, and recovers snapshot + tail', async () => {
    const txns = sampleTxns(1, 50);
    const { t, snaps } = await run(txns, 20);
    expect(snaps).toEqual(['snapshot.14', 'snapshot.28']);
    const names = fs.readdirSync(dir);
    expect(names.filter((n) => n.startsWith('log.')).length).toBeGreaterThanOrEqual(3);

    let loaded: LoadedSnapshot | null = null;
    const tail: LoggedTxn[] = [];
    const reopened = new TxnSnapLog({ snapDir: dir });
    const report: RecoveryReport = await reopened.recover({
      onSnapshot: (s) => (loaded = s),
      onTxn: (header, txn) => tail.push({ header, txn: copyTxn(txn) }),
    });
    const snap = loaded as LoadedSnapshot | null;
    expect(snap).not.toBeNull();
    expect(report.lastZxid).toBe(50n);
    // The snapshot holds exactly the nodes up to its zxid; the log supplies the rest.
    const snapZxid = (snap as LoadedSnapshot).zxid;
    expect((snap as LoadedSnapshot).nodes.map((n) => n.path)).toEqual(
      t
        .sorted()
        .filter((n) => !n.path.startsWith('/t') || n.stat.czxid <= snapZxid)
        .map((n) => n.path),
    );
    expect(tail).toEqual(txns.filter((x) => x.header.zxid > snapZxid));
    await reopened.close();
  });
});
