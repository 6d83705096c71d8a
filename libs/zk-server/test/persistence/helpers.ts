import { OPEN_ACL_UNSAFE, OpCode } from '@shepherd/zk-protocol';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  PersistedNode,
  PersistedNodeStat,
  SnapshotContent,
} from '../../src/persistence/snapshot-content';
import { SyncFs, nodeSyncFs } from '../../src/persistence/sync-fs';
import { Txn, TxnHeader } from '../../src/txn/txn';

/** A fresh directory under the OS temp dir; remove with removeDir. */
export function makeTempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'zk-persist-'));
}

export function removeDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

export interface LoggedTxn {
  header: TxnHeader;
  txn: Txn;
}

/** A varied, deterministic txn for zxid `zxid`. */
export function sampleTxn(zxid: bigint): LoggedTxn {
  const n = Number(zxid);
  const kinds: Txn[] = [
    {
      type: OpCode.create,
      path: `/n${n}`,
      data: Buffer.from(`data-${n}`),
      acl: OPEN_ACL_UNSAFE,
      ephemeral: n % 2 === 0,
      parentCVersion: n,
    },
    { type: OpCode.setData, path: `/n${n - 1}`, data: Buffer.alloc(n % 50, n), version: n },
    { type: OpCode.delete, path: `/n${n - 2}` },
    { type: OpCode.createSession, timeOut: 30000 + n },
    {
      type: OpCode.multi,
      txns: [
        { type: OpCode.check, path: '/', version: 1 },
        { type: OpCode.setACL, path: `/m${n}`, acl: OPEN_ACL_UNSAFE, version: 2 },
      ],
    },
  ];
  const txn = kinds[n % kinds.length];
  return {
    header: {
      clientId: 0x1000n + zxid,
      cxid: n,
      zxid,
      time: 1_700_000_000_000n + zxid,
      type: txn.type,
    },
    txn,
  };
}

export function sampleTxns(from: number, to: number): LoggedTxn[] {
  const out: LoggedTxn[] = [];
  for (let z = from; z <= to; z++) {
    out.push(sampleTxn(BigInt(z)));
  }
  return out;
}

/** Lets pending I/O callbacks and setImmediate-scheduled work run. */
export function tick(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export async function until(cond: () => boolean, what: string, limit = 10000): Promise<void> {
  for (let i = 0; i < limit; i++) {
    if (cond()) {
      return;
    }
    await tick();
  }
  throw new Error(`never happened: ${what}`);
}

export function stat(zxid: bigint): PersistedNodeStat {
  return {
    czxid: zxid,
    mzxid: zxid + 1n,
    ctime: 1n,
    mtime: 2n,
    version: 3,
    cversion: 4,
    aversion: -1,
    ephemeralOwner: 0n,
    pzxid: zxid + 2n,
  };
}

/** A tiny stand-in for the DataTree: a Map, walked in sorted order (parents sort first). */
export class FakeTree {
  readonly nodes = new Map<string, PersistedNode>();

  set(p: string, data: string, zxid = 1n): this {
    this.nodes.set(p, { path: p, data: Buffer.from(data), acl: OPEN_ACL_UNSAFE, stat: stat(zxid) });
    return this;
  }

  /** Sorted paths: a parent is a prefix of its children, so it sorts first. */
  sorted(): PersistedNode[] {
    return [...this.nodes.keys()].sort().map((p) => this.nodes.get(p) as PersistedNode);
  }

  forEachNode(cb: (p: string, node: Omit<PersistedNode, 'path'>) => void): void {
    for (const n of this.sorted()) {
      cb(n.path, n);
    }
  }

  content(zxid: bigint, sessions = [{ id: 7n, timeout: 4000 }]): SnapshotContent {
    return { zxid, nodes: this, sessions };
  }
}

/** The real fs with fdatasync/writev counted, and fdatasync optionally held or failed. */
export class CountingFs implements SyncFs {
  fdatasyncs = 0;
  writevs = 0;
  /** When set, each fdatasync waits for release() (or fails with fail()). */
  hold = false;
  private held: Array<{
    resolve: () => void;
    reject: (e: Error) => void;
    run: () => Promise<void>;
  }> = [];
  failNextSync: Error | null = null;

  get heldSyncs(): number {
    return this.held.length;
  }

  release(): void {
    const h = this.held.shift();
    if (!h) {
      throw new Error('no fdatasync is held');
    }
    h.run().then(h.resolve, h.reject);
  }

  failHeld(err: Error): void {
    const h = this.held.shift();
    if (!h) {
      throw new Error('no fdatasync is held');
    }
    h.reject(err);
  }

  open = nodeSyncFs.open;
  writev = (fd: number, buffers: Buffer[], position: number) => {
    this.writevs++;
    return nodeSyncFs.writev(fd, buffers, position);
  };
  fdatasync = (fd: number): Promise<void> => {
    this.fdatasyncs++;
    if (this.failNextSync) {
      const err = this.failNextSync;
      this.failNextSync = null;
      return Promise.reject(err);
    }
    if (!this.hold) {
      return nodeSyncFs.fdatasync(fd);
    }
    return new Promise<void>((resolve, reject) =>
      this.held.push({ resolve, reject, run: () => nodeSyncFs.fdatasync(fd) }),
    );
  };
  fsync = nodeSyncFs.fsync;
  ftruncate = nodeSyncFs.ftruncate;
  close = nodeSyncFs.close;
  read = nodeSyncFs.read;
  size = nodeSyncFs.size;
  readFile = nodeSyncFs.readFile;
  readdir = nodeSyncFs.readdir;
  rename = nodeSyncFs.rename;
  unlink = nodeSyncFs.unlink;
  mkdir = nodeSyncFs.mkdir;
  syncDir = nodeSyncFs.syncDir;
}

/**
 * CountingFs with the blocking calls the txn log uses for small batches, counted and
 * recorded in order with the moments appends resolve (see `events`).
 */
export class BlockingCountingFs extends CountingFs {
  blockingWrites = 0;
  blockingSyncs = 0;
  failNextBlockingSync: Error | null = null;
  readonly events: string[] = [];

  writevBlocking = (fd: number, buffers: Buffer[], position: number): number => {
    this.blockingWrites++;
    this.events.push('write');
    return fs.writevSync(fd, buffers, position);
  };

  fdatasyncBlocking = (fd: number): void => {
    this.blockingSyncs++;
    if (this.failNextBlockingSync) {
      const err = this.failNextBlockingSync;
      this.failNextBlockingSync = null;
      this.events.push('sync failed');
      throw err;
    }
    fs.fdatasyncSync(fd);
    this.events.push('sync');
  };
}

/** A deep copy of a txn (its Buffers too): what recovery hands out is valid only during the call. */
export function copyTxn<T>(value: T): T {
  if (Buffer.isBuffer(value)) return Buffer.from(value) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => copyTxn(v)) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = copyTxn(v);
    return out as T;
  }
  return value;
}
