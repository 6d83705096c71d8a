import * as fs from 'fs';
import * as path from 'path';
import { recover } from '../../src/persistence/recovery';
import { PurgeTimer, filesToPurge, purge, startAutoPurge } from '../../src/persistence/purge';
import { writeSnapshot } from '../../src/persistence/snapshot';
import { TxnLog } from '../../src/persistence/txn-log';
import { FakeTree, makeTempDir, removeDir, sampleTxns } from './helpers';

describe('filesToPurge', () => {
  const snapshots = ['snapshot.10', 'snapshot.20', 'snapshot.30', 'snapshot.40', 'snapshot.50'];
  const logs = ['log.1', 'log.c', 'log.1e', 'log.23', 'log.33'];
  // hex: log.1=1, log.c=12, log.1e=30, log.23=35, log.33=51; snapshots 16, 32, 48, 64, 80

  it('keeps the newest N snapshots and the logs from the one spanning the oldest kept', () => {
    expect(filesToPurge({ snapshots, logs }, 3)).toEqual({
      snapshots: ['snapshot.10', 'snapshot.20'],
      // oldest kept snapshot.30 = 48: log.23 (35) may hold 49.., so it stays.
      logs: ['log.1', 'log.c', 'log.1e'],
    });
  });

  it('never keeps fewer than 3 snapshots', () => {
    expect(filesToPurge({ snapshots, logs }, 1)).toEqual(filesToPurge({ snapshots, logs }, 3));
  });

  it('deletes nothing while there are no more snapshots than retained', () => {
    expect(filesToPurge({ snapshots: snapshots.slice(0, 3), logs }, 3)).toEqual({
      snapshots: [],
      logs: [],
    });
    expect(filesToPurge({ snapshots: [], logs }, 3)).toEqual({ snapshots: [], logs: [] });
  });

  it('keeps a log starting exactly at the oldest kept snapshot, and ignores other names', () => {
    const plan = filesToPurge(
      {
        snapshots: [...snapshots, 'snapshot.60.tmp', 'notes.txt'],
        logs: ['log.10', 'log.20', 'log.30', 'log.5.discarded'],
      },
      4,
    );
    expect(plan).toEqual({ snapshots: ['snapshot.10'], logs: ['log.10'] });
  });

  it('keeps all logs when none starts before the oldest kept snapshot', () => {
    expect(filesToPurge({ snapshots, logs: ['log.40', 'log.50'] }, 3).logs).toEqual([]);
  });
});

describe('purge', () => {
  let dir: string;
  beforeEach(() => (dir = makeTempDir()));
  afterEach(() => removeDir(dir));

  it('leaves enough to recover from the oldest retained snapshot', async () => {
    const txns = sampleTxns(1, 60);
    const t = new FakeTree().set('/', '');
    const log = new TxnLog({ dir });
    for (let i = 0; i < txns.length; i++) {
      await log.append(txns[i].header, txns[i].txn);
      t.set(`/n${i + 1}`, 'x', BigInt(i + 1));
      if ((i + 1) % 10 === 5) {
        log.rollLog();
        await writeSnapshot(dir, t.content(BigInt(i + 1)));
      }
    }
    await log.close();
    const plan = await purge({ snapDir: dir, logDir: dir, snapRetainCount: 3 });
    expect(plan.snapshots).toEqual(['snapshot.5', 'snapshot.f', 'snapshot.19']);
    expect(plan.logs.length).toBeGreaterThan(0);
    // Break the two newest snapshots: recovery must still reach zxid 60 from the oldest kept.
    for (const name of ['snapshot.37', 'snapshot.2d']) {
      fs.writeFileSync(path.join(dir, name), 'garbage');
    }
    const replayed: bigint[] = [];
    const report = await recover(
      { snapDir: dir, logDir: dir },
      { onTxn: (h) => replayed.push(h.zxid) },
    );
    expect(report.snapshot?.zxid).toBe(35n);
    expect(replayed).toEqual(txns.slice(35).map((x) => x.header.zxid));
    expect(report.truncation).toBeNull();
  });
});

describe('startAutoPurge', () => {
  class FakeTimer implements PurgeTimer {
    queue: Array<{ cb: () => void; ms: number; id: number }> = [];
    private next = 0;
    setTimeout(cb: () => void, ms: number): unknown {
      const id = ++this.next;
      this.queue.push({ cb, ms, id });
      return id;
    }
    clearTimeout(handle: unknown): void {
      this.queue = this.queue.filter((q) => q.id !== handle);
    }
    fire(): number {
      const q = this.queue.shift();
      if (!q) throw new Error('nothing scheduled');
      q.cb();
      return q.ms;
    }
  }
  const settle = () => new Promise((r) => setImmediate(r));

  it('runs at once and then every purgeInterval hours until stopped', async () => {
    const timer = new FakeTimer();
    let runs = 0;
    const handle = startAutoPurge({ purgeIntervalHours: 2, timer, run: async () => runs++ });
    expect(timer.fire()).toBe(0);
    await settle();
    expect(runs).toBe(1);
    expect(timer.queue.map((q) => q.ms)).toEqual([2 * 3600 * 1000]);
    timer.fire();
    await settle();
    expect(runs).toBe(2);
    handle.stop();
    expect(timer.queue).toEqual([]);
  });

  it('keeps going after a failed run, reporting it', async () => {
    const timer = new FakeTimer();
    const errors: unknown[] = [];
    const boom = new Error('EACCES');
    startAutoPurge({
      purgeIntervalHours: 1,
      timer,
      run: () => Promise.reject(boom),
      onError: (e) => errors.push(e),
    });
    timer.fire();
    await settle();
    expect(errors).toEqual([boom]);
    expect(timer.queue).toHaveLength(1);
  });

  it('is off when purgeInterval is 0', () => {
    const timer = new FakeTimer();
    startAutoPurge({ purgeIntervalHours: 0, timer, run: async () => undefined }).stop();
    expect(timer.queue).toEqual([]);
  });
});
