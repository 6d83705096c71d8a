import { CronExpression, CronExpressionParser } from 'cron-parser';
import { InvalidTaskError } from '../errors';

/** When a schedule fires: a cron expression (in a time zone) or a fixed interval. */
export interface ScheduleTiming {
  /** 5 fields (minute hour day-of-month month day-of-week) or 6 (a seconds field first). */
  cron?: string;
  /** Fires every `every` ms, at the multiples of `every` since the epoch. */
  every?: number;
  /** IANA time zone of the cron expression (default UTC); not allowed with `every`. */
  timezone?: string;
}

/** The shortest interval accepted for `every`. */
export const MIN_EVERY_MS = 100;
/** The longest interval accepted for `every` (366 days). */
export const MAX_EVERY_MS = 366 * 24 * 3600 * 1000;
/** The longest cron expression accepted. */
const MAX_CRON_CHARS = 256;

/** Whether `zone` is an IANA time zone this runtime knows. */
export function isTimeZone(zone: unknown): zone is string {
  if (typeof zone !== 'string' || zone.length === 0 || zone.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Checks a timing: exactly one of cron and every, a valid expression, a known zone. */
export function validateTiming(timing: ScheduleTiming): void {
  if (timing === null || typeof timing !== 'object')
    throw new InvalidTaskError('a schedule needs cron or every');
  const { cron, every, timezone } = timing;
  if (cron !== undefined && every !== undefined)
    throw new InvalidTaskError('a schedule takes cron or every, not both');
  if (cron === undefined && every === undefined)
    throw new InvalidTaskError('a schedule needs cron or every');
  if (timezone !== undefined && !isTimeZone(timezone))
    throw new InvalidTaskError(`unknown time zone ${JSON.stringify(timezone)}`);
  if (every !== undefined) {
    if (
      typeof every !== 'number' ||
      !Number.isInteger(every) ||
      every < MIN_EVERY_MS ||
      every > MAX_EVERY_MS
    )
      throw new InvalidTaskError(
        `every must be an integer number of ms from ${MIN_EVERY_MS} to ${MAX_EVERY_MS}`,
      );
    if (timezone !== undefined)
      throw new InvalidTaskError('timezone applies to cron schedules only');
    return;
  }
  parseCron(cron, timezone, 0);
}

function parseCron(cron: unknown, timezone: string | undefined, after: number): CronExpression {
  if (typeof cron !== 'string' || cron.length === 0 || cron.length > MAX_CRON_CHARS)
    throw new InvalidTaskError(`cron must be a string of 1 to ${MAX_CRON_CHARS} characters`);
  const fields = cron.trim().split(/\s+/);
  if (fields.length !== 5 && fields.length !== 6)
    throw new InvalidTaskError(
      `invalid cron expression ${JSON.stringify(cron)}: it needs 5 fields ` +
        '(minute hour day-of-month month day-of-week) or 6 (seconds first)',
    );
  try {
    return CronExpressionParser.parse(fields.join(' '), {
      currentDate: new Date(after),
      tz: timezone ?? 'UTC',
      strict: false,
    });
  } catch (err) {
    throw new InvalidTaskError(
      `invalid cron expression ${JSON.stringify(cron)}: ${(err as Error).message}`,
    );
  }
}

/** The first fire time strictly after `after` (epoch ms), or null when there is none. */
export function nextFireTime(timing: ScheduleTiming, after: number): number | null {
  if (timing.every !== undefined) return (Math.floor(after / timing.every) + 1) * timing.every;
  const expr = parseCron(timing.cron, timing.timezone, after);
  try {
    return expr.next().getTime();
  } catch {
    return null;
  }
}

/** The last fire time at or before `atOrBefore` (epoch ms), or null when there is none. */
export function previousFireTime(timing: ScheduleTiming, atOrBefore: number): number | null {
  if (timing.every !== undefined) return Math.floor(atOrBefore / timing.every) * timing.every;
  const expr = parseCron(timing.cron, timing.timezone, Math.floor(atOrBefore) + 1);
  try {
    return expr.prev().getTime();
  } catch {
    return null;
  }
}

/** Up to `count` fire times strictly after `after`, ascending. */
export function nextFireTimes(timing: ScheduleTiming, after: number, count: number): number[] {
  const times: number[] = [];
  if (timing.every !== undefined) {
    const first = (Math.floor(after / timing.every) + 1) * timing.every;
    for (let i = 0; i < count; i++) times.push(first + i * timing.every);
    return times;
  }
  const expr = parseCron(timing.cron, timing.timezone, after);
  for (let i = 0; i < count; i++) {
    try {
      times.push(expr.next().getTime());
    } catch {
      break;
    }
  }
  return times;
}
