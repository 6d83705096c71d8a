import { KeeperError, NoNodeError, Stat } from '@shepherd/zk-protocol';
import { ReadRequest, ReadResult, ZooKeeperClient } from '@shepherd/zk-client';

/**
 * Reads per multiRead: small records, so a reply stays far below jute.maxbuffer (1 MiB), and
 * one request and one reply carry 64 reads instead of 64 of each (multiRead, ZooKeeper 3.6+).
 */
const READS_PER_MULTI = 64;

/** Many reads, in slices of one multiRead each, all sent at once; results in order. */
export async function multiReadAll(
  client: ZooKeeperClient,
  reads: readonly ReadRequest[],
): Promise<ReadResult[]> {
  const slices: Promise<ReadResult[]>[] = [];
  for (let i = 0; i < reads.length; i += READS_PER_MULTI)
    slices.push(client.multiRead(reads.slice(i, i + READS_PER_MULTI)));
  return (await Promise.all(slices)).flat();
}

/** getData of many paths (multiReadAll). */
export function readMany(client: ZooKeeperClient, list: readonly string[]) {
  return multiReadAll(
    client,
    list.map((path) => ({ type: 'getData' as const, path })),
  );
}

/** The data (bytesOf) and stat of a multiRead result, or undefined for NoNode. */
export function dataOf(result: ReadResult): { data: Buffer; stat: Stat } | undefined {
  if (result instanceof NoNodeError) return undefined;
  if (result instanceof KeeperError) throw result;
  if (!('data' in result)) return undefined;
  return result.data === null
    ? { data: NO_BYTES, stat: result.stat }
    : (result as { data: Buffer; stat: Stat });
}

const NO_BYTES = Buffer.alloc(0);

/**
 * A znode's data as the task queue parses it. Every node it writes holds bytes; one created or
 * set with null data (ZooKeeper answers null for those, not empty bytes: another tool wrote it)
 * reads as empty bytes, which each parser then reports as unreadable like any foreign content.
 */
export function bytesOf(data: Buffer | null): Buffer {
  return data ?? NO_BYTES;
}
