import { OPEN_ACL_UNSAFE } from '@shepherd/zk-protocol';
import { ZooKeeperClient } from '@shepherd/zk-client';
import {
  BatchItem,
  assignTransition,
  commitBatch,
  completeTransition,
  ensureLayout,
  newTaskId,
  newTaskRecord,
  startTransition,
} from '@shepherd/taskqueue';

export interface SeedSettings {
  records: number;
  /** The records' submit times are spread evenly over the last this many ms. */
  spanMs: number;
  /** Creates per multi (commitBatch splits further only past the size limits). */
  perMulti: number;
  /** Multis in flight at once. */
  inFlight: number;
  seed: number;
}

export interface SeedResult {
  records: number;
  ms: number;
  recordsPerSec: number;
  /** Encoded size of one record, bytes. */
  recordBytes: number;
  /** The oldest and newest seeded ids (the first is pruned, the second kept). */
  oldestId: string;
  newestId: string;
}

/** A small seeded generator (mulberry32), so two runs seed the same ids. */
function randomSource(seed: number): () => Buffer {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) & 0xff;
  };
  return () => Buffer.from(Array.from({ length: 8 }, next));
}

const SEED_WORKERS = 8;

/**
 * The /status record a no-op task leaves, built by the library's own transitions in the order a
 * real run applies them (submitted, assigned by the master, started and completed by a worker),
 * each step 1 ms after the last. Only the completion's create is kept: the assignment it would
 * delete never existed.
 */
function doneRecordItem(id: string, createdAt: number, worker: string): BatchItem<string> {
  const at = (dt: number) => ({ acl: OPEN_ACL_UNSAFE, now: createdAt + dt });
  const queued = newTaskRecord(id, 'noop', null, {}, createdAt);
  const assigned = assignTransition(at(1), queued, 0, {
    workerId: worker,
    session: '0',
  }).record;
  const running = startTransition(at(2), assigned, 0).record;
  const done = completeTransition(at(3), running, 1, null);
  return { ops: [done.ops[0]], value: id };
}

/**
 * Writes `records` done records into /status (the layout first, as any role would), oldest
 * first, as pipelined multis of `perMulti` creates. `onProgress` gets the count written.
 */
export async function seedDoneRecords(
  client: ZooKeeperClient,
  s: SeedSettings,
  onProgress: (written: number) => void,
): Promise<SeedResult> {
  await ensureLayout(client);
  const random = randomSource(s.seed);
  const now = Date.now();
  const step = s.spanMs / s.records;
  let next = 0;
  let written = 0;
  let oldestId = '';
  let newestId = '';
  let recordBytes = 0;
  const started = Date.now();
  const lane = async (): Promise<void> => {
    while (next < s.records) {
      const from = next;
      const to = Math.min(s.records, from + s.perMulti);
      next = to;
      const items: BatchItem<string>[] = [];
      for (let i = from; i < to; i++) {
        const createdAt = Math.floor(now - s.spanMs + i * step);
        const id = newTaskId(createdAt, random());
        items.push(doneRecordItem(id, createdAt, `seed-worker-${i % SEED_WORKERS}`));
        if (i === 0) oldestId = id;
        if (i === s.records - 1) newestId = id;
      }
      const op = items[0].ops[0];
      if (recordBytes === 0 && op.type === 'create') recordBytes = op.data?.length ?? 0;
      const outcome = await commitBatch(client, items);
      if (outcome.rejected.length > 0)
        throw new Error(`seeding: ${outcome.rejected.length} creates refused`);
      written += to - from;
      onProgress(written);
    }
  };
  await Promise.all(Array.from({ length: s.inFlight }, lane));
  const ms = Date.now() - started;
  return {
    records: written,
    ms,
    recordsPerSec: written / (ms / 1000),
    recordBytes,
    oldestId,
    newestId,
  };
}
