import { InvalidTaskError } from '../errors';
import { compareSubmitOrder, isTaskId, submitOrderKey, submitTimeOf } from '../model/task-id';
import { TaskState, isTaskState } from '../model/task-state';
import { TaskArea } from '../store/task-location';

export interface ListQuery {
  state?: TaskState;
  type?: string;
  /** Page size, 1 to 1000 (default 50). */
  limit?: number;
  /** The `nextCursor` of the previous page: the id of its last task. */
  cursor?: string;
}

export interface TaskPage<T> {
  items: T[];
  /** Present when there may be more: pass it as `cursor` for the next page. */
  nextCursor?: string;
}

export const DEFAULT_LIST_LIMIT = 50;
export const MAX_LIST_LIMIT = 1000;

export interface CheckedListQuery {
  state?: TaskState;
  type?: string;
  limit: number;
  cursor?: string;
}

/** Checks a list query (it may come straight from a URL) and applies the defaults. */
export function checkListQuery(query: ListQuery = {}): CheckedListQuery {
  const { state, type, cursor } = query;
  const limit = query.limit ?? DEFAULT_LIST_LIMIT;
  if (state !== undefined && !isTaskState(state))
    throw new InvalidTaskError(`state must be one of the task states, not ${String(state)}`);
  if (type !== undefined && (typeof type !== 'string' || type.length === 0))
    throw new InvalidTaskError('type must be a non-empty string');
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIST_LIMIT)
    throw new InvalidTaskError(`limit must be an integer from 1 to ${MAX_LIST_LIMIT}`);
  if (cursor !== undefined && !isTaskId(cursor))
    throw new InvalidTaskError('cursor must be a task id (the nextCursor of a previous page)');
  const checked: CheckedListQuery = { limit };
  if (state !== undefined) checked.state = state;
  if (type !== undefined) checked.type = type;
  if (cursor !== undefined) checked.cursor = cursor;
  return checked;
}

/** The areas that can hold tasks in `state` (every area when no state is given). */
export function areasFor(state?: TaskState): TaskArea[] {
  switch (state) {
    case undefined:
      return ['waiting', 'tasks', 'assign', 'status', 'dead'];
    case 'waiting':
      return ['waiting'];
    case 'queued':
      return ['tasks'];
    case 'assigned':
    case 'running':
      return ['assign'];
    case 'dead':
      return ['dead'];
    case 'done':
    case 'failed':
    case 'cancelled':
      return ['status'];
  }
}

/** The task names one child list gave: kept as the list (no object per name: a million). */
export interface ListedFolder {
  area: TaskArea;
  /** The folder's path; a record is at `${folder}/${id}`. */
  folder: string;
  workerId?: string;
  ids: readonly string[];
}

/** A task name found in a child list: where to read its record. */
export interface ListedTask {
  id: string;
  area: TaskArea;
  folder: string;
  workerId?: string;
}

/**
 * Newest first, after the cursor, one entry per id. Ids carry their submit time after their
 * priority, so the order is compareSubmitOrder's (reversed), not the string order, which puts
 * priority first. A task caught moving between two areas while they were listed can appear in
 * both; the first entry is kept and a missing record is skipped later.
 *
 * Lazy: a page wants its first few entries of a list that may hold a million names, so the
 * entries come off a binary heap (built in linear time, log n a pop) rather than out of a full
 * sort, which cost seconds at that size.
 */
export function* newestFirst(
  listed: readonly ListedFolder[],
  cursor?: string,
): Generator<ListedTask, void, undefined> {
  const ids: string[] = [];
  const from: number[] = [];
  listed.forEach((f, k) => {
    for (const id of f.ids) {
      if (cursor !== undefined && compareSubmitOrder(id, cursor) >= 0) continue;
      ids.push(id);
      from.push(k);
    }
  });
  const n = ids.length;
  // The submit time of each id as a number, so almost every comparison is of two numbers.
  const times = new Float64Array(n);
  for (let i = 0; i < n; i++) times[i] = submitTimeOf(ids[i]);
  /** Whether entry a comes before entry b: newer key, then greater id, then listed earlier. */
  const before = (a: number, b: number): boolean => {
    if (times[a] !== times[b]) return times[a] > times[b];
    const ia = ids[a];
    const ib = ids[b];
    const ka = submitOrderKey(ia);
    const kb = submitOrderKey(ib);
    if (ka !== kb) return ka > kb;
    return ia !== ib ? ia > ib : a < b;
  };
  const heap = new Int32Array(n);
  for (let i = 0; i < n; i++) heap[i] = i;
  let size = n;
  const siftDown = (from: number): void => {
    let i = from;
    const moving = heap[i];
    for (;;) {
      const l = 2 * i + 1;
      if (l >= size) break;
      const r = l + 1;
      const child = r < size && before(heap[r], heap[l]) ? r : l;
      if (!before(heap[child], moving)) break;
      heap[i] = heap[child];
      i = child;
    }
    heap[i] = moving;
  };
  for (let i = (size >>> 1) - 1; i >= 0; i--) siftDown(i);
  let last: string | undefined;
  while (size > 0) {
    const next = heap[0];
    heap[0] = heap[--size];
    siftDown(0);
    const id = ids[next];
    if (id === last) continue;
    last = id;
    const { area, folder, workerId } = listed[from[next]];
    yield workerId === undefined ? { id, area, folder } : { id, area, folder, workerId };
  }
}

/** Largest child-list reply a multiRead of buckets is planned for (jute.maxbuffer is 1 MiB). */
const LIST_REPLY_BUDGET = 512 * 1024;
/** Bytes one name costs in a getChildren reply: length prefix, "task-" and 20 characters. */
const NAME_BYTES = 4 + 25;
export const MAX_BUCKETS_PER_READ = 32;

/**
 * How many buckets one multiRead may list. 32 buckets answer well under 1 MiB for a backlog of
 * 100,000 tasks (~400 names a bucket), but not for a million records in /status (~3,900 a
 * bucket, ~100 KB each): there the number of buckets per read shrinks with the area's size.
 */
export function bucketsPerRead(namesInArea: number, buckets: number): number {
  const perBucket = Math.max(1, namesInArea / buckets) * NAME_BYTES * 1.5; // 1.5: uneven buckets
  return Math.max(1, Math.min(MAX_BUCKETS_PER_READ, Math.floor(LIST_REPLY_BUDGET / perBucket)));
}
