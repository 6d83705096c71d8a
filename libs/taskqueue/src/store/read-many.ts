import { KeeperError, NoNodeError, Stat } from '@shepherd/zk-protocol';
import { ReadResult, ZooKeeperClient } from '@shepherd/zk-client';

/**
 * Reads per multiRead: small records, so a reply stays far below jute.maxbuffer (1 MiB), and
 * one request and one reply carry 64 reads instead of 64 of each (multiRead, ZooKeeper 3.6+).
 */
export const READS_PER_MULTI = 64;

/** getData of many paths, in slices of one multiRead each, all sent at once; in order. */
export async function readMany(client: ZooKeeperClient, list: readonly string[]) {
  const slices: Promise<ReadResult[]>[] = [];
  for (let i = 0; i < list.length; i += READS_PER_MULTI)
    slices.push(
      client.multiRead(
        list.slice(i, i + READS_PER_MULTI).map((path) => ({ type: 'getData' as const, path })),
      ),
    );
  return (await Promise.all(slices)).flat();
}

/** The data and stat of a multiRead result, or undefined for NoNode. */
export function dataOf(result: ReadResult): { data: Buffer; stat: Stat } | undefined {
  if (result instanceof NoNodeError) return undefined;
  if (result instanceof KeeperError) throw result;
  return 'data' in result ? result : undefined;
}
