import { NoNodeError } from '@shepherd/zk-protocol';
import { ZooKeeperClient } from '@shepherd/zk-client';
import { BUCKETS, ROOTS, decodeRecord, paths } from '@shepherd/taskqueue';

export interface TreeAudit {
  /** Task id -> every place it was found. More than one is a broken invariant. */
  places: Map<string, string[]>;
  queued: number;
  inFlight: number;
  finished: number;
  dead: number;
  /** Flow tasks waiting for their dependencies. */
  waiting: number;
}

async function children(client: ZooKeeperClient, path: string): Promise<string[]> {
  try {
    return await client.getChildren(path);
  } catch (err) {
    if (err instanceof NoNodeError) return [];
    throw err;
  }
}

/**
 * Lists every task in every area. Not atomic (a task can move between two reads), so callers
 * that assert "exactly one place" run it while the cluster is quiet, or accept only the
 * "never in two places at once" direction by checking ids seen twice with a second audit.
 */
export async function auditTree(client: ZooKeeperClient): Promise<TreeAudit> {
  const audit: TreeAudit = {
    places: new Map(),
    queued: 0,
    inFlight: 0,
    finished: 0,
    dead: 0,
    waiting: 0,
  };
  const add = (id: string, where: string) => {
    const list = audit.places.get(id) ?? [];
    list.push(where);
    audit.places.set(id, list);
  };
  for (const [root, field] of [
    [ROOTS.tasks, 'queued'],
    [ROOTS.status, 'finished'],
    [ROOTS.dead, 'dead'],
    [ROOTS.waiting, 'waiting'],
  ] as const) {
    for (let i = 0; i < BUCKETS.length; i += 32) {
      const reads = BUCKETS.slice(i, i + 32).map((b) => ({
        type: 'getChildren' as const,
        path: `${root}/${b}`,
      }));
      const results = await client.multiRead(reads);
      results.forEach((r, j) => {
        if (!('children' in r)) return;
        for (const id of r.children) {
          add(id, `${reads[j].path}/${id}`);
          audit[field]++;
        }
      });
    }
  }
  for (const w of await children(client, ROOTS.assign)) {
    for (const id of await children(client, paths.assignRoot(w))) {
      add(id, paths.assignment(w, id));
      audit.inFlight++;
    }
  }
  return audit;
}

/** Ids found in more than one place. */
export function duplicates(audit: TreeAudit): [string, string[]][] {
  return [...audit.places].filter(([, where]) => where.length > 1);
}

/** The terminal record of a finished task. */
export async function statusRecord(client: ZooKeeperClient, id: string) {
  return decodeRecord((await client.getData(paths.status(id))).data, paths.status(id));
}
