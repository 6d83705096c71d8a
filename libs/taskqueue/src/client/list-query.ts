import { InvalidTaskError } from '../errors';
import { isTaskId } from '../model/task-id';
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
