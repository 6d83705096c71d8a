import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsInt, IsObject, IsOptional, Max, Min, ValidateNested } from 'class-validator';
import {
  MAX_QUEUE_CONCURRENCY,
  MAX_RATE_WINDOW_MS,
  type QueueSettingsPatch,
} from '@shepherd/taskqueue';

export class RateLimitDto {
  @ApiPropertyOptional({ description: 'Most assignments started per window', minimum: 1 })
  @Min(1)
  @IsInt()
  readonly max!: number;

  @ApiPropertyOptional({
    description: 'The window, in ms',
    minimum: 1,
    maximum: MAX_RATE_WINDOW_MS,
    example: 60000,
  })
  @Min(1)
  @Max(MAX_RATE_WINDOW_MS)
  @IsInt()
  readonly perMs!: number;
}

/** Body of PUT /queues/:type: any of the fields; `null` clears a limit. */
export class UpdateQueueDto {
  @ApiPropertyOptional({
    description: 'A paused type gets no new assignments; running tasks finish',
  })
  @IsOptional()
  @IsBoolean()
  readonly paused?: boolean;

  @ApiPropertyOptional({
    description: 'Most tasks of the type assigned or running at once, cluster-wide; null clears it',
    minimum: 1,
    maximum: MAX_QUEUE_CONCURRENCY,
    nullable: true,
    type: Number,
  })
  @IsOptional()
  @Min(1)
  @Max(MAX_QUEUE_CONCURRENCY)
  @IsInt()
  readonly concurrency?: number | null;

  @ApiPropertyOptional({
    description:
      'Most tasks of one group (the task option `group`) of the type running at once, ' +
      'cluster-wide; a busy group never holds back the others; tasks without a group are not ' +
      'limited by it; null clears it',
    minimum: 1,
    maximum: MAX_QUEUE_CONCURRENCY,
    nullable: true,
    type: Number,
  })
  @IsOptional()
  @Min(1)
  @Max(MAX_QUEUE_CONCURRENCY)
  @IsInt()
  readonly groupConcurrency?: number | null;

  @ApiPropertyOptional({
    description: 'At most `max` assignments of the type start per `perMs` ms; null clears it',
    type: RateLimitDto,
    nullable: true,
  })
  @IsOptional()
  @ValidateNested()
  @IsObject()
  @Type(() => RateLimitDto)
  readonly rateLimit?: RateLimitDto | null;
}

/** The patch a PUT body asks for; `null` (clear) is kept apart from absent (unchanged). */
export function queuePatchOf(dto: UpdateQueueDto): QueueSettingsPatch {
  const patch: QueueSettingsPatch = {};
  if (dto.paused !== undefined) patch.paused = dto.paused;
  if (dto.concurrency !== undefined) patch.concurrency = dto.concurrency;
  if (dto.groupConcurrency !== undefined) patch.groupConcurrency = dto.groupConcurrency;
  if (dto.rateLimit !== undefined)
    patch.rateLimit =
      dto.rateLimit === null ? null : { max: dto.rateLimit.max, perMs: dto.rateLimit.perMs };
  return patch;
}
