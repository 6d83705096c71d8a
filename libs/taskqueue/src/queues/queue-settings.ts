import { InvalidTaskError } from '../errors';
import { TASK_TYPE_PATTERN, TASK_TYPE_RULE } from '../model/limits';

/** At most `max` assignments of a type start in any window of `perMs` milliseconds. */
export interface RateLimit {
  max: number;
  perMs: number;
}

/** Per-type queue settings, stored as JSON in /queues/<type>. Absent fields mean no limit. */
export interface QueueSettings {
  paused?: boolean;
  concurrency?: number | null;
  rateLimit?: RateLimit | null;
  /**
   * At most this many tasks of one group (SubmitOptions.group) of this type run at once,
   * cluster-wide; tasks without a group are not limited by it.
   */
  groupConcurrency?: number | null;
}

/** A change of settings: only the fields given change; `null` clears a limit. */
export type QueueSettingsPatch = QueueSettings;

export const MAX_QUEUE_CONCURRENCY = 100_000;
export const MAX_RATE_WINDOW_MS = 86_400_000;

const FIELDS = new Set(['paused', 'concurrency', 'rateLimit', 'groupConcurrency']);

export function isQueueType(type: unknown): type is string {
  return typeof type === 'string' && TASK_TYPE_PATTERN.test(type);
}

export function checkQueueType(type: unknown): string {
  if (!isQueueType(type))
    throw new InvalidTaskError(`type must match ${TASK_TYPE_RULE} (got ${JSON.stringify(type)})`);
  return type;
}

function isInt(v: unknown, min: number, max: number): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
}

/** Throws InvalidTaskError unless `patch` is a valid settings change. */
export function validateQueuePatch(patch: unknown): QueueSettingsPatch {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch))
    throw new InvalidTaskError('queue settings must be an object');
  const p = patch as Record<string, unknown>;
  for (const key of Object.keys(p))
    if (!FIELDS.has(key)) throw new InvalidTaskError(`unknown queue setting ${key}`);
  if (p.paused !== undefined && typeof p.paused !== 'boolean')
    throw new InvalidTaskError('paused must be a boolean');
  if (
    p.concurrency !== undefined &&
    p.concurrency !== null &&
    !isInt(p.concurrency, 1, MAX_QUEUE_CONCURRENCY)
  )
    throw new InvalidTaskError(
      `concurrency must be an integer from 1 to ${MAX_QUEUE_CONCURRENCY}, or null to clear it`,
    );
  if (
    p.groupConcurrency !== undefined &&
    p.groupConcurrency !== null &&
    !isInt(p.groupConcurrency, 1, MAX_QUEUE_CONCURRENCY)
  )
    throw new InvalidTaskError(
      `groupConcurrency must be an integer from 1 to ${MAX_QUEUE_CONCURRENCY}, or null to clear it`,
    );
  if (p.rateLimit !== undefined && p.rateLimit !== null) {
    const r = p.rateLimit as Record<string, unknown>;
    if (typeof r !== 'object' || Array.isArray(r))
      throw new InvalidTaskError('rateLimit must be {max, perMs}, or null to clear it');
    for (const key of Object.keys(r))
      if (key !== 'max' && key !== 'perMs')
        throw new InvalidTaskError(`unknown rateLimit field ${key}`);
    if (!isInt(r.max, 1, Number.MAX_SAFE_INTEGER))
      throw new InvalidTaskError('rateLimit.max must be an integer >= 1');
    if (!isInt(r.perMs, 1, MAX_RATE_WINDOW_MS))
      throw new InvalidTaskError(
        `rateLimit.perMs must be an integer from 1 to ${MAX_RATE_WINDOW_MS}`,
      );
  }
  return p as QueueSettingsPatch;
}

/** The settings after `patch`; cleared limits are left out. */
export function applyQueuePatch(current: QueueSettings, patch: QueueSettingsPatch): QueueSettings {
  const next: QueueSettings = { ...current, ...patch };
  if (next.paused !== true) delete next.paused;
  if (next.concurrency === null || next.concurrency === undefined) delete next.concurrency;
  if (next.groupConcurrency === null || next.groupConcurrency === undefined)
    delete next.groupConcurrency;
  if (next.rateLimit === null || next.rateLimit === undefined) delete next.rateLimit;
  else next.rateLimit = { max: next.rateLimit.max, perMs: next.rateLimit.perMs };
  return next;
}

/** Reads a /queues/<type> node's data; unreadable or invalid fields are ignored. */
export function decodeQueueSettings(data: Buffer | null | undefined): QueueSettings {
  if (!data || data.length === 0) return {};
  let raw: unknown;
  try {
    raw = JSON.parse(data.toString('utf8'));
  } catch {
    return {};
  }
  if (raw === null || typeof raw !== 'object') return {};
  const r = raw as Record<string, unknown>;
  const out: QueueSettings = {};
  if (r.paused === true) out.paused = true;
  if (isInt(r.concurrency, 1, MAX_QUEUE_CONCURRENCY)) out.concurrency = r.concurrency;
  if (isInt(r.groupConcurrency, 1, MAX_QUEUE_CONCURRENCY))
    out.groupConcurrency = r.groupConcurrency;
  const rl = r.rateLimit as Record<string, unknown> | null | undefined;
  if (
    rl &&
    typeof rl === 'object' &&
    isInt(rl.max, 1, Number.MAX_SAFE_INTEGER) &&
    isInt(rl.perMs, 1, MAX_RATE_WINDOW_MS)
  )
    out.rateLimit = { max: rl.max, perMs: rl.perMs };
  return out;
}

export function encodeQueueSettings(settings: QueueSettings): Buffer {
  return Buffer.from(JSON.stringify(settings));
}
