/**
 * Why buckets: ZooKeeper returns a child list in one reply, and a reply must fit jute.maxbuffer
 * (1 MiB by default). A task id is 22 bytes, so a flat `/status` holding 1,000,000 records would
 * answer getChildren with ~26 MB and be refused. Spreading every task area over 256 buckets keeps
 * a bucket at ~3,900 names (~100 KB) for a million records and ~400 names for a 100,000-task
 * backlog: a tenth of the limit with room to spare.
 *
 * The bucket of a task is a pure function of its id, so any process finds a task without an
 * index, and a task keeps its bucket as it moves between `/tasks`, `/status` and `/dead`.
 */
export const BUCKET_COUNT = 256;

/** Two lowercase hex digits: "00" .. "ff". */
export const BUCKETS: readonly string[] = Object.freeze(
  Array.from({ length: BUCKET_COUNT }, (_, i) => i.toString(16).padStart(2, '0')),
);

/** FNV-1a (32-bit) of the key, folded to a bucket name. Stable across processes and versions. */
export function bucketOf(key: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return BUCKETS[(h >>> 0) % BUCKET_COUNT];
}
