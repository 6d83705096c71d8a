import { ApiProperty } from '@nestjs/swagger';
import type { QueueView } from '@shepherd/taskqueue';
import { isoTime } from '../iso-time';

export class RateLimitResponse {
  @ApiProperty()
  max!: number;

  @ApiProperty({ description: 'The window, in ms' })
  perMs!: number;
}

export class QueueResponse {
  @ApiProperty({ example: 'resize' })
  type!: string;

  @ApiProperty({ description: 'No new assignments of the type while true' })
  paused!: boolean;

  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'Most tasks of the type assigned or running at once; null: no cap',
  })
  concurrency!: number | null;

  @ApiProperty({ type: RateLimitResponse, nullable: true, description: 'null: no limit' })
  rateLimit!: RateLimitResponse | null;

  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'Most tasks of one group of the type running at once; null: no cap',
  })
  groupConcurrency!: number | null;

  @ApiProperty({ description: 'Live workers (not draining) that serve the type' })
  workers!: number;

  @ApiProperty({
    type: Number,
    nullable: true,
    description:
      'Queued tasks of the type, as the leading master last counted them (about once a second); ' +
      'null before a leader counted. In a backlog deeper than the leader has read, the unread ' +
      'tasks are in `unclassified` until it reaches them',
  })
  queued!: number | null;

  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'Tasks of the type assigned or running, as the leader last counted them',
  })
  running!: number | null;

  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'Queued tasks of any type whose type the leader has not read yet',
  })
  unclassified!: number | null;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'When the leader counted',
  })
  countedAt!: string | null;
}

export class QueueListResponse {
  @ApiProperty({ type: [QueueResponse] })
  items!: QueueResponse[];
}

export function toQueueResponse(view: QueueView): QueueResponse {
  return {
    type: view.type,
    paused: view.paused,
    concurrency: view.concurrency,
    rateLimit: view.rateLimit,
    groupConcurrency: view.groupConcurrency,
    workers: view.workers,
    queued: view.queued,
    running: view.running,
    unclassified: view.unclassified,
    countedAt: view.countedAt === null ? null : isoTime(view.countedAt),
  };
}
