import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import {
  MAX_EVERY_MS,
  MIN_EVERY_MS,
  MISSED_POLICIES,
  TASK_TYPE_PATTERN,
  TASK_TYPE_RULE,
  type MissedPolicy,
  type SchedulePatch,
  type ScheduleSpec,
  type ScheduleTask,
} from '@shepherd/taskqueue';
import { SubmitTaskDto, submitOptionsOf } from '../tasks/submit-task.dto';

const CRON =
  '5 fields (minute hour day-of-month month day-of-week) or 6 (seconds first), e.g. `*/10 * * * * *`';

/** The timing, policy and task fields of POST and PUT /schedules. */
class ScheduleFieldsDto {
  @ApiPropertyOptional({ description: `A cron expression: ${CRON}. Not with every` })
  @IsOptional()
  @Length(1, 256)
  @IsString()
  readonly cron?: string;

  @ApiPropertyOptional({
    description: 'Fires every this many ms, at the multiples of it since the epoch. Not with cron',
    minimum: MIN_EVERY_MS,
    maximum: MAX_EVERY_MS,
    example: 60000,
  })
  @IsOptional()
  @Min(MIN_EVERY_MS)
  @Max(MAX_EVERY_MS)
  @IsInt()
  readonly every?: number;

  @ApiPropertyOptional({
    description: 'IANA time zone of the cron expression (default UTC)',
    example: 'Europe/Paris',
  })
  @IsOptional()
  @Length(1, 64)
  @IsString()
  readonly timezone?: string;

  @ApiPropertyOptional({
    enum: MISSED_POLICIES,
    default: 'skip',
    description:
      "Fire times missed while no master ran: 'skip' fires only the times still due, " +
      "'once' fires one task for all of them",
  })
  @IsOptional()
  @IsIn(MISSED_POLICIES)
  readonly missed?: MissedPolicy;

  @ApiPropertyOptional({ description: 'A paused schedule does not fire' })
  @IsOptional()
  @IsBoolean()
  readonly paused?: boolean;
}

/** Body of POST /schedules. */
export class CreateScheduleDto extends ScheduleFieldsDto {
  @ApiProperty({
    description: 'The schedule name (same pattern as task types)',
    pattern: TASK_TYPE_PATTERN.source,
    example: 'nightly-report',
  })
  @Matches(TASK_TYPE_PATTERN, { message: `name must match ${TASK_TYPE_RULE}` })
  @IsString()
  readonly name!: string;

  @ApiProperty({
    type: SubmitTaskDto,
    description:
      'The task submitted at each fire time (no idempotencyKey: each fire makes its own)',
  })
  @ValidateNested()
  @Type(() => SubmitTaskDto)
  @IsObject()
  readonly task!: SubmitTaskDto;
}

/** Body of PUT /schedules/:name: the fields to change. */
export class UpdateScheduleDto extends ScheduleFieldsDto {
  @ApiPropertyOptional({ type: SubmitTaskDto, description: 'A new task for the next fire times' })
  @IsOptional()
  @ValidateNested()
  @Type(() => SubmitTaskDto)
  @IsObject()
  readonly task?: SubmitTaskDto;
}

function taskOf(dto: SubmitTaskDto): ScheduleTask {
  const task: ScheduleTask & { idempotencyKey?: string } = {
    type: dto.type,
    payload: dto.payload === undefined ? null : dto.payload,
    ...submitOptionsOf(dto),
  };
  return task;
}

function fieldsOf(dto: ScheduleFieldsDto): SchedulePatch {
  const out: SchedulePatch = {};
  if (dto.cron !== undefined) out.cron = dto.cron;
  if (dto.every !== undefined) out.every = dto.every;
  if (dto.timezone !== undefined) out.timezone = dto.timezone;
  if (dto.missed !== undefined) out.missed = dto.missed;
  if (dto.paused !== undefined) out.paused = dto.paused;
  return out;
}

export function scheduleSpecOf(dto: CreateScheduleDto): ScheduleSpec {
  return { name: dto.name, ...fieldsOf(dto), task: taskOf(dto.task) };
}

export function schedulePatchOf(dto: UpdateScheduleDto): SchedulePatch {
  const patch = fieldsOf(dto);
  if (dto.task !== undefined) patch.task = taskOf(dto.task);
  return patch;
}
