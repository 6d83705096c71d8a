import * as fs from 'fs';
import * as path from 'path';
import { nodeSyncFs } from '../../src/persistence/sync-fs';
import { TxnLog } from '../../src/persistence/txn-log';
import { LogScan, scanLogFile } from '../../src/persistence/txn-log-scan';
import { makeTempDir, removeDir, sampleTxns } from './helpers';

interface Seen {
  scan: LogScan;
  records: { offset: number; end: number; payload: string }[];
}

/** The scan of `file` read `chunk` bytes at a time, with copies of the payloads. */
async function scan(file: string, chunk: number): Promise<Seen> {
  const records: Seen['records'] = [];
  const result = await scanLogFile(
    nodeSyncFs,
    file,
    null,
    (rec) => {
      records.push({ offset: rec.offset, end: rec.end, payload: rec.payload.toString('hex') });
      return null;
    },
    chunk,
  );
  return { scan: result, records };
}

describe('scanLogFile', () => {
  let dir: string;
  let file: string;

  beforeEach(async () => {
    dir = makeTempDir();
    const log = new TxnLog({ dir, preAllocSize: 4096 });
    await Promise.all(sampleTxns(1, 60).map((t) => log.append(t.header, t.txn)));
    await log.close();
    file = path.join(dir, fs.readdirSync(dir).find((f) => f.startsWith('log.')) as string);
  });

  afterEach(() => removeDir(dir));

  it('reads the same records whatever the chunk size, records across chunks included', async () => {
    const whole = await scan(file, 1 << 20);
    expect(whole.records.length).toBe(60);
    expect(whole.scan.damage).toBeNull();
    expect(whole.scan.fileLength).toBe(fs.statSync(file).size);
    for (const chunk of [1, 7, 16, 33, 100, 1000]) {
      expect(await scan(file, chunk)).toEqual(whole);
    }
  });

  it('finds garbage after the end and a cut record in a later chunk', async () => {
    const whole = await scan(file, 1 << 20);
    const end = whole.scan.goodEnd;
    // Zeros past the end, as pre-allocation leaves them, then one stray byte.
    fs.appendFileSync(file, Buffer.concat([Buffer.alloc(300), Buffer.from([7])]));
    for (const chunk of [5, 64, 1 << 20]) {
      const s = await scan(file, chunk);
      expect(s.scan).toMatchObject({ damage: 'garbage-after-end', goodEnd: end });
      expect(s.records.length).toBe(60);
    }
    const last = whole.records[whole.records.length - 1];
    fs.truncateSync(file, last.end - 3);
    for (const chunk of [5, 64, 1 << 20]) {
      const s = await scan(file, chunk);
      expect(s.scan).toMatchObject({ damage: 'short-record', goodEnd: last.offset });
      expect(s.records.length).toBe(59);
    }
  });
});
