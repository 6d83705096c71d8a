import { KeeperError, NoNodeError } from '@shepherd/zk-protocol';
import { ReadResult, ZooKeeperClient } from '@shepherd/zk-client';
import { BUCKETS, BUCKET_COUNT } from '../layout/buckets';
import { ROOTS, paths } from '../layout/paths';
import { compareSubmitOrder, isTaskId } from '../model/task-id';
import { CorruptTaskRecordError, TaskRecord } from '../model/task-record';
import { decodeRecord } from '../model/record-codec';
import { pipelined } from '../master/zk-reads';
import { TaskArea } from '../store/task-location';
import { ClientContext } from './client-options';
import { ListQuery, TaskPage, areasFor, bucketsPerRead, checkListQuery } from './list-query';
import { ListedFolder, ListedTask, newestFirst } from './newest-first';
import { retrying } from './session-retry';
import { StatusListing, StatusWindow } from './status-window';
import { TaskView, toTaskView } from './task-view';

/** Worker folders under /assign listed per multiRead (each holds a handful of tasks). */
const ASSIGN_FOLDERS_PER_READ = 32;
const MIN_READ_CHUNK = 16;
/** multiReads of bucket lists in flight at once. */
const LIST_READS_IN_FLIGHT = 4;
const MAX_READ_CHUNK = 100;

/**
 * One page of tasks, newest first. The names of every area the query needs are listed (cheap:
 * ids only), taken newest first (newestFirst), and records are read in pipelined chunks until
 * the page is full, so a page costs its own records plus the child lists, never the whole
 * backlog's data. Records are read with getData each, not multiRead: one record may be most of
 * jute.maxbuffer.
 *
 * /status, where a million records can sit, comes from the client's StatusWindow when one is
 * given and warm: then only names at or after the window's floor come from it, and a page that
 * goes past the floor lists the server for the older ones (phase two below).
 */
export async function listTasks(
  ctx: ClientContext,
  query?: ListQuery,
  window?: StatusWindow,
): Promise<TaskPage<TaskView>> {
  const q = checkListQuery(query);
  // /status from the window when there is one; everything else (and /status without one)
  // from the server.
  const listOne = (client: ZooKeeperClient, area: TaskArea): Promise<StatusListing> =>
    area === 'status' && window
      ? window.list(client, () => listArea(client, 'status'))
      : listArea(client, area).then((folders) => ({ folders }));
  const listed = await Promise.all(
    areasFor(q.state).map((area) =>
      retrying(ctx.connection, ctx.clock, (client) => listOne(client, area)),
    ),
  );
  const floor = listed.find((l) => l.floor !== undefined)?.floor;
  const others = listed.filter((l) => l.floor === undefined).flatMap((l) => l.folders);
  const candidates = pageCandidates(
    ctx,
    q.cursor,
    listed.flatMap((l) => l.folders),
    floor,
    others,
  );
  let pending = await candidates.next();
  const items: TaskView[] = [];
  /** Whether a candidate was left after the last item taken: then there may be a next page. */
  let left = false;
  while (!pending.done && items.length < q.limit) {
    const size = Math.min(MAX_READ_CHUNK, Math.max(MIN_READ_CHUNK, q.limit - items.length));
    const chunk: ListedTask[] = [];
    for (; !pending.done && chunk.length < size; pending = await candidates.next())
      chunk.push(pending.value);
    const records = await retrying(ctx.connection, ctx.clock, (client) =>
      Promise.all(chunk.map((t) => readRecord(ctx, client, `${t.folder}/${t.id}`))),
    );
    for (let j = 0; j < chunk.length && items.length < q.limit; j++) {
      const record = records[j];
      if (record === undefined) continue; // moved or pruned since it was listed
      const view = toTaskView(record, chunk[j].area, chunk[j].workerId);
      if (q.state !== undefined && view.state !== q.state) continue;
      if (q.type !== undefined && view.type !== q.type) continue;
      items.push(view);
      left = j < chunk.length - 1 || !pending.done;
    }
  }
  const page: TaskPage<TaskView> = { items };
  if (items.length === q.limit && left) page.nextCursor = items[items.length - 1].id;
  return page;
}

/**
 * The candidates of a page, newest first after the cursor. Without a floor: every listed name.
 * With one (the /status names are the window's, complete only at or after the floor): the
 * names at or after the floor first; then, only if the page goes on past it, /status is listed
 * from the server and the names before the floor follow, from it and the other areas.
 */
async function* pageCandidates(
  ctx: ClientContext,
  cursor: string | undefined,
  listed: ListedFolder[],
  floor: string | undefined,
  others: ListedFolder[],
): AsyncGenerator<ListedTask, void, undefined> {
  if (floor === undefined) {
    yield* newestFirst(listed, cursor);
    return;
  }
  if (cursor === undefined || compareSubmitOrder(cursor, floor) > 0) {
    for (const t of newestFirst(listed, cursor)) {
      if (compareSubmitOrder(t.id, floor) < 0) break;
      yield t;
    }
    cursor = floor;
  }
  const status = await retrying(ctx.connection, ctx.clock, (client) => listArea(client, 'status'));
  yield* newestFirst([...others, ...status], cursor);
}

/** Every task name in one area (an absent layout is an empty one). */
export async function listArea(client: ZooKeeperClient, area: TaskArea): Promise<ListedFolder[]> {
  return area === 'assign' ? listAssignments(client) : listBuckets(client, area);
}

async function listBuckets(
  client: ZooKeeperClient,
  area: 'waiting' | 'tasks' | 'status' | 'dead',
): Promise<ListedFolder[]> {
  const root = ROOTS[area];
  let total: number;
  try {
    total = await client.getAllChildrenNumber(root);
  } catch (err) {
    if (err instanceof NoNodeError) return [];
    throw err;
  }
  const per = bucketsPerRead(total - BUCKET_COUNT, BUCKET_COUNT);
  const groups: string[][] = [];
  for (let i = 0; i < BUCKETS.length; i += per) groups.push(BUCKETS.slice(i, i + per));
  // A few reads in flight keep the connection busy; all of them at once (64 replies of up to
  // half a MiB for a million names) would only pile up in the server's output.
  const read = await pipelined(groups, LIST_READS_IN_FLIGHT, (buckets) =>
    client
      .multiRead(buckets.map((b) => ({ type: 'getChildren', path: `${root}/${b}` })))
      .then((results) =>
        results.map((r, j) => ({ area, folder: `${root}/${buckets[j]}`, ids: namesOf(r) })),
      ),
  );
  return read.flat();
}

async function listAssignments(client: ZooKeeperClient): Promise<ListedFolder[]> {
  let workers: string[];
  try {
    workers = await client.getChildren(ROOTS.assign);
  } catch (err) {
    if (err instanceof NoNodeError) return [];
    throw err;
  }
  const reads: Promise<ListedFolder[]>[] = [];
  for (let i = 0; i < workers.length; i += ASSIGN_FOLDERS_PER_READ) {
    const folder = workers.slice(i, i + ASSIGN_FOLDERS_PER_READ);
    reads.push(
      client
        .multiRead(folder.map((w) => ({ type: 'getChildren', path: paths.assignRoot(w) })))
        .then((results) =>
          results.map((r, j) => ({
            area: 'assign' as const,
            folder: paths.assignRoot(folder[j]),
            workerId: folder[j],
            ids: namesOf(r),
          })),
        ),
    );
  }
  return (await Promise.all(reads)).flat();
}

/** Task names of one getChildren result; a folder removed meanwhile (NoNode) is empty. */
function namesOf(result: ReadResult): string[] {
  if (result instanceof NoNodeError) return [];
  if (result instanceof KeeperError) throw result;
  return 'children' in result ? result.children.filter((n) => isTaskId(n)) : [];
}

/** The record at `path`, or undefined when it is gone or unreadable (logged, not fatal). */
export async function readRecord(
  ctx: ClientContext,
  client: ZooKeeperClient,
  path: string,
): Promise<TaskRecord | undefined> {
  try {
    const { data } = await client.getData(path);
    return decodeRecord(data, path);
  } catch (err) {
    if (err instanceof NoNodeError) return undefined;
    if (err instanceof CorruptTaskRecordError) {
      ctx.logger.warn({ path, err }, 'skipping an unreadable task record');
      return undefined;
    }
    throw err;
  }
}
