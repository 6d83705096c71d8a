import { DEFAULT_PRIORITY, newTaskId } from '../model/task-id';

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';
/** The submit time and random characters every id ends with (model/task-id.ts). */
const TAIL_CHARS = 17;

/**
 * The next id after `id` in sort order with the same priority: the last 17 characters (time
 * and random part) read as one base-36 number, plus one. A carry out of the random part moves
 * into the time part, which is still a valid (one millisecond later at most per 36^8 ids) time;
 * the priority field in front is never changed.
 */
export function successorId(id: string): string {
  const head = id.slice(0, id.length - TAIL_CHARS);
  const digits = id.slice(id.length - TAIL_CHARS).split('');
  for (let i = digits.length - 1; i >= 0; i--) {
    const d = ALPHABET.indexOf(digits[i]);
    if (d < 35) {
      digits[i] = ALPHABET[d + 1];
      return head + digits.join('');
    }
    digits[i] = '0';
  }
  throw new RangeError(`no task id after ${id}`);
}

/**
 * Ids in submit order. Ids of one priority sort by their millisecond and then by random
 * characters, so tasks submitted in the same millisecond (a submitMany) would sort at random,
 * and the master, which assigns in id order, would not run them in the order given. Within one
 * client each id is made strictly greater than the one before of the same priority: random when
 * time has moved on, the successor of the last one otherwise (and when the clock steps back).
 */
export class TaskIdSequence {
  /** The last id made, per priority (at most 2,001 entries). */
  private readonly last = new Map<number, string>();

  next(now: number, priority: number = DEFAULT_PRIORITY): string {
    const id = newTaskId(now, undefined, priority);
    const last = this.last.get(priority);
    const next = last === undefined || id > last ? id : successorId(last);
    this.last.set(priority, next);
    return next;
  }
}
