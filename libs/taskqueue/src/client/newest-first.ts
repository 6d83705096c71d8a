import { compareSubmitOrder, submitOrderKey, submitTimeOf } from '../model/task-id';
import { TaskArea } from '../store/task-location';

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
