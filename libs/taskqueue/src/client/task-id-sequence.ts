import { newTaskId } from '../model/task-id';

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';
const PREFIX = 'task-';

/**
 * The next id after `id` in sort order: the 17 characters after "task-" read as one base-36
 * number, plus one. A carry out of the random part moves into the time part, which is still a
 * valid (one millisecond later at most per 36^8 ids) time.
 */
export function successorId(id: string): string {
  const digits = id.slice(PREFIX.length).split('');
  for (let i = digits.length - 1; i >= 0; i--) {
    const d = ALPHABET.indexOf(digits[i]);
    if (d < 35) {
      digits[i] = ALPHABET[d + 1];
      return PREFIX + digits.join('');
    }
    digits[i] = '0';
  }
  throw new RangeError(`no task id after ${id}`);
}

/**
 * Ids in submit order. Ids sort by their millisecond and then by random characters, so tasks
 * submitted in the same millisecond (a submitMany) would sort at random, and the master, which
 * assigns in id order, would not run them in the order given. Within one client each id is
 * made strictly greater than the one before: random when time has moved on, the successor of
 * the last one otherwise (and when the clock steps back).
 */
export class TaskIdSequence {
  private last = '';

  next(now: number): string {
    const id = newTaskId(now);
    this.last = id > this.last ? id : successorId(this.last);
    return this.last;
  }
}
