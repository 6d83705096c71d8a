import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  DEPENDENCY_FAILURE_POLICIES,
  FLOW_STATES,
  TASK_STATES,
  type DependencyFailurePolicy,
  type FlowState,
  type FlowView,
  type TaskPage,
  type TaskState,
} from '@shepherd/taskqueue';
import { isoTime } from '../iso-time';

export class FlowCreatedResponse {
  @ApiProperty({ example: 'flow-0mx9a5efbk2x1qab1' })
  id!: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    description: "Each task's id, by key",
    example: { fetch: 'task-0rs0mx9a5efbk2x1qab1', resize: 'task-0rs0mx9a5efbk2x1qab2' },
  })
  tasks!: Record<string, string>;
}

export class FlowTaskResponse {
  @ApiProperty()
  key!: string;

  @ApiProperty({ example: 'task-0rs0mx9a5efbk2x1qab1' })
  id!: string;

  @ApiProperty()
  type!: string;

  @ApiProperty({
    enum: TASK_STATES,
    description: 'waiting: some dependency has not ended yet (GET /tasks/:id for the rest)',
  })
  state!: TaskState;

  @ApiProperty({ type: [String] })
  dependsOn!: string[];
}

export class FlowCancelledResponse {
  @ApiProperty({ format: 'date-time' })
  at!: string;

  @ApiPropertyOptional()
  reason?: string;
}

export class FlowResponse {
  @ApiProperty({ example: 'flow-0mx9a5efbk2x1qab1' })
  id!: string;

  @ApiProperty({
    enum: FLOW_STATES,
    description:
      'running: some task has not ended; done: all ended done; failed: all ended, not all ' +
      'done; cancelled: the flow was cancelled',
  })
  state!: FlowState;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ enum: DEPENDENCY_FAILURE_POLICIES })
  onDependencyFailure!: DependencyFailurePolicy;

  @ApiPropertyOptional({ type: FlowCancelledResponse })
  cancelled?: FlowCancelledResponse;

  @ApiProperty({ type: [FlowTaskResponse], description: 'In the order they were given' })
  tasks!: FlowTaskResponse[];
}

/** The answer of GET /flows. */
export class FlowPageResponse {
  @ApiProperty({ type: [FlowResponse], description: 'Newest first' })
  items!: FlowResponse[];

  @ApiPropertyOptional({ description: 'Pass as ?cursor= for the next page; absent on the last' })
  nextCursor?: string;
}

export function toFlowPageResponse(page: TaskPage<FlowView>): FlowPageResponse {
  return {
    items: page.items.map(toFlowResponse),
    ...(page.nextCursor !== undefined && { nextCursor: page.nextCursor }),
  };
}

export function toFlowResponse(v: FlowView): FlowResponse {
  return {
    id: v.id,
    state: v.state,
    createdAt: isoTime(v.createdAt),
    onDependencyFailure: v.onDependencyFailure,
    ...(v.cancelled !== undefined && {
      cancelled: {
        at: isoTime(v.cancelled.at),
        ...(v.cancelled.reason !== undefined && { reason: v.cancelled.reason }),
      },
    }),
    tasks: v.tasks.map((t) => ({
      key: t.key,
      id: t.id,
      type: t.type,
      state: t.state,
      dependsOn: t.dependsOn,
    })),
  };
}
