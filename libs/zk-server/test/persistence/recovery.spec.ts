import * as fs from 'fs';
import * as path from 'path';
import { RecoveryReport, recover } from '../../src/persistence/recovery';
import { TxnLog } from '../../src/persistence/txn-log';
import { LOG_HEADER_SIZE, RECORD_HEADER_SIZE } from '../../src/persistence/txn-log-format';
import { encodeTxn } from '../../src/persistence/txn-codec';
import { LoggedTxn, copyTxn, makeTempDir, removeDir, sampleTxns } from './helpers';

async function replay(dir: string): Promise<{ txns: LoggedTxn[]; report: RecoveryReport }> {
  const txns: LoggedTxn[] = [];
  const report = await recover(
    { snapDir: dir, logDir: dir },
    { onTxn: (header, txn) => txns.push({ header, txn: copyTxn(txn) }) },
  );
  return { txns, report };
}

/** Appends `txns` in one batch and leaves the log open, as a crash would. */
async function writeAndCrash(dir: string, txns: LoggedTxn[], preAllocSize?: number) {
  const log = new TxnLog({ dir, preAllocSize });
  await Promise.all(txns.map((t) => log.append(t.header, t.txn)));
  return log;
}

/** [start, end) of every record of a one-file log, from the codec's lengths alone. */
function recordBounds(txns: LoggedTxn[]): Array<[number, number]> {
  let pos = LOG_HEADER_SIZE;
  return txns.map((t) => {
    const start = pos;
    pos += RECORD_HEADER_SIZE + encodeTxn(t.header, t.txn).length;
    return [start, pos];
  });
}

describe('recovery from the txn log', () => {
  let dir: string;
  beforeEach(() => (dir = makeTempDir()));
  afterEach(() => removeDir(dir));

  it('gets back every acknowledged txn after a crash (log never closed)', async () => {
    const txns = sampleTxns(1, 300);
    await writeAndCrash(dir, txns.slice(0, 100));
    const log = new TxnLog({ dir, lastZxid: 100n });
    for (const t of txns.slice(100)) {
      void log.append(t.header, t.txn);
    }
    await log.flush();
    const { txns: got, report } = await replay(dir);
    expect(got).toEqual(txns);
    expect(report).toMatchObject({
      snapshot: null,
      txnsReplayed: 300,
      lastZxid: 300n,
      truncation: null,
      discardedFiles: [],
      logFilesRead: ['log.1', 'log.65'],
    });
  });

  it('continues after recovery in a new file and recovers both', async () => {
    const txns = sampleTxns(1, 40);
    await writeAndCrash(dir, txns.slice(0, 20));
    const first = await replay(dir);
    const log = new TxnLog({ dir, lastZxid: first.report.lastZxid });
    await Promise.all(txns.slice(20).map((t) => log.append(t.header, t.txn)));
    const second = await replay(dir);
    expect(second.txns).toEqual(txns);
    expect(second.report.logFilesRead).toEqual(['log.1', 'log.15']);
  });

  it.each([
    ['the file was cut short', false],
    ['the write was torn inside the pre-allocated zeros', true],
  ])('cuts and reports a damaged last record at every byte offset (%s)', async (_what, torn) => {
    const txns = sampleTxns(1, 5);
    const src = path.join(dir, 'src');
    await writeAndCrash(src, txns, 4096);
    const original = fs.readFileSync(path.join(src, 'log.1'));
    const [start, end] = recordBounds(txns)[4];
    expect(original.subarray(end).every((b) => b === 0)).toBe(true);
    for (let k = start + 1; k < end; k++) {
      const d = path.join(dir, `cut-${k}`);
      fs.mkdirSync(d);
      const damaged = torn
        ? Buffer.concat([original.subarray(0, k), Buffer.alloc(original.length - k)])
        : original.subarray(0, k);
      fs.writeFileSync(path.join(d, 'log.1'), damaged);
      const { txns: got, report } = await replay(d);
      expect(got).toEqual(txns.slice(0, 4));
      expect(report.truncation).toMatchObject({
        file: 'log.1',
        offset: start,
        lastGoodZxid: 4n,
        bytesCut: damaged.length - start,
        fileRemoved: false,
      });
      expect(fs.statSync(path.join(d, 'log.1')).size).toBe(start);
      // Recovering again finds a clean log.
      expect((await replay(d)).report.truncation).toBeNull();
    }
  });

  it('ends cleanly at a record boundary (nothing cut)', async () => {
    const txns = sampleTxns(1, 5);
    await writeAndCrash(dir, txns);
    const [, end] = recordBounds(txns)[4];
    fs.truncateSync(path.join(dir, 'log.1'), end);
    const { txns: got, report } = await replay(dir);
    expect(got).toEqual(txns);
    expect(report.truncation).toBeNull();
  });

  it('cuts garbage after the last good record', async () => {
    const txns = sampleTxns(1, 5);
    await writeAndCrash(dir, txns, 4096);
    const file = path.join(dir, 'log.1');
    const [, end] = recordBounds(txns)[4];
    const bytes = fs.readFileSync(file);
    bytes[end + 100] = 0x7f; // after the end marker (a zero byte) in the padding
    fs.writeFileSync(file, bytes);
    const { txns: got, report } = await replay(dir);
    expect(got).toEqual(txns);
    expect(report.truncation).toMatchObject({
      offset: end,
      reason: 'garbage-after-end',
      lastGoodZxid: 5n,
      bytesCut: 4096 - end,
    });
    expect(fs.statSync(file).size).toBe(end);
  });

  it('cuts at a corrupt record in the middle and sets later log files aside', async () => {
    const txns = sampleTxns(1, 30);
    const log = new TxnLog({ dir });
    await Promise.all(txns.slice(0, 10).map((t) => log.append(t.header, t.txn)));
    log.rollLog();
    await Promise.all(txns.slice(10).map((t) => log.append(t.header, t.txn)));
    const file = path.join(dir, 'log.1');
    const [start] = recordBounds(txns.slice(0, 10))[4];
    const bytes = fs.readFileSync(file);
    bytes[start + RECORD_HEADER_SIZE + 3] ^= 0x01; // one bit of record 5's payload
    fs.writeFileSync(file, bytes);

    const { txns: got, report } = await replay(dir);
    expect(got).toEqual(txns.slice(0, 4));
    expect(report.truncation).toMatchObject({
      file: 'log.1',
      offset: start,
      reason: 'bad-checksum',
      lastGoodZxid: 4n,
      bytesCut: bytes.length - start,
    });
    expect(report.discardedFiles).toEqual(['log.b']);
    expect(fs.readdirSync(dir).sort()).toEqual(['log.1', 'log.b.discarded']);
    expect(fs.statSync(file).size).toBe(start);
  });

  it('removes a log file whose header is damaged and that holds nothing else', async () => {
    const txns = sampleTxns(1, 3);
    await writeAndCrash(dir, txns);
    fs.writeFileSync(path.join(dir, 'log.4'), Buffer.from([0x5a, 0x4b])); // torn header
    const { txns: got, report } = await replay(dir);
    expect(got).toEqual(txns);
    expect(report.truncation).toMatchObject({
      file: 'log.4',
      offset: 0,
      reason: 'bad-header',
      lastGoodZxid: 3n,
      fileRemoved: true,
    });
    expect(fs.readdirSync(dir)).toEqual(['log.1']);
  });

  it('recovers an empty or missing directory as nothing', async () => {
    const { txns, report } = await replay(path.join(dir, 'missing'));
    expect(txns).toEqual([]);
    expect(report.lastZxid).toBe(0n);
  });
});
