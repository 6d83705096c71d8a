import { KeeperError, NoNodeError } from '@shepherd/zk-protocol';
import { ReadRequest, ReadResult, ZooKeeperClient } from '@shepherd/zk-client';
import { ROOTS, paths } from '../layout/paths';
import { decodeRecord } from '../model/record-codec';
import { StoredTask, TaskArea } from './task-location';

/** Assignment reads per multiRead: keeps each request and reply far below jute.maxbuffer. */
const ASSIGN_READS_PER_MULTI = 256;
/** A task moving between areas while it is read can be missed once; look again this often. */
const READ_ROUNDS = 3;

function found(result: ReadResult, area: TaskArea, path: string, workerId?: string) {
  if (result instanceof NoNodeError) return undefined;
  if (result instanceof KeeperError) throw result;
  if (!('data' in result)) return undefined;
  const stored: StoredTask = {
    record: decodeRecord(result.data, path),
    area,
    path,
    version: result.stat.version,
    stat: result.stat,
  };
  if (workerId !== undefined) stored.workerId = workerId;
  return stored;
}

/**
 * Finds a task wherever it is: one multiRead of its four bucketed places, then, if it is in
 * none, its assignment under each worker (a task in flight). Each transition is one multi, so
 * a task is always in exactly one place; a read racing a move can still miss it, hence the few
 * rounds before answering null.
 */
export async function readTask(client: ZooKeeperClient, id: string): Promise<StoredTask | null> {
  for (let round = 0; round < READ_ROUNDS; round++) {
    const places: [TaskArea, string][] = [
      ['waiting', paths.waiting(id)],
      ['tasks', paths.task(id)],
      ['status', paths.status(id)],
      ['dead', paths.dead(id)],
    ];
    const results = await client.multiRead(places.map(([, path]) => ({ type: 'getData', path })));
    for (let i = 0; i < places.length; i++) {
      const hit = found(results[i], places[i][0], places[i][1]);
      if (hit) return hit;
    }
    const hit = await readAssignment(client, id);
    if (hit) return hit;
  }
  return null;
}

async function readAssignment(client: ZooKeeperClient, id: string) {
  let workers: string[];
  try {
    workers = await client.getChildren(ROOTS.assign);
  } catch (err) {
    if (err instanceof NoNodeError) return undefined;
    throw err;
  }
  for (let i = 0; i < workers.length; i += ASSIGN_READS_PER_MULTI) {
    const chunk = workers.slice(i, i + ASSIGN_READS_PER_MULTI);
    const reads: ReadRequest[] = chunk.map((w) => ({
      type: 'getData',
      path: paths.assignment(w, id),
    }));
    const results = await client.multiRead(reads);
    for (let j = 0; j < chunk.length; j++) {
      const hit = found(results[j], 'assign', reads[j].path, chunk[j]);
      if (hit) return hit;
    }
  }
  return undefined;
}
