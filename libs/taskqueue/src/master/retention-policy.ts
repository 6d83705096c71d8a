import { compareSubmitOrder, isTaskId, submittedAt } from '../model/task-id';

/** What retention keeps (see RetentionOptions): records younger than maxAgeMs, at most maxCount. */
export interface RetentionLimits {
  maxAgeMs: number;
  maxCount: number;
}

/**
 * When a task was submitted, from its id (model/task-id.ts; the priority in front of the time
 * plays no part in retention). NaN for a name that is not a task id (left alone by retention).
 */
export function taskIdTime(id: string): number {
  return submittedAt(id);
}

/**
 * Which records go, decided from their id times alone, so the leader can stream a million names
 * bucket by bucket and keep only numbers: every record older than `before` goes, and `ties` more
 * of those at exactly `tiesAt` (several tasks submitted in the same millisecond at the count
 * limit).
 */
export interface PruneCutoff {
  before: number;
  tiesAt: number;
  ties: number;
  /** How many records the cutoff selects. */
  total: number;
}

/**
 * The cutoff for a set of record times (ms): first by age (older than now - maxAgeMs), then, if
 * more than maxCount remain, the oldest beyond the count as well.
 */
export function pruneCutoff(
  times: ArrayLike<number>,
  now: number,
  limits: RetentionLimits,
): PruneCutoff {
  const ageLimit = now - limits.maxAgeMs;
  const sorted = Float64Array.from(times).sort();
  let expired = 0;
  while (expired < sorted.length && sorted[expired] < ageLimit) expired++;
  const excess = sorted.length - expired - limits.maxCount;
  if (excess <= 0) return { before: ageLimit, tiesAt: NaN, ties: 0, total: expired };
  const total = expired + excess;
  const last = sorted[total - 1];
  let below = total - 1;
  while (below > 0 && sorted[below - 1] === last) below--;
  return { before: last, tiesAt: last, ties: total - below, total };
}

/**
 * A predicate over ids for one pass over the records: true for those the cutoff selects. It
 * counts the ties it hands out, so use a fresh one per pass.
 */
export function prunePredicate(cutoff: PruneCutoff): (id: string) => boolean {
  let ties = cutoff.ties;
  return (id) => {
    const t = taskIdTime(id);
    if (Number.isNaN(t)) return false;
    if (t < cutoff.before) return true;
    if (t === cutoff.tiesAt && ties > 0) {
      ties--;
      return true;
    }
    return false;
  };
}

/** The ids to prune from a whole list (oldest first, by submit time whatever the priority). */
export function selectForPruning(
  ids: readonly string[],
  now: number,
  limits: RetentionLimits,
): string[] {
  const valid = ids.filter((id) => isTaskId(id)).sort(compareSubmitOrder);
  const cutoff = pruneCutoff(
    valid.map((id) => taskIdTime(id)),
    now,
    limits,
  );
  return valid.filter(prunePredicate(cutoff));
}
