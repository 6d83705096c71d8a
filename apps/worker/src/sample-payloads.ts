import { plainToInstance } from 'class-transformer';
import { IsDefined, IsInt, IsString, Max, Min, validateSync } from 'class-validator';
import { LIMITS, NonRetryableError } from '@shepherd/taskqueue';

// Payloads of the sample task types. A task whose payload is wrong fails at once
// (NonRetryableError, state `failed`): another attempt would fail the same way.
// Decorators run bottom-up and only the first failure of a field is reported, so each field
// lists its checks from the most specific (top) to "is it there at all" (bottom).

export class SleepPayload {
  @Max(LIMITS.maxTimeoutMs, { message: `ms must be <= ${LIMITS.maxTimeoutMs}` })
  @Min(0, { message: 'ms must be >= 0' })
  @IsInt({ message: 'ms must be an integer (milliseconds)' })
  @IsDefined({ message: 'ms is required' })
  readonly ms!: number;
}

/** At about a microsecond per round, the largest job takes a couple of minutes of CPU. */
export const MAX_SHA256_ROUNDS = 100_000_000;

export class Sha256Payload {
  @IsString({ message: 'data must be a string' })
  @IsDefined({ message: 'data is required' })
  readonly data!: string;

  @Max(MAX_SHA256_ROUNDS, { message: `rounds must be <= ${MAX_SHA256_ROUNDS}` })
  @Min(1, { message: 'rounds must be >= 1' })
  @IsInt({ message: 'rounds must be an integer' })
  @IsDefined({ message: 'rounds is required' })
  readonly rounds!: number;
}

export class FailPayload {
  @Max(LIMITS.maxAttempts, { message: `times must be <= ${LIMITS.maxAttempts}` })
  @Min(0, { message: 'times must be >= 0' })
  @IsInt({ message: 'times must be an integer' })
  @IsDefined({ message: 'times is required' })
  readonly times!: number;
}

/**
 * The payload as an instance of `cls`, or a NonRetryableError naming the task type and what
 * is wrong with each field, e.g. `sleep: invalid payload: ms must be an integer (milliseconds)`.
 * Values are taken as sent (no conversion): `"100"` is not a number of milliseconds.
 */
export function parsePayload<T extends object>(
  type: string,
  cls: new () => T,
  payload: unknown,
): T {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload))
    throw new NonRetryableError(`${type}: invalid payload: expected a JSON object`);
  const instance = plainToInstance(cls, payload);
  const problems = validateSync(instance, {
    forbidUnknownValues: false,
    stopAtFirstError: true,
  }).flatMap((e) => Object.values(e.constraints ?? {}));
  if (problems.length > 0)
    throw new NonRetryableError(`${type}: invalid payload: ${problems.join('; ')}`);
  return instance;
}
