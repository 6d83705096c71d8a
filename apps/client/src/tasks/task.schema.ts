import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { LIMITS, TASK_STATES, type HistoryEvent, type TaskState } from '@shepherd/taskqueue';
import { MAX_BODY_DEPTH } from '../http/body-depth';
import { ANY_JSON } from '../openapi/any-json';

// The task as the REST API answers it (OpenAPI schemas; see task-representation.ts).

const kib = (bytes: number) => `${bytes / 1024} KiB`;

/** The limits on what a task carries, as the OpenAPI descriptions state them. */
export const PAYLOAD_LIMITS =
  `At most ${kib(LIMITS.maxPayloadBytes)} as JSON (413 above), and the request body it comes ` +
  `in nests at most ${MAX_BODY_DEPTH} levels of arrays and objects (400 deeper)`;
export const RESULT_LIMITS =
  `At most ${kib(LIMITS.maxResultBytes)} as JSON: a larger result, or one that is not JSON, ` +
  'fails the task at once (ResultNotStorableError, not retried)';
export const PROGRESS_LIMITS = `At most ${kib(LIMITS.maxProgressBytes)} as JSON`;

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
  @ApiProperty({ description: `Cut to ${LIMITS.maxErrorChars} characters` })
  message!: string;

  @ApiPropertyOptional({ example: 'TypeError' })
  name?: string;

  @ApiPropertyOptional({
    description:
      'Only when the worker stores stacks (WORKER_ERROR_STACKS, --error-stacks; off by ' +
      "default): otherwise the stack is in the worker's log, with the task id",
  })
  stack?: string;
}

export class TaskFlowResponse {
  @ApiProperty({ description: 'The flow id' })
  id!: string;

  @ApiProperty({ description: "The task's key in the flow" })
  key!: string;

  @ApiProperty({ type: [String], description: 'Keys of the tasks it waits for' })
  dependsOn!: string[];
}
export class TaskResponse {
  @ApiProperty({ example: 'task-0rs0mf3k2x1qab12cd34' })
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

  @ApiProperty({
    type: 'integer',
    description: 'Higher runs first (-1000 to 1000; 0 unless given at submit)',
  })
  priority!: number;

  @ApiProperty({ type: [HistoryEntryResponse] })
  history!: HistoryEntryResponse[];

  @ApiPropertyOptional({
    ...ANY_JSON,
    description: `The handler's return value (done tasks). ${RESULT_LIMITS}`,
  })
  result?: unknown;

  @ApiPropertyOptional({ type: TaskErrorResponse })
  error?: TaskErrorResponse;

  @ApiPropertyOptional({
    ...ANY_JSON,
    description: `Last progress reported by the handler. ${PROGRESS_LIMITS}`,
  })
  progress?: unknown;

  @ApiProperty({ ...ANY_JSON, description: `The payload as submitted. ${PAYLOAD_LIMITS}` })
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

  @ApiPropertyOptional({
    type: TaskFlowResponse,
    description: 'The flow the task belongs to (GET /flows/:id): its id, the key, its dependencies',
  })
  flow?: TaskFlowResponse;

  @ApiPropertyOptional({ description: "The task's group (groupConcurrency applies per group)" })
  group?: string;

  @ApiPropertyOptional({ description: 'The schedule that created the task' })
  schedule?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'The fire time it was created for' })
  scheduledFor?: string;

  @ApiPropertyOptional({
    pattern: '^[0-9a-f]{32}$',
    description:
      "The W3C trace id of the task's OpenTelemetry trace, when it was submitted with one " +
      '(a traceparent header, or a traced submitter)',
  })
  traceId?: string;
}

export class TaskPageResponse {
  @ApiProperty({ type: [TaskResponse], description: 'Newest first' })
  items!: TaskResponse[];

  @ApiPropertyOptional({ description: 'Pass as ?cursor= for the next page; absent on the last' })
  nextCursor?: string;
}

const WARNING = {
  example: 'no live worker serves type "resize" yet: the task waits until one does',
  description:
    'Present when no live worker advertises the task type (or "*"): the task is queued all ' +
    'the same and waits until a worker for it registers. The workers are read at most once a ' +
    'second, so a worker that joined in the last second may not count yet',
};

/** The answer of POST /tasks: the task, and a warning when nothing will run it yet. */
export class SubmittedTaskResponse extends TaskResponse {
  @ApiPropertyOptional(WARNING)
  warning?: string;
}

export class BatchItemResponse {
  @ApiProperty({ example: 'task-0rs0mf3k2x1qab12cd34' })
  id!: string;

  @ApiPropertyOptional(WARNING)
  warning?: string;
}

export class BatchResponse {
  @ApiProperty({ type: [String], description: 'The task ids, in the order submitted' })
  ids!: string[];

  @ApiProperty({
    type: [BatchItemResponse],
    description: 'The same tasks, in the same order, each with its warning if it has one',
  })
  items!: BatchItemResponse[];
}
