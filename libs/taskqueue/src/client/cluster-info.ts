import { KeeperError, NoNodeError } from '@shepherd/zk-protocol';
import { ReadResult, ZooKeeperClient } from '@shepherd/zk-client';
import { BUCKETS } from '../layout/buckets';
import { ROOTS, paths } from '../layout/paths';
import {
  CandidateRegistration,
  WorkerRegistration,
  parseCandidateRegistration,
  parseWorkerRegistration,
} from '../model/registration';
import { isTaskId } from '../model/task-id';
import { bytesOf, multiReadAll } from '../store/read-many';

/** A live worker as it registered itself, with the tasks it holds now. */
export interface WorkerView extends WorkerRegistration {
  /** Ids under /assign/<id>: assigned or running. */
  running: string[];
}

export interface MasterCandidateView extends CandidateRegistration {
  /** The candidate's election znode (the leader's is what its multis are fenced on). */
  node: string;
}

export interface MastersView {
  leader: string | null;
  /** In election order: the first one leads. */
  candidates: MasterCandidateView[];
}

export interface QueueCounts {
  /** Flow tasks whose dependencies have not all ended (/waiting). */
  waiting: number;
  queued: number;
  inFlight: number;
  finished: number;
  dead: number;
}

/** A /workers/<id> node's data, as shown: a worker that wrote no concurrency shows 1. */
export function parseWorkerView(id: string, data: Buffer, running: string[]): WorkerView {
  return { ...parseWorkerRegistration(id, data, (written) => written ?? 1), running };
}

/** An election node's data (see parseCandidateRegistration), with the node's path. */
export function parseCandidate(node: string, data: Buffer): MasterCandidateView {
  return { ...parseCandidateRegistration(data), node };
}

/** The sequence number ZooKeeper appended to a sequential node's name (its last 10 digits). */
export function sequenceOf(name: string): number {
  const m = /(\d{10})$/.exec(name);
  return m ? Number(m[1]) : Number.MAX_SAFE_INTEGER;
}

/** Election order: lowest sequence first (the leader). */
export function electionOrder(names: readonly string[]): string[] {
  return [...names].sort((a, b) => sequenceOf(a) - sequenceOf(b) || (a < b ? -1 : 1));
}

async function childrenOrEmpty(client: ZooKeeperClient, path: string): Promise<string[]> {
  try {
    return await client.getChildren(path);
  } catch (err) {
    if (err instanceof NoNodeError) return [];
    throw err;
  }
}

function present(result: ReadResult): boolean {
  if (result instanceof NoNodeError) return false;
  if (result instanceof KeeperError) throw result;
  return true;
}

export async function readWorkers(client: ZooKeeperClient): Promise<WorkerView[]> {
  const ids = (await childrenOrEmpty(client, ROOTS.workers)).sort();
  const [data, assigned] = await Promise.all([
    multiReadAll(
      client,
      ids.map((id) => ({ type: 'getData', path: paths.worker(id) })),
    ),
    multiReadAll(
      client,
      ids.map((id) => ({ type: 'getChildren', path: paths.assignRoot(id) })),
    ),
  ]);
  const workers: WorkerView[] = [];
  ids.forEach((id, i) => {
    const d = data[i];
    const a = assigned[i];
    if (!present(d) || !('data' in d)) return; // left between the two reads
    const running = present(a) && 'children' in a ? a.children.filter(isTaskId).sort() : [];
    workers.push(parseWorkerView(id, bytesOf(d.data), running));
  });
  return workers;
}

export async function readMasters(client: ZooKeeperClient): Promise<MastersView> {
  const names = electionOrder(await childrenOrEmpty(client, ROOTS.election));
  const nodes = names.map((n) => `${ROOTS.election}/${n}`);
  const data = await multiReadAll(
    client,
    nodes.map((path) => ({ type: 'getData', path })),
  );
  const candidates: MasterCandidateView[] = [];
  nodes.forEach((node, i) => {
    const d = data[i];
    if (present(d) && 'data' in d) candidates.push(parseCandidate(node, bytesOf(d.data)));
  });
  return { leader: candidates[0]?.id ?? null, candidates };
}

/** The leading candidate only: one list and one read. */
export async function readLeader(client: ZooKeeperClient): Promise<MasterCandidateView | null> {
  for (const name of electionOrder(await childrenOrEmpty(client, ROOTS.election))) {
    const node = `${ROOTS.election}/${name}`;
    try {
      return parseCandidate(node, bytesOf((await client.getData(node)).data));
    } catch (err) {
      if (!(err instanceof NoNodeError)) throw err; // gone meanwhile: the next one leads
    }
  }
  return null;
}

async function countOrZero(client: ZooKeeperClient, path: string): Promise<number> {
  try {
    return await client.getAllChildrenNumber(path);
  } catch (err) {
    if (err instanceof NoNodeError) return 0;
    throw err;
  }
}

/**
 * How many records a bucketed area holds: one multiRead of its 256 bucket nodes, whose stats
 * carry their numbers of children. getAllChildrenNumber would walk every record on the server
 * (ZooKeeper's walks its whole tree), a quarter of a second of server CPU at a million records
 * and the cost of every /stats poll; this costs 256 lookups at any size. A missing bucket
 * (the layout not made yet) counts 0.
 */
async function bucketedCount(client: ZooKeeperClient, root: string): Promise<number> {
  const results = await client.multiRead(
    BUCKETS.map((b) => ({ type: 'getData' as const, path: `${root}/${b}` })),
  );
  let n = 0;
  for (const r of results) if ('stat' in r) n += r.stat.numChildren;
  return n;
}

/**
 * Sizes of the areas without listing them. Assignments are few (at most the workers'
 * capacity): getAllChildrenNumber of /assign, minus its worker folders.
 */
export async function readCounts(client: ZooKeeperClient): Promise<QueueCounts> {
  const [waiting, queued, finished, dead, assign, folders] = await Promise.all([
    bucketedCount(client, ROOTS.waiting),
    bucketedCount(client, ROOTS.tasks),
    bucketedCount(client, ROOTS.status),
    bucketedCount(client, ROOTS.dead),
    countOrZero(client, ROOTS.assign),
    childrenOrEmpty(client, ROOTS.assign),
  ]);
  return { waiting, queued, inFlight: Math.max(0, assign - folders.length), finished, dead };
}
