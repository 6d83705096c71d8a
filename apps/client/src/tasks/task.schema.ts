import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { TASK_STATES, type HistoryEvent, type TaskState } from '@shepherd/taskqueue';
import { ANY_JSON } from '../openapi/any-json';

// The task as the REST API answers it (OpenAPI schemas; see task-representation.ts).

const HISTORY_EVENTS: HistoryEvent[] = [
  'queued',
  'assigned',
  'started',
  'completed',
  'failed',
  'timed-out',
  'retry-scheduled',
  'reassigned',
  'handed-back',
  'dead',
  'cancelled',
  'redriven',
];

export class HistoryEntryResponse {
  @ApiProperty({ format: 'date-time' })
  at!: string;

  @ApiProperty({ enum: HISTORY_EVENTS })
  event!: HistoryEvent;

  @ApiPropertyOptional({ description: 'The worker involved' })
  worker?: string;

  @ApiPropertyOptional({ description: 'Why, for failures, reassignments and cancellations' })
  detail?: string;
}

export class TaskErrorResponse {
  @ApiProperty()
  message!: string;

  @ApiPropertyOptional()
  name?: string;

  @ApiPropertyOptional()
  stack?: string;
}

export class TaskResponse {
  @ApiProperty({ example: 'task-0mf3k2x1qab12cd34' })
  id!: string;

  @ApiProperty({ example: 'echo' })
  type!: string;

  @ApiProperty({ enum: TASK_STATES })
  state!: TaskState;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The worker holding the task, or the last one that held it',
  })
  worker!: string | null;

  @ApiProperty({ description: 'Attempts started so far' })
  attempts!: number;

  @ApiProperty()
  maxAttempts!: number;

  @ApiProperty({ type: [HistoryEntryResponse] })
  history!: HistoryEntryResponse[];

  @ApiPropertyOptional({ ...ANY_JSON, description: "The handler's return value (done tasks)" })
  result?: unknown;

  @ApiPropertyOptional({ type: TaskErrorResponse })
  error?: TaskErrorResponse;

  @ApiPropertyOptional({ ...ANY_JSON, description: 'Last progress reported by the handler' })
  progress?: unknown;

  @ApiProperty({ ...ANY_JSON, description: 'The payload as submitted' })
  payload!: unknown;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Queued, not assigned before this' })
  notBefore?: string;

  @ApiPropertyOptional({ format: 'date-time' })
  startedAt?: string;

  @ApiPropertyOptional({ format: 'date-time' })
  finishedAt?: string;

  @ApiPropertyOptional()
  idempotencyKey?: string;
}

export class TaskPageResponse {
  @ApiProperty({ type: [TaskResponse], description: 'Newest first' })
  items!: TaskResponse[];

  @ApiPropertyOptional({ description: 'Pass as ?cursor= for the next page; absent on the last' })
  nextCursor?: string;
}

export class BatchResponse {
  @ApiProperty({ type: [String], description: 'The task ids, in the order submitted' })
  ids!: string[];
}
