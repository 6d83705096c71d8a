import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { LIMITS, TASK_TYPE_PATTERN, TASK_TYPE_RULE, type SubmitOptions } from '@shepherd/taskqueue';
import { ANY_JSON } from '../openapi/any-json';

/**
 * Body of POST /tasks, and one item of POST /tasks/batch. On each field the type check sits
 * nearest the name: class-validator runs it first, and with stopAtFirstError its message is
 * the one given.
 */
export class SubmitTaskDto {
  @ApiProperty({
    description: 'The task type: which worker handler runs it',
    pattern: TASK_TYPE_PATTERN.source,
    example: 'echo',
  })
  @Matches(TASK_TYPE_PATTERN, { message: `type must match ${TASK_TYPE_RULE}` })
  @IsString()
  readonly type!: string;

  @ApiPropertyOptional({
    ...ANY_JSON,
    description: `Any JSON value, handed to the handler; at most ${LIMITS.maxPayloadBytes} bytes as JSON`,
    example: { hello: 'world' },
  })
  @IsOptional()
  // Taken as it came: any JSON is a payload, and class-transformer must not rebuild it.
  @Transform(({ obj }: { obj: Record<string, unknown> }) => obj.payload)
  readonly payload?: unknown;

  @ApiPropertyOptional({
    description: 'Attempts before the task is dead (default 3)',
    minimum: 1,
    maximum: LIMITS.maxAttempts,
  })
  @IsOptional()
  @Min(1)
  @Max(LIMITS.maxAttempts)
  @IsInt()
  readonly maxAttempts?: number;

  @ApiPropertyOptional({
    description: 'Per-attempt time limit in ms; the handler is aborted past it',
    minimum: 1,
    maximum: LIMITS.maxTimeoutMs,
  })
  @IsOptional()
  @Min(1)
  @Max(LIMITS.maxTimeoutMs)
  @IsInt()
  readonly timeoutMs?: number;

  @ApiPropertyOptional({
    description: 'Not assigned before this many ms from now',
    minimum: 0,
    maximum: LIMITS.maxDelayMs,
  })
  @IsOptional()
  @Min(0)
  @Max(LIMITS.maxDelayMs)
  @IsInt()
  readonly delayMs?: number;

  @ApiPropertyOptional({
    description: 'First retry delay in ms (default 1000), doubled on each further retry',
    minimum: 0,
    maximum: LIMITS.maxTimeoutMs,
  })
  @IsOptional()
  @Min(0)
  @Max(LIMITS.maxTimeoutMs)
  @IsInt()
  readonly backoffMs?: number;

  @ApiPropertyOptional({
    description:
      'Higher runs first; tasks of one priority run in submit order. A task taken back from a ' +
      'lost worker, retried or handed back keeps its place',
    type: 'integer',
    minimum: LIMITS.minPriority,
    maximum: LIMITS.maxPriority,
    default: 0,
    example: 10,
  })
  @IsOptional()
  @Min(LIMITS.minPriority)
  @Max(LIMITS.maxPriority)
  @IsInt()
  readonly priority?: number;

  @ApiPropertyOptional({
    description: 'Submitting again with the same key answers the first task instead of a new one',
    minLength: 1,
    maxLength: LIMITS.maxIdempotencyKeyChars,
  })
  @IsOptional()
  @Length(1, LIMITS.maxIdempotencyKeyChars)
  @IsString()
  readonly idempotencyKey?: string;

  @ApiPropertyOptional({
    description:
      "The task's group (a tenant, a customer, any key). With the type's groupConcurrency " +
      '(PUT /queues/:type), at most that many tasks of one group run at once while other ' +
      'groups go on',
    minLength: 1,
    maxLength: LIMITS.maxGroupChars,
    example: 'tenant-42',
  })
  @IsOptional()
  @Length(1, LIMITS.maxGroupChars)
  @IsString()
  readonly group?: string;
}

/** The submit options of a DTO, without the fields that were not given. */
export function submitOptionsOf(dto: SubmitTaskDto): SubmitOptions {
  const options: SubmitOptions = {};
  if (dto.maxAttempts !== undefined) options.maxAttempts = dto.maxAttempts;
  if (dto.timeoutMs !== undefined) options.timeoutMs = dto.timeoutMs;
  if (dto.delayMs !== undefined) options.delayMs = dto.delayMs;
  if (dto.backoffMs !== undefined) options.backoffMs = dto.backoffMs;
  if (dto.idempotencyKey !== undefined) options.idempotencyKey = dto.idempotencyKey;
  if (dto.priority !== undefined) options.priority = dto.priority;
  if (dto.group !== undefined) options.group = dto.group;
  return options;
}
