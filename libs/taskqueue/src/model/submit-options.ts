import { InvalidTaskError, PayloadTooLargeError } from '../errors';
import { nestsDeeperThan } from './json-depth';
import { LIMITS, TASK_TYPE_PATTERN, TASK_TYPE_RULE } from './limits';
import { DEFAULT_PRIORITY, priorityOf } from './task-id';
import { TaskOptions, TaskRecord } from './task-record';

export interface SubmitOptions {
  /** Attempts before the task goes to /dead (default 3). */
  maxAttempts?: number;
  /** Per-attempt timeout: the handler's AbortSignal fires and the attempt fails. */
  timeoutMs?: number;
  /** Not assigned before now + delayMs. */
  delayMs?: number;
  /** First retry delay (default 1000 ms), doubled on each further retry. */
  backoffMs?: number;
  /** Submitting again with the same key returns the first task instead of a new one. */
  idempotencyKey?: string;
  /**
   * An integer from -1000 to 1000 (default 0): the master assigns higher priorities first, and
   * tasks of one priority in submit order. It is part of the task id (model/task-id.ts).
   */
  priority?: number;
  /**
   * The group the task belongs to (1 to 128 characters: a tenant id, a customer, any key). With
   * the type's queue setting `groupConcurrency`, at most that many tasks of one group run at a
   * time while the other groups go on; without it the group is only a label.
   */
  group?: string;
  /**
   * The W3C `traceparent` the task's trace continues, when the submitter's active
   * OpenTelemetry context is not the one (a message relayed from another process). One that is
   * not a valid traceparent is ignored, as the W3C spec asks of a receiver: a relayed header
   * never costs the task. Not stored as an option: the task's trace context is
   * (TaskRecord.trace).
   */
  traceparent?: string;
  /** The W3C `tracestate` that goes with `traceparent` (dropped when over 512 characters). */
  tracestate?: string;
}

export const DEFAULT_MAX_ATTEMPTS = 3;
export const DEFAULT_BACKOFF_MS = 1000;

function integerIn(name: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max)
    throw new InvalidTaskError(`${name} must be an integer from ${min} to ${max}`);
  return value;
}

/** A submission's priority, DEFAULT_PRIORITY when not given, or an InvalidTaskError. */
export function checkPriority(priority: unknown): number {
  return priority === undefined
    ? DEFAULT_PRIORITY
    : integerIn('priority', priority, LIMITS.minPriority, LIMITS.maxPriority);
}

/** The JSON text of a payload, or an InvalidTaskError / PayloadTooLargeError saying why not. */
export function payloadJson(payload: unknown): string {
  if (nestsDeeperThan(payload, LIMITS.maxPayloadDepth))
    throw new InvalidTaskError(
      `payload nests deeper than ${LIMITS.maxPayloadDepth} levels of arrays and objects`,
    );
  let json: string | undefined;
  try {
    json = JSON.stringify(payload === undefined ? null : payload);
  } catch (err) {
    throw new InvalidTaskError(`payload is not JSON-serializable: ${(err as Error).message}`);
  }
  if (json === undefined) throw new InvalidTaskError('payload is not JSON-serializable');
  const bytes = Buffer.byteLength(json);
  if (bytes > LIMITS.maxPayloadBytes)
    throw new PayloadTooLargeError(
      `payload is ${bytes} bytes; the limit is ${LIMITS.maxPayloadBytes} bytes`,
    );
  return json;
}

/** Checks a submission and builds the options stored with the task. */
export function validateSubmission(
  type: unknown,
  payload: unknown,
  options: SubmitOptions = {},
): TaskOptions {
  if (typeof type !== 'string' || !TASK_TYPE_PATTERN.test(type))
    throw new InvalidTaskError(`type must match ${TASK_TYPE_RULE}`);
  payloadJson(payload);
  const maxAttempts =
    options.maxAttempts === undefined
      ? DEFAULT_MAX_ATTEMPTS
      : integerIn('maxAttempts', options.maxAttempts, 1, LIMITS.maxAttempts);
  const timeoutMs =
    options.timeoutMs === undefined
      ? null
      : integerIn('timeoutMs', options.timeoutMs, 1, LIMITS.maxTimeoutMs);
  const backoffMs =
    options.backoffMs === undefined
      ? DEFAULT_BACKOFF_MS
      : integerIn('backoffMs', options.backoffMs, 0, LIMITS.maxTimeoutMs);
  if (options.delayMs !== undefined) integerIn('delayMs', options.delayMs, 0, LIMITS.maxDelayMs);
  const priority = checkPriority(options.priority);
  const key = options.idempotencyKey;
  if (
    key !== undefined &&
    (typeof key !== 'string' || key.length < 1 || key.length > LIMITS.maxIdempotencyKeyChars)
  )
    throw new InvalidTaskError(
      `idempotencyKey must be a string of 1 to ${LIMITS.maxIdempotencyKeyChars} characters`,
    );
  const group = options.group;
  if (
    group !== undefined &&
    (typeof group !== 'string' || group.length < 1 || group.length > LIMITS.maxGroupChars)
  )
    throw new InvalidTaskError(`group must be a string of 1 to ${LIMITS.maxGroupChars} characters`);
  const stored: TaskOptions = { maxAttempts, timeoutMs, backoffMs, priority };
  if (key !== undefined) stored.idempotencyKey = key;
  if (group !== undefined) stored.group = group;
  return stored;
}

/**
 * A new queued task record (validated). The id must carry the record's priority (make it with
 * `newTaskId(now, random, priority)`): the master orders the queue by the id alone.
 */
export function newTaskRecord(
  id: string,
  type: string,
  payload: unknown,
  options: SubmitOptions,
  now: number,
): TaskRecord {
  const stored = validateSubmission(type, payload, options);
  const carried = priorityOf(id); // NaN for a name that is not a task id: nothing to check
  if (!Number.isNaN(carried) && carried !== stored.priority)
    throw new InvalidTaskError(
      `task id ${id} carries priority ${carried}, not the priority ${stored.priority} given`,
    );
  const record: TaskRecord = {
    v: 1,
    id,
    type,
    payload: payload === undefined ? null : payload,
    options: stored,
    state: 'queued',
    attempts: 0,
    createdAt: now,
    updatedAt: now,
    history: [{ at: now, event: 'queued' }],
  };
  if (options.delayMs) record.notBefore = now + options.delayMs;
  return record;
}
