import { randomBytes } from 'crypto';
import { LIMITS } from './limits';

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';
const PREFIX = 'task-';

/** A task's priority when none is given; higher runs first (LIMITS.minPriority to maxPriority). */
export const DEFAULT_PRIORITY = 0;
const MIN_PRIORITY = LIMITS.minPriority;
const MAX_PRIORITY = LIMITS.maxPriority;

/** Characters of an id after `task-`: 3 of priority, 9 of submit time, 8 random. */
const PRIORITY_CHARS = 3;
const TIME_CHARS = 9;
const RANDOM_CHARS = 8;
/** The submit time and the random part: the tail every id ends with, old or new. */
const SUBMIT_KEY_CHARS = TIME_CHARS + RANDOM_CHARS;
const ID_LENGTH = PREFIX.length + PRIORITY_CHARS + SUBMIT_KEY_CHARS;
/** Ids written before priorities existed: `task-` + time + random, read as priority 0. */
const OLD_ID_LENGTH = PREFIX.length + SUBMIT_KEY_CHARS;
const ID_PATTERN = /^task-[0-9a-z]{20}$/;
const OLD_ID_PATTERN = /^task-[0-9a-z]{17}$/;
/** The largest priority field: MAX_PRIORITY - MIN_PRIORITY ("1jk"). */
const MAX_PRIORITY_FIELD = MAX_PRIORITY - MIN_PRIORITY;

/**
 * Task ids are made by the submitter, not by a sequential znode (a change from the book's
 * `/tasks/task-<seq>`, explained in docs/design.md):
 * - the id is known before the create is sent, so after a ConnectionLoss the submitter reads
 *   the task back by id to learn whether its create happened (the book's rule), and an
 *   idempotency-key znode can name the task in the same multi;
 * - `task-`, then 3 base-36 characters of `1000 - priority` (zero-padded, "000" for priority
 *   1000, "0rs" for 0, "1jk" for -1000), then 9 of the submit time in base-36 milliseconds,
 *   then 8 random base-36 characters (36^8 ≈ 2.8e12 per millisecond, so two submitters never
 *   collide in practice). Plain string order is therefore (priority descending, submit time
 *   ascending), which is the order the master assigns in: its queue index sorts ids, a task
 *   queued again under its id (retry, hand-back, recovery) keeps its place, and a new leader
 *   that lists /tasks finds the same order. The priority in the name is what lets the master
 *   order tasks without reading their records, as Curator's DistributedPriorityQueue does.
 *
 * Lists and retention go by submit time instead: see submittedAt and compareSubmitOrder.
 */
export function newTaskId(
  now: number = Date.now(),
  random: Buffer = randomBytes(RANDOM_CHARS),
  priority: number = DEFAULT_PRIORITY,
): string {
  if (!Number.isInteger(priority) || priority < MIN_PRIORITY || priority > MAX_PRIORITY)
    throw new RangeError(
      `priority must be an integer from ${MIN_PRIORITY} to ${MAX_PRIORITY}, not ${priority}`,
    );
  let suffix = '';
  for (let i = 0; i < RANDOM_CHARS; i++) suffix += ALPHABET[random[i] % 36];
  const field = (MAX_PRIORITY - priority).toString(36).padStart(PRIORITY_CHARS, '0');
  const time = Math.max(0, Math.floor(now)).toString(36).padStart(TIME_CHARS, '0');
  return `${PREFIX}${field}${time}${suffix}`;
}

/**
 * A task id: the form above, or the older one without the priority field (`task-` + 17), which
 * records written before priorities still carry. An old id is priority 0 wherever a priority is
 * derived from it, but in string order it sorts by its first time characters as if they were a
 * priority field ("0mx" late in 2026, about priority 175, one less every 25 days): old ids sort
 * before new priority-0 ids (and after those of higher priorities). That is an upgrade-time
 * approximation: old ids drain first, and this version makes no new one.
 */
export function isTaskId(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  if (value.length === ID_LENGTH)
    return ID_PATTERN.test(value) && priorityField(value) <= MAX_PRIORITY_FIELD;
  return value.length === OLD_ID_LENGTH && OLD_ID_PATTERN.test(value);
}

/** The priority an id carries (0 for an old id); NaN for a name that is not a task id. */
export function priorityOf(id: string): number {
  if (!isTaskId(id)) return NaN;
  return id.length === ID_LENGTH ? MAX_PRIORITY - priorityField(id) : DEFAULT_PRIORITY;
}

/** The submit time an id carries (ms since the epoch); NaN for a name that is not a task id. */
export function submittedAt(id: string): number {
  if (!isTaskId(id)) return NaN;
  return parseInt(id.slice(id.length - SUBMIT_KEY_CHARS, id.length - RANDOM_CHARS), 36);
}

/**
 * Orders ids by submit time: the time, then the random part (which TaskIdSequence keeps
 * increasing within a millisecond, per priority), then the whole id, so the order is total.
 * Both id forms end with the same 17 characters, so they compare with each other. For lists
 * ("newest first") and retention ("oldest first"); the assignment order is the plain string
 * order.
 */
export function compareSubmitOrder(a: string, b: string): number {
  const ka = submitOrderKey(a);
  const kb = submitOrderKey(b);
  if (ka !== kb) return ka < kb ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The submit time in an id's order key, read without making a string or checking the id (for
 * sorting many listed names; submittedAt checks). A name too short to carry one reads as 0.
 */
export function submitTimeOf(id: string): number {
  const key = id.length - SUBMIT_KEY_CHARS;
  if (key < 0) return 0;
  let t = 0;
  for (let i = key; i < key + TIME_CHARS; i++) {
    const c = id.charCodeAt(i);
    t = t * 36 + (c <= 57 ? c - 48 : c - 87);
  }
  return t;
}

/**
 * The part of an id that orders it by submit time (its last 17 characters: time, then random),
 * for sorting many ids with precomputed keys; compareSubmitOrder breaks its ties by the id.
 */
export function submitOrderKey(id: string): string {
  return id.slice(-SUBMIT_KEY_CHARS);
}

function priorityField(id: string): number {
  return parseInt(id.slice(PREFIX.length, PREFIX.length + PRIORITY_CHARS), 36);
}
