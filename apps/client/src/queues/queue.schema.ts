import { ApiProperty } from '@nestjs/swagger';
import type { QueueView } from '@shepherd/taskqueue';

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
  };
}
