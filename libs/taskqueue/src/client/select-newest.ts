import { compareSubmitOrder, submitTimeOf } from '../model/task-id';
import { ListedFolder } from './newest-first';

/** The newest ids of a listing, and whether they are all of them. */
export interface NewestIds {
  /** Oldest first (compareSubmitOrder). */
  ids: string[];
  /** True when the listing held no other ids. */
  complete: boolean;
}

/**
 * At least the `k` newest ids of the folders by submit time, and every id as new as the oldest
 * of those: whole milliseconds are taken, so "every listed id from the oldest taken on is
 * taken" holds even where many ids share a millisecond. Linear: the k-th newest time is found
 * by selection on the times as numbers, and only the ids taken are sorted (a window of ten
 * thousand out of a million listed names costs tens of milliseconds, not a full sort).
 */
export function selectNewest(folders: readonly ListedFolder[], k: number): NewestIds {
  let total = 0;
  for (const f of folders) total += f.ids.length;
  if (total <= k) {
    const ids: string[] = [];
    for (const f of folders) for (const id of f.ids) ids.push(id);
    return { ids: ids.sort(compareSubmitOrder), complete: true };
  }
  const times = new Float64Array(total);
  let n = 0;
  for (const f of folders) for (const id of f.ids) times[n++] = submitTimeOf(id);
  const threshold = kthLargest(times.slice(), k);
  const ids: string[] = [];
  n = 0;
  for (const f of folders) for (const id of f.ids) if (times[n++] >= threshold) ids.push(id);
  return { ids: ids.sort(compareSubmitOrder), complete: ids.length === total };
}

/** The k-th largest value (1-based) of `a`, which it reorders: Hoare's selection. */
function kthLargest(a: Float64Array, k: number): number {
  // The k-th largest is the (n - k)-th smallest, 0-based.
  const target = a.length - k;
  let lo = 0;
  let hi = a.length - 1;
  while (lo < hi) {
    const pivot = a[(lo + hi) >>> 1];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        const t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    }
    if (target <= j) hi = j;
    else if (target >= i) lo = i;
    else return a[target];
  }
  return a[target];
}
