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

/** The data and stat of a multiRead result, or undefined for NoNode. */
export function dataOf(result: ReadResult): { data: Buffer; stat: Stat } | undefined {
  if (result instanceof NoNodeError) return undefined;
  if (result instanceof KeeperError) throw result;
  return 'data' in result ? result : undefined;
}
