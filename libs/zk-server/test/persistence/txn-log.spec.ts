import * as fs from 'fs';
import * as path from 'path';
import { OpCode } from '@shepherd/zk-protocol';
import { recover } from '../../src/persistence/recovery';
import { TxnLog, TxnLogError } from '../../src/persistence/txn-log';
import { LOG_HEADER_SIZE } from '../../src/persistence/txn-log-format';
import {
  BlockingCountingFs,
  CountingFs,
  LoggedTxn,
  makeTempDir,
  removeDir,
  sampleTxn,
  sampleTxns,
  copyTxn,
  tick,
  until,
} from './helpers';

async function replay(dir: string): Promise<LoggedTxn[]> {
  const out: LoggedTxn[] = [];
  await recover(
    { snapDir: dir, logDir: dir },
    { onTxn: (header, txn) => out.push({ header, txn: copyTxn(txn) }) },
  );
  return out;
}

describe('TxnLog group commit', () => {
  let dir: string;
  beforeEach(() => (dir = makeTempDir()));
  afterEach(() => removeDir(dir));

  it('makes a burst of appends durable with one write and one fdatasync', async () => {
    const sfs = new CountingFs();
    const log = new TxnLog({ dir, fs: sfs });
    const txns = sampleTxns(1, 500);
    const done = txns.map((t) => log.append(t.header, t.txn));
    expect(log.unsyncedTxns).toBe(500);
    await Promise.all(done);
    expect(sfs.fdatasyncs).toBe(1);
    expect(sfs.writevs).toBe(1);
    expect(log.lastSyncedZxid).toBe(500n);
    expect(log.stats).toMatchObject({
      fsyncs: 1,
      txns: 500,
      lastBatchTxns: 500,
      maxBatchTxns: 500,
      avgTxnsPerFsync: 500,
    });
    await log.close();
    expect(await replay(dir)).toEqual(txns);
  });

  it('resolves appends only after their fsync, and batches appends made during an fsync', async () => {
    const sfs = new CountingFs();
    sfs.hold = true;
    const log = new TxnLog({ dir, fs: sfs });
    const resolved: number[] = [];
    const track = (t: LoggedTxn) =>
      log.append(t.header, t.txn).then(() => resolved.push(Number(t.header.zxid)));

    const first = track(sampleTxn(1n));
    await until(() => sfs.heldSyncs === 1, 'first fdatasync');
    // Written but not synced: nothing resolved, nothing counted as durable.
    expect(resolved).toEqual([]);
    expect(log.lastSyncedZxid).toBe(-1n);

    const second = sampleTxns(2, 101).map(track);
    await tick();
    await tick();
    expect(sfs.fdatasyncs).toBe(1); // the 100 wait for the in-flight fsync, no second one yet
    expect(resolved).toEqual([]);

    sfs.release();
    await first;
    expect(resolved).toEqual([1]);
    expect(log.lastSyncedZxid).toBe(1n);

    await until(() => sfs.heldSyncs === 1, 'second fdatasync');
    expect(sfs.fdatasyncs).toBe(2);
    expect(resolved).toEqual([1]);
    sfs.release();
    await Promise.all(second);
    expect(resolved).toHaveLength(101);
    expect(log.lastSyncedZxid).toBe(101n);
    expect(log.stats).toMatchObject({
      fsyncs: 2,
      txns: 101,
      lastBatchTxns: 100,
      maxBatchTxns: 100,
    });
    sfs.hold = false;
    await log.close();
  });

  it('rejects every waiting and later append when fdatasync fails', async () => {
    const sfs = new CountingFs();
    sfs.hold = true;
    const log = new TxnLog({ dir, fs: sfs });
    const a = log.append(sampleTxn(1n).header, sampleTxn(1n).txn);
    await until(() => sfs.heldSyncs === 1, 'fdatasync');
    const b = log.append(sampleTxn(2n).header, sampleTxn(2n).txn);
    const eio = Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' });
    sfs.failHeld(eio);
    await expect(a).rejects.toBe(eio);
    await expect(b).rejects.toBe(eio);
    await expect(log.append(sampleTxn(3n).header, sampleTxn(3n).txn)).rejects.toBe(eio);
    await expect(log.flush()).rejects.toBe(eio);
    expect(log.lastSyncedZxid).toBe(-1n);
    expect(log.error).toBe(eio);
    await expect(log.close()).rejects.toBe(eio);
  });

  it('rejects a zxid that does not increase, and a txn that cannot be encoded, alone', async () => {
    const log = new TxnLog({ dir });
    const ok1 = log.append(sampleTxn(1n).header, sampleTxn(1n).txn);
    await expect(log.append(sampleTxn(1n).header, sampleTxn(1n).txn)).rejects.toThrow(TxnLogError);
    const bad = log.append(
      { clientId: 1n, cxid: 0, zxid: 2n, time: 0n, type: OpCode.setData },
      { type: OpCode.setData, path: '/x', data: Buffer.alloc(3), version: 2 ** 40 },
    );
    await expect(bad).rejects.toThrow(/out of range/);
    const ok3 = log.append(sampleTxn(3n).header, sampleTxn(3n).txn);
    await Promise.all([ok1, ok3]);
    await log.close();
    await expect(log.append(sampleTxn(4n).header, sampleTxn(4n).txn)).rejects.toThrow(/closed/);
    expect(await replay(dir)).toEqual([sampleTxn(1n), sampleTxn(3n)]);
  });

  it('rolls to a new file when the current one is full, and on rollLog()', async () => {
    const log = new TxnLog({ dir, maxFileSize: 500, preAllocSize: 4096 });
    const txns = sampleTxns(1, 60);
    for (const t of txns.slice(0, 50)) {
      await log.append(t.header, t.txn); // one batch each, so the size check runs often
    }
    const before = fs.readdirSync(dir).length;
    expect(before).toBeGreaterThan(2);
    log.rollLog();
    await Promise.all(txns.slice(50).map((t) => log.append(t.header, t.txn)));
    expect(log.currentFile).toBe('log.33'); // zxid 51
    expect(fs.readdirSync(dir).length).toBe(before + 1);
    await log.close();
    expect(await replay(dir)).toEqual(txns);
  });

  it('pre-allocates with zeros and trims the padding on close', async () => {
    const log = new TxnLog({ dir, preAllocSize: 64 * 1024 });
    await log.append(sampleTxn(1n).header, sampleTxn(1n).txn);
    const file = path.join(dir, 'log.1');
    expect(fs.statSync(file).size).toBe(64 * 1024);
    await log.close();
    const size = fs.statSync(file).size;
    expect(size).toBeGreaterThan(LOG_HEADER_SIZE);
    expect(size).toBeLessThan(200);
  });

  it('flush() waits for everything appended so far', async () => {
    const sfs = new CountingFs();
    const log = new TxnLog({ dir, fs: sfs });
    await log.flush(); // nothing pending
    sampleTxns(1, 10).forEach((t) => void log.append(t.header, t.txn));
    await log.flush();
    expect(log.lastSyncedZxid).toBe(10n);
    expect(log.unsyncedTxns).toBe(0);
    await log.close();
  });

  describe('small batches on the event loop thread (blocking write + fdatasync)', () => {
    /** A log whose first file already exists: new files always go through the thread pool. */
    async function openLog(sfs: BlockingCountingFs, options = {}): Promise<TxnLog> {
      const log = new TxnLog({ dir, fs: sfs, ...options });
      await log.append(sampleTxn(1n).header, sampleTxn(1n).txn);
      expect(sfs.fdatasyncs).toBe(1); // the new file: thread pool, then its directory
      expect(sfs.blockingSyncs).toBe(0);
      sfs.events.length = 0;
      return log;
    }

    it('resolves a batch only after its blocking fdatasync, one write and one sync per batch', async () => {
      const sfs = new BlockingCountingFs();
      const log = await openLog(sfs);
      const txns = sampleTxns(2, 11);
      const done = txns.map((t) =>
        log.append(t.header, t.txn).then(() => sfs.events.push(`resolved ${t.header.zxid}`)),
      );
      expect(sfs.events).toEqual([]); // nothing written in the appending turn
      await Promise.all(done);
      expect(sfs.events).toEqual([
        'write',
        'sync',
        ...txns.map((t) => `resolved ${t.header.zxid}`),
      ]);
      expect(sfs.blockingWrites).toBe(1);
      expect(sfs.blockingSyncs).toBe(1);
      expect(sfs.fdatasyncs).toBe(1);
      expect(log.stats).toMatchObject({ fsyncs: 2, txns: 11, lastBatchTxns: 10 });
      await log.close();
      expect(await replay(dir)).toEqual(sampleTxns(1, 11));
    });

    it('sends a batch bigger than inlineSyncMaxTxns to the thread pool', async () => {
      const sfs = new BlockingCountingFs();
      const log = await openLog(sfs, { inlineSyncMaxTxns: 5 });
      await Promise.all(sampleTxns(2, 7).map((t) => log.append(t.header, t.txn)));
      expect(sfs.blockingSyncs).toBe(0);
      expect(sfs.fdatasyncs).toBe(2);
      await Promise.all(sampleTxns(8, 12).map((t) => log.append(t.header, t.txn)));
      expect(sfs.blockingSyncs).toBe(1);
      expect(sfs.fdatasyncs).toBe(2);
      await log.close();
      expect(await replay(dir)).toEqual(sampleTxns(1, 12));
    });

    it('leaves rolls and pre-allocation to the thread pool', async () => {
      const sfs = new BlockingCountingFs();
      const log = await openLog(sfs, { preAllocSize: 4096 });
      log.rollLog();
      await log.append(sampleTxn(2n).header, sampleTxn(2n).txn);
      expect(log.currentFile).toBe('log.2');
      expect(sfs.blockingSyncs).toBe(0);
      // ~100 bytes a txn: the 4 KiB allocated ahead runs out every few dozen batches.
      for (const t of sampleTxns(3, 150)) await log.append(t.header, t.txn);
      expect(sfs.blockingSyncs).toBeGreaterThan(100);
      expect(sfs.fdatasyncs).toBeGreaterThan(2);
      expect(sfs.blockingSyncs + sfs.fdatasyncs).toBe(150);
      await log.close();
      expect(await replay(dir)).toEqual(sampleTxns(1, 150));
    });

    it('rejects every waiting and later append when the blocking fdatasync fails', async () => {
      const sfs = new BlockingCountingFs();
      const log = await openLog(sfs);
      const eio = Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' });
      sfs.failNextBlockingSync = eio;
      const a = log.append(sampleTxn(2n).header, sampleTxn(2n).txn);
      const b = log.append(sampleTxn(3n).header, sampleTxn(3n).txn);
      await expect(a).rejects.toBe(eio);
      await expect(b).rejects.toBe(eio);
      await expect(log.append(sampleTxn(4n).header, sampleTxn(4n).txn)).rejects.toBe(eio);
      expect(log.lastSyncedZxid).toBe(1n);
      expect(log.error).toBe(eio);
      await expect(log.close()).rejects.toBe(eio);
    });
  });
});
