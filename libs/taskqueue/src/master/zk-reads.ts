import { KeeperError, NoNodeError, Stat } from '@shepherd/zk-protocol';
import { Watcher, ZooKeeperClient } from '@shepherd/zk-client';
import { BUCKETS } from '../layout/buckets';

/** Children of `path`, or null when it does not exist (then no watch is set). */
export async function childrenOrNull(
  client: ZooKeeperClient,
  path: string,
  watcher?: Watcher,
): Promise<string[] | null> {
  try {
    return await client.getChildren(path, watcher);
  } catch (err) {
    if (err instanceof NoNodeError) return null;
    throw err;
  }
}

/** Data of `path`, or null when it does not exist (then no watch is set). */
export async function dataOrNull(
  client: ZooKeeperClient,
  path: string,
  watcher?: Watcher,
): Promise<{ data: Buffer | null; stat: Stat } | null> {
  try {
    return await client.getData(path, watcher);
  } catch (err) {
    if (err instanceof NoNodeError) return null;
    throw err;
  }
}

/**
 * `fn` over every item with at most `width` calls in flight: reads are pipelined on the one
 * connection (replies come back in order) without queueing thousands of requests at once.
 */
export async function pipelined<T, R>(
  items: readonly T[],
  width: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, lane));
  return out;
}

/**
 * Names of every child of the 256 buckets under `root`, with one multiRead per
 * `bucketsPerRead` buckets. 32 buckets of a 100,000-task backlog reply with ~330 KB, a third of
 * jute.maxbuffer; areas that can hold a million names (/status) are listed bucket by bucket
 * instead (listBucket).
 */
export async function listBucketed(
  client: ZooKeeperClient,
  root: string,
  bucketsPerRead = 32,
): Promise<string[]> {
  const names: string[] = [];
  for (let i = 0; i < BUCKETS.length; i += bucketsPerRead) {
    const chunk = BUCKETS.slice(i, i + bucketsPerRead);
    const results = await client.multiRead(
      chunk.map((b) => ({ type: 'getChildren' as const, path: `${root}/${b}` })),
    );
    for (const r of results) {
      if (r instanceof NoNodeError) continue;
      if (r instanceof KeeperError) throw r;
      if ('children' in r) for (const name of r.children) names.push(name);
    }
  }
  return names;
}
