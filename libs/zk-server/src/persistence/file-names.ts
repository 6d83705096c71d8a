import { SyncFs } from './sync-fs';

/**
 * File naming shared by the log, snapshots, recovery and purge. Like ZooKeeper (Util.makeLogName,
 * Util.makeSnapshotName, Util.getZxidFromName) a file is named after a zxid in lower-case hex
 * without padding: a log file after the first zxid it holds, a snapshot after the last zxid it
 * covers. Anything else in the directory (temp files, renamed-aside files) is ignored.
 */

export const LOG_PREFIX = 'log';
export const SNAPSHOT_PREFIX = 'snapshot';

export interface ZxidFile {
  name: string;
  zxid: bigint;
}

export function makeLogName(zxid: bigint): string {
  return `${LOG_PREFIX}.${zxid.toString(16)}`;
}

export function makeSnapshotName(zxid: bigint): string {
  return `${SNAPSHOT_PREFIX}.${zxid.toString(16)}`;
}

const NAME = /^([a-z]+)\.([0-9a-f]{1,16})$/;

/** The zxid in `<prefix>.<hex>`, or null if `name` is not exactly such a file. */
export function zxidFromName(name: string, prefix: string): bigint | null {
  const m = NAME.exec(name);
  if (!m || m[1] !== prefix) {
    return null;
  }
  return BigInt(`0x${m[2]}`);
}

/** Files `<prefix>.<hex>` among `names`, oldest (smallest zxid) first (Util.sortDataDir). */
export function filterZxidFiles(names: readonly string[], prefix: string): ZxidFile[] {
  const out: ZxidFile[] = [];
  for (const name of names) {
    const zxid = zxidFromName(name, prefix);
    if (zxid !== null) {
      out.push({ name, zxid });
    }
  }
  return out.sort((a, b) => (a.zxid < b.zxid ? -1 : a.zxid > b.zxid ? 1 : 0));
}

/** The names in `dir`, or none when it does not exist yet (a first start). */
export async function readdirOrEmpty(sfs: SyncFs, dir: string): Promise<string[]> {
  try {
    return await sfs.readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      return [];
    }
    throw err;
  }
}

export async function listZxidFiles(sfs: SyncFs, dir: string, prefix: string) {
  return filterZxidFiles(await readdirOrEmpty(sfs, dir), prefix);
}
