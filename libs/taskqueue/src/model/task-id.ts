import { randomBytes } from 'crypto';

const ID_PATTERN = /^task-[0-9a-z]{17}$/;
const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

/**
 * Task ids are made by the submitter, not by a sequential znode (a change from the book's
 * `/tasks/task-<seq>`, explained in the README):
 * - the id is known before the create is sent, so after a ConnectionLoss the submitter reads
 *   the task back by id to learn whether its create happened (the book's rule), and an
 *   idempotency-key znode can name the task in the same multi;
 * - the first 9 characters are the submit time in base-36 milliseconds, so ids sort in submit
 *   order, which is the order the master assigns in; 8 random base-36 characters follow
 *   (36^8 ≈ 2.8e12 per millisecond), so two submitters never collide in practice.
 */
export function newTaskId(now: number = Date.now(), random: Buffer = randomBytes(8)): string {
  let suffix = '';
  for (let i = 0; i < 8; i++) suffix += ALPHABET[random[i] % 36];
  return `task-${Math.max(0, Math.floor(now)).toString(36).padStart(9, '0')}${suffix}`;
}

export function isTaskId(value: unknown): value is string {
  return typeof value === 'string' && ID_PATTERN.test(value);
}
