import { InvalidTaskError } from '../errors';
import { TASK_TYPE_PATTERN, TASK_TYPE_RULE } from '../model/limits';
import { SubmitOptions, validateSubmission } from '../model/submit-options';
import { ScheduleTiming, nextFireTime, previousFireTime, validateTiming } from './fire-times';

/** What to do with fire times that passed while no master ran (or the schedule was late). */
export type MissedPolicy = 'skip' | 'once';
export const MISSED_POLICIES: readonly MissedPolicy[] = ['skip', 'once'];

/** The task a schedule submits at each fire time: a type, a payload and submit options. */
export interface ScheduleTask extends Omit<SubmitOptions, 'idempotencyKey'> {
  type: string;
  payload?: unknown;
}

/** What a caller gives to create a schedule. */
export interface ScheduleSpec extends ScheduleTiming {
  /** Same pattern as task types: `[A-Za-z0-9._:-]{1,64}`. */
  name: string;
  /** Default 'skip': fire only the times still due; 'once': one task for all missed times. */
  missed?: MissedPolicy;
  paused?: boolean;
  task: ScheduleTask;
}

/** What `updateSchedule` changes; the name stays. `cron` and `every` replace each other. */
export type SchedulePatch = Partial<Omit<ScheduleSpec, 'name'>>;

/** A task a schedule created. */
export interface ScheduledTaskRef {
  id: string;
  scheduledFor: number;
}

/** The JSON in /schedules/<name>. */
export interface ScheduleData extends ScheduleTiming {
  name: string;
  missed: MissedPolicy;
  paused?: boolean;
  task: ScheduleTask;
  createdAt: number;
  updatedAt: number;
  /** Fire times count from here (creation, the last resume or change of timing). */
  since: number;
  /** The last fire time a task was created for. */
  lastFireAt?: number;
  /** The last LAST_TASKS_KEPT tasks it created, newest first. */
  lastTasks?: ScheduledTaskRef[];
}

/** Tasks remembered per schedule. */
export const LAST_TASKS_KEPT = 20;
/**
 * A fire time more than this late counts as missed (its master was down, or the schedule was
 * paused): the `missed` policy decides what happens to it.
 */
export const MISSED_AFTER_MS = 2000;

export function isScheduleName(name: unknown): name is string {
  return typeof name === 'string' && TASK_TYPE_PATTERN.test(name);
}

function checkTask(task: unknown): ScheduleTask {
  if (task === null || typeof task !== 'object' || Array.isArray(task))
    throw new InvalidTaskError('task must be an object { type, payload, ...options }');
  const { type, payload, ...options } = task as ScheduleTask & { idempotencyKey?: unknown };
  if ('idempotencyKey' in options)
    throw new InvalidTaskError(
      'task.idempotencyKey is not allowed: each fire time makes its own key',
    );
  try {
    validateSubmission(type, payload, options as SubmitOptions);
  } catch (err) {
    if (err instanceof InvalidTaskError) {
      const Kind = err.constructor as new (message: string) => InvalidTaskError;
      throw new Kind(`task: ${err.message}`);
    }
    throw err;
  }
  const known = ['maxAttempts', 'timeoutMs', 'delayMs', 'backoffMs', 'priority'];
  for (const k of Object.keys(options))
    if (!known.includes(k)) throw new InvalidTaskError(`task: unknown option ${k}`);
  return { type, payload: payload === undefined ? null : payload, ...options } as ScheduleTask;
}

function checkMissed(missed: unknown): MissedPolicy {
  if (missed === undefined) return 'skip';
  if (!MISSED_POLICIES.includes(missed as MissedPolicy))
    throw new InvalidTaskError(`missed must be one of ${MISSED_POLICIES.join(', ')}`);
  return missed as MissedPolicy;
}

function checkPaused(paused: unknown): boolean | undefined {
  if (paused !== undefined && typeof paused !== 'boolean')
    throw new InvalidTaskError('paused must be a boolean');
  return paused;
}

function timingOf(t: ScheduleTiming): ScheduleTiming {
  const timing: ScheduleTiming = {};
  if (t.cron !== undefined) timing.cron = t.cron;
  if (t.every !== undefined) timing.every = t.every;
  if (t.timezone !== undefined) timing.timezone = t.timezone;
  return timing;
}

/** A new schedule's data, validated (InvalidTaskError says what is wrong). */
export function newScheduleData(spec: ScheduleSpec, now: number): ScheduleData {
  if (spec === null || typeof spec !== 'object')
    throw new InvalidTaskError('a schedule must be an object { name, cron | every, task }');
  if (!isScheduleName(spec.name)) throw new InvalidTaskError(`name must match ${TASK_TYPE_RULE}`);
  const timing = timingOf(spec);
  validateTiming(timing);
  const data: ScheduleData = {
    name: spec.name,
    ...timing,
    missed: checkMissed(spec.missed),
    task: checkTask(spec.task),
    createdAt: now,
    updatedAt: now,
    since: now,
  };
  if (checkPaused(spec.paused)) data.paused = true;
  return data;
}

/** The data after `patch`, validated; the fire history is kept. */
export function patchScheduleData(
  data: ScheduleData,
  patch: SchedulePatch,
  now: number,
): ScheduleData {
  if (patch === null || typeof patch !== 'object')
    throw new InvalidTaskError('a schedule update must be an object');
  if ('name' in patch && (patch as { name?: unknown }).name !== data.name)
    throw new InvalidTaskError('a schedule cannot be renamed');
  const timingChanged =
    patch.cron !== undefined || patch.every !== undefined || patch.timezone !== undefined;
  let timing = timingOf(data);
  if (timingChanged) {
    timing =
      patch.cron !== undefined || patch.every !== undefined
        ? timingOf({ cron: patch.cron, every: patch.every, timezone: patch.timezone })
        : { ...timing, timezone: patch.timezone };
    validateTiming(timing);
  }
  const paused = checkPaused(patch.paused) ?? data.paused === true;
  const resumed = data.paused === true && !paused;
  const next: ScheduleData = {
    name: data.name,
    ...timing,
    missed: patch.missed !== undefined ? checkMissed(patch.missed) : data.missed,
    task: patch.task !== undefined ? checkTask(patch.task) : data.task,
    createdAt: data.createdAt,
    updatedAt: now,
    since: timingChanged || resumed ? now : data.since,
  };
  if (paused) next.paused = true;
  if (data.lastFireAt !== undefined) next.lastFireAt = data.lastFireAt;
  if (data.lastTasks !== undefined) next.lastTasks = data.lastTasks;
  return next;
}

export function encodeSchedule(data: ScheduleData): Buffer {
  return Buffer.from(JSON.stringify(data));
}

/** Parses /schedules/<name>; undefined for data that is not a schedule. */
export function decodeSchedule(data: Buffer | null): ScheduleData | undefined {
  if (data === null) return undefined;
  try {
    const value = JSON.parse(data.toString('utf8')) as ScheduleData | null;
    if (value === null || typeof value !== 'object' || typeof value.name !== 'string')
      return undefined;
    if (value.task === null || typeof value.task !== 'object') return undefined;
    validateTiming(timingOf(value));
    return value;
  } catch {
    return undefined;
  }
}

/** The idempotency key of the task a schedule creates for one fire time. */
export function scheduleTaskKey(name: string, fireTime: number): string {
  return `schedule:${name}:${fireTime}`;
}

/**
 * The fire times to create tasks for at `now`, ascending (pure). Fire times count after
 * max(since, lastFireAt). Those more than MISSED_AFTER_MS late are missed: 'skip' drops them,
 * 'once' fires one task for all of them, at the latest missed time. At most `max` times.
 */
export function dueFireTimes(data: ScheduleData, now: number, max = 100): number[] {
  if (data.paused) return [];
  const from = Math.max(data.since, data.lastFireAt ?? -Infinity);
  const due: number[] = [];
  const missedBefore = now - MISSED_AFTER_MS;
  let cursor = from;
  if (missedBefore > from) {
    const latestMissed = previousFireTime(data, missedBefore);
    if (latestMissed !== null && latestMissed > from) {
      if (data.missed === 'once') due.push(latestMissed);
      cursor = latestMissed;
    }
  }
  for (let t = nextFireTime(data, cursor); t !== null && t <= now; t = nextFireTime(data, t)) {
    if (due.length >= max) break;
    due.push(t);
  }
  return due;
}
