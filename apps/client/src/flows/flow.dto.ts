import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import {
  DEFAULT_FLOW_LIST_LIMIT,
  DEPENDENCY_FAILURE_POLICIES,
  FLOW_LIMITS,
  MAX_FLOW_LIST_LIMIT,
  TASK_TYPE_PATTERN,
  TASK_TYPE_RULE,
  type DependencyFailurePolicy,
  type FlowListQuery,
  type FlowSpec,
  type FlowTaskSpec,
} from '@shepherd/taskqueue';
import { SubmitTaskDto, submitOptionsOf } from '../tasks/submit-task.dto';

/** One task of POST /flows: a task as for POST /tasks (no idempotencyKey), with its key. */
export class FlowTaskDto extends OmitType(SubmitTaskDto, ['idempotencyKey'] as const) {
  @ApiProperty({
    description: 'Names the task within the flow (same pattern as task types)',
    pattern: TASK_TYPE_PATTERN.source,
    example: 'resize',
  })
  @Matches(TASK_TYPE_PATTERN, { message: `key must match ${TASK_TYPE_RULE}` })
  @IsString()
  readonly key!: string;

  @ApiPropertyOptional({
    type: [String],
    description:
      'Keys of the tasks of this flow that must end done before this one starts; their ' +
      'results reach its handler as task.dependencies',
    example: ['fetch'],
  })
  @IsOptional()
  @IsString({ each: true })
  @IsArray()
  readonly dependsOn?: string[];
}

/** Body of POST /flows. */
export class CreateFlowDto {
  @ApiProperty({
    type: [FlowTaskDto],
    minItems: 1,
    maxItems: FLOW_LIMITS.maxTasks,
    description:
      `1 to ${FLOW_LIMITS.maxTasks} tasks forming a DAG (no cycle, every dependency a key of ` +
      'the flow). Created together or not at all, in one ZooKeeper multi: all the tasks ' +
      'together must fit 768 KiB',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(FLOW_LIMITS.maxTasks)
  @ValidateNested({ each: true })
  @Type(() => FlowTaskDto)
  readonly tasks!: FlowTaskDto[];

  @ApiPropertyOptional({
    enum: DEPENDENCY_FAILURE_POLICIES,
    default: 'cancel',
    description:
      "When a dependency ends dead, failed or cancelled: 'cancel' cancels its dependents " +
      "(transitively); 'run' runs them anyway once all their dependencies ended, the failed " +
      'ones described in task.failedDependencies',
  })
  @IsOptional()
  @IsIn(DEPENDENCY_FAILURE_POLICIES)
  readonly onDependencyFailure?: DependencyFailurePolicy;
}

/** Body of POST /flows/:id/cancel (optional). */
export class CancelFlowDto {
  @ApiPropertyOptional({
    description: "Kept in the flow and in each cancelled task's history",
    maxLength: FLOW_LIMITS.maxReasonChars,
    example: 'no longer needed',
  })
  @IsOptional()
  @Length(1, FLOW_LIMITS.maxReasonChars)
  @IsString()
  readonly reason?: string;
}

/** Query of GET /flows. */
export class ListFlowsQuery {
  @ApiPropertyOptional({
    minimum: 1,
    maximum: MAX_FLOW_LIST_LIMIT,
    default: DEFAULT_FLOW_LIST_LIMIT,
  })
  @IsOptional()
  @Type(() => Number)
  @Min(1)
  @Max(MAX_FLOW_LIST_LIMIT)
  @IsInt({ message: `limit must be an integer from 1 to ${MAX_FLOW_LIST_LIMIT}` })
  readonly limit?: number;

  @ApiPropertyOptional({
    description: 'The nextCursor of the previous page (the id of its last flow)',
    example: 'flow-0mx9a5efbk2x1qab1',
  })
  @IsOptional()
  @IsString()
  readonly cursor?: string;
}

export function flowListQueryOf(q: ListFlowsQuery): FlowListQuery {
  const query: FlowListQuery = {};
  if (q.limit !== undefined) query.limit = q.limit;
  if (q.cursor !== undefined) query.cursor = q.cursor;
  return query;
}

export function flowSpecOf(dto: CreateFlowDto): FlowSpec {
  const tasks = dto.tasks.map((t): FlowTaskSpec => {
    const task: FlowTaskSpec = {
      key: t.key,
      type: t.type,
      payload: t.payload === undefined ? null : t.payload,
      ...submitOptionsOf(t),
    };
    if (t.dependsOn !== undefined) task.dependsOn = t.dependsOn;
    return task;
  });
  const spec: FlowSpec = { tasks };
  if (dto.onDependencyFailure !== undefined) spec.onDependencyFailure = dto.onDependencyFailure;
  return spec;
}
