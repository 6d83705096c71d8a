import { randomBytes } from 'crypto';

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';
const TIME_CHARS = 9;
const RANDOM_CHARS = 8;
const FLOW_ID_PATTERN = /^flow-[0-9a-z]{17}$/;

/**
 * A flow id: `flow-`, the creation time in base-36 milliseconds (9 characters), then 8 random
 * base-36 characters, so the plain string order of ids is their creation order (like task ids,
 * without a priority field: a flow is not queued, its tasks are).
 */
export function newFlowId(now: number = Date.now(), random: Buffer = randomBytes(RANDOM_CHARS)) {
  let suffix = '';
  for (let i = 0; i < RANDOM_CHARS; i++) suffix += ALPHABET[random[i] % 36];
  const time = Math.max(0, Math.floor(now)).toString(36).padStart(TIME_CHARS, '0');
  return `flow-${time}${suffix}`;
}

export function isFlowId(value: unknown): value is string {
  return typeof value === 'string' && FLOW_ID_PATTERN.test(value);
}

/** When a flow was created (epoch ms), from its id; NaN for a name that is not a flow id. */
export function flowCreatedAt(id: string): number {
  return isFlowId(id) ? parseInt(id.slice(5, 5 + TIME_CHARS), 36) : NaN;
}
