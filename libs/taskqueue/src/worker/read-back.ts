import { ZooKeeperClient, isRetryable } from '@shepherd/zk-client';
import { BadVersionError, NoNodeError } from '@shepherd/zk-protocol';
import { HistoryEntry } from '../model/task-record';
import { readTask } from '../store/task-reader';
import { Transition } from '../transitions/transition';

/**
 * The assignment znode a worker holds, as it last knew it. `czxid` tells a re-assignment of
 * the same task to the same worker (a new node at the same path) from the node it read.
 */
export interface AssignmentRef {
  path: string;
  version: number;
  czxid: bigint;
}

/** What a write whose reply was lost (ConnectionLoss) turned out to be. */
export type Landing = 'applied' | 'not-applied' | 'taken';

function sameEntry(a: HistoryEntry, b: HistoryEntry): boolean {
  return a.at === b.at && a.event === b.event && a.worker === b.worker && a.detail === b.detail;
}

/**
 * Repeats a read while it fails with ConnectionLoss. No sleep is needed: a request sent while
 * the client reconnects waits in its queue until the session is back (or fails as expired).
 */
export async function retryingRead<T>(read: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      return await read();
    } catch (err) {
      if (!isRetryable(err)) throw err;
    }
  }
}

/**
 * A move out of the assignment (complete, fail, hand back) lost its reply. The book's rule:
 * find out before trying again. Still at the assignment we read, at its version: it did not
 * happen, and sending it again is safe. Elsewhere with our history entry (the last one the
 * transition appended): it happened. Anything else: the task was taken from us.
 */
export async function readBackMove(
  client: ZooKeeperClient,
  transition: Transition,
  from: AssignmentRef,
): Promise<Landing> {
  const mark = transition.record.history[transition.record.history.length - 1];
  const stored = await retryingRead(() => readTask(client, transition.record.id));
  if (stored === null) return 'taken';
  if (stored.path === from.path && stored.stat.czxid === from.czxid)
    return stored.version === from.version ? 'not-applied' : 'taken';
  return stored.record.history.some((h) => sameEntry(h, mark)) ? 'applied' : 'taken';
}

/**
 * A versioned setData on the worker's own assignment (start, progress). Returns the new
 * version, or null when the assignment is gone or changed under us (cancelled or taken back).
 * After a ConnectionLoss it reads the node back (readBackSet) before sending it again.
 */
export async function versionedSet(
  client: ZooKeeperClient,
  ref: AssignmentRef,
  data: Buffer,
): Promise<number | null> {
  for (;;) {
    try {
      return (await client.setData(ref.path, data, ref.version)).version;
    } catch (err) {
      if (err instanceof BadVersionError || err instanceof NoNodeError) return null;
      if (!isRetryable(err)) throw err;
    }
    const seen = await readBackSet(client, ref, data);
    if (seen !== 'not-applied') return seen;
  }
}

/**
 * A versioned setData whose reply was lost: our bytes at version + 1 mean it landed (the new
 * version), the old version means it did not ('not-applied': safe to send again), anything
 * else means the assignment is no longer ours (null).
 */
export async function readBackSet(
  client: ZooKeeperClient,
  ref: AssignmentRef,
  data: Buffer,
): Promise<number | null | 'not-applied'> {
  let seen: { data: Buffer | null; version: number; czxid: bigint };
  try {
    seen = await retryingRead(async () => {
      const r = await client.getData(ref.path);
      return { data: r.data, version: r.stat.version, czxid: r.stat.czxid };
    });
  } catch (err) {
    if (err instanceof NoNodeError) return null;
    throw err;
  }
  if (seen.czxid !== ref.czxid) return null;
  if (seen.version === ref.version + 1 && seen.data?.equals(data)) return seen.version;
  return seen.version === ref.version ? 'not-applied' : null;
}
