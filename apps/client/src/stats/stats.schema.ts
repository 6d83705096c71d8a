import { ApiProperty } from '@nestjs/swagger';

export class TaskCountsResponse {
  @ApiProperty({ description: 'Flow tasks waiting for their dependencies, in /waiting' })
  waiting!: number;

  @ApiProperty({ description: 'Waiting in /tasks (including delayed and retry-scheduled)' })
  queued!: number;

  @ApiProperty({ description: 'Assigned to a worker, not started yet' })
  assigned!: number;

  @ApiProperty({ description: 'Running on a worker' })
  running!: number;

  @ApiProperty({ description: 'Done, failed or cancelled records kept in /status' })
  finished!: number;

  @ApiProperty({ description: 'Out of attempts, in /dead' })
  dead!: number;
}

export class FinishedSinceStartResponse {
  @ApiProperty()
  done!: number;

  @ApiProperty()
  failed!: number;

  @ApiProperty()
  cancelled!: number;

  @ApiProperty()
  dead!: number;
}

export class ThroughputResponse {
  @ApiProperty({ example: 60 })
  windowSeconds!: number;

  @ApiProperty({
    type: [Number],
    description: 'Tasks completed in each second of the window, oldest first',
  })
  perSecond!: number[];

  @ApiProperty({ description: 'Tasks completed in the window' })
  total!: number;

  @ApiProperty({ description: 'total / windowSeconds' })
  ratePerSecond!: number;
}

export class LatencyResponse {
  @ApiProperty({ example: 60 })
  windowSeconds!: number;

  @ApiProperty({ description: 'Tasks completed in the window' })
  count!: number;

  @ApiProperty({ type: Number, nullable: true, description: 'Median of finished - created, ms' })
  p50Ms!: number | null;

  @ApiProperty({ type: Number, nullable: true, description: '99th percentile, ms' })
  p99Ms!: number | null;
}

export class StatsResponse {
  @ApiProperty({ format: 'date-time' })
  at!: string;

  @ApiProperty({ type: TaskCountsResponse })
  counts!: TaskCountsResponse;

  @ApiProperty({ format: 'date-time', description: 'When this app started counting' })
  since!: string;

  @ApiProperty({
    type: FinishedSinceStartResponse,
    description: 'Tasks seen finishing since this app started, by end state',
  })
  finishedSinceStart!: FinishedSinceStartResponse;

  @ApiProperty({ description: 'Live workers' })
  workers!: number;

  @ApiProperty({ description: 'Master candidates (one leads)' })
  masters!: number;

  @ApiProperty({ type: String, nullable: true })
  leader!: string | null;

  @ApiProperty({ type: ThroughputResponse })
  throughput!: ThroughputResponse;

  @ApiProperty({ type: LatencyResponse })
  latency!: LatencyResponse;

  @ApiProperty({
    type: [String],
    example: ['resize'],
    description:
      'Task types with queued tasks that no live worker serves (none advertises the type or ' +
      '"*"): they wait until one does. From what this app has seen since it started: tasks ' +
      'queued through the event stream, not a read of the queue, so a backlog from before it ' +
      'started is not counted',
  })
  queuedTypesWithoutWorker!: string[];
}
