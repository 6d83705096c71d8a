import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { MISSED_POLICIES, type MissedPolicy, type ScheduleView } from '@shepherd/taskqueue';
import { isoTime } from '../iso-time';
import { ANY_JSON } from '../openapi/any-json';

export class ScheduledTaskResponse {
  @ApiProperty({ example: 'task-0rs0mx9a5efbk2x1qab1' })
  id!: string;

  @ApiProperty({ format: 'date-time', description: 'The fire time it was created for' })
  scheduledFor!: string;
}

export class ScheduleResponse {
  @ApiProperty()
  name!: string;

  @ApiPropertyOptional()
  cron?: string;

  @ApiPropertyOptional({ description: 'Interval in ms' })
  every?: number;

  @ApiPropertyOptional()
  timezone?: string;

  @ApiProperty({ enum: MISSED_POLICIES })
  missed!: MissedPolicy;

  @ApiProperty()
  paused!: boolean;

  @ApiProperty({ ...ANY_JSON, description: 'The task submitted at each fire time' })
  task!: unknown;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'The last fire time' })
  lastFireAt?: string;

  @ApiProperty({
    type: [String],
    format: 'date-time',
    description: 'The next 5 fire times; none while paused',
  })
  nextFireTimes!: string[];

  @ApiProperty({
    type: [ScheduledTaskResponse],
    description: 'The last tasks it created, newest first',
  })
  lastTasks!: ScheduledTaskResponse[];
}

export class ScheduleListResponse {
  @ApiProperty({ type: [ScheduleResponse], description: 'By name' })
  items!: ScheduleResponse[];
}

export function toScheduleResponse(v: ScheduleView): ScheduleResponse {
  return {
    name: v.name,
    ...(v.cron !== undefined && { cron: v.cron }),
    ...(v.every !== undefined && { every: v.every }),
    ...(v.timezone !== undefined && { timezone: v.timezone }),
    missed: v.missed,
    paused: v.paused,
    task: v.task,
    createdAt: isoTime(v.createdAt),
    updatedAt: isoTime(v.updatedAt),
    ...(v.lastFireAt !== undefined && { lastFireAt: isoTime(v.lastFireAt) }),
    nextFireTimes: v.nextFireTimes.map(isoTime),
    lastTasks: v.lastTasks.map((t) => ({ id: t.id, scheduledFor: isoTime(t.scheduledFor) })),
  };
}
