import { TaskQueueClient } from '@shepherd/taskqueue';
import { ZooKeeperClient } from '@shepherd/zk-client';
import { auditTree, duplicates } from '../../test/support/taskqueue/tree-audit';

export interface TerminalAudit {
  submitted: number;
  /** Submitted tasks with exactly one terminal record, in state done. */
  doneOnce: number;
  /** Submitted tasks found nowhere in the tree. */
  lost: number;
  /** Tasks found in more than one place (a broken invariant). */
  inTwoPlaces: number;
  /** Submitted tasks whose one record is not a done terminal record (queued, dead, failed...). */
  notDone: number;
}

/**
 * Every submitted task must end with exactly one terminal record, done: the tree is listed
 * whole (names in every area) and the done records are read page by page through the client.
 * Run once the queue is quiet.
 */
export async function auditTerminal(
  client: TaskQueueClient,
  zk: ZooKeeperClient,
  ids: readonly string[],
): Promise<TerminalAudit> {
  const tree = await auditTree(zk);
  const done = new Set<string>();
  let cursor: string | undefined;
  do {
    const page = await client.list({ state: 'done', limit: 1000, cursor });
    for (const t of page.items) done.add(t.id);
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  let doneOnce = 0;
  let lost = 0;
  let notDone = 0;
  for (const id of ids) {
    const places = tree.places.get(id) ?? [];
    if (places.length === 0) lost++;
    else if (places.length === 1 && places[0].startsWith('/status/') && done.has(id)) doneOnce++;
    else if (places.length === 1) notDone++;
  }
  return {
    submitted: ids.length,
    doneOnce,
    lost,
    inTwoPlaces: duplicates(tree).length,
    notDone,
  };
}
