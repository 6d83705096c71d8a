import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import {
  DEFAULT_LIST_LIMIT,
  MAX_LIST_LIMIT,
  TASK_STATES,
  TASK_TYPE_PATTERN,
  TASK_TYPE_RULE,
  type ListQuery,
  type TaskState,
} from '@shepherd/taskqueue';

/** Query of GET /tasks. */
export class ListTasksQuery {
  @ApiPropertyOptional({ enum: TASK_STATES })
  @IsOptional()
  @IsIn([...TASK_STATES], { message: `state must be one of: ${TASK_STATES.join(', ')}` })
  readonly state?: TaskState;

  @ApiPropertyOptional({ pattern: TASK_TYPE_PATTERN.source })
  @IsOptional()
  @Matches(TASK_TYPE_PATTERN, { message: `type must match ${TASK_TYPE_RULE}` })
  @IsString()
  readonly type?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_LIST_LIMIT, default: DEFAULT_LIST_LIMIT })
  @IsOptional()
  @Type(() => Number)
  @Min(1)
  @Max(MAX_LIST_LIMIT)
  @IsInt({ message: `limit must be an integer from 1 to ${MAX_LIST_LIMIT}` })
  readonly limit?: number;

  @ApiPropertyOptional({ description: 'The nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  readonly cursor?: string;
}

export function listQueryOf(q: ListTasksQuery): ListQuery {
  const query: ListQuery = {};
  if (q.state !== undefined) query.state = q.state;
  if (q.type !== undefined) query.type = q.type;
  if (q.limit !== undefined) query.limit = q.limit;
  if (q.cursor !== undefined) query.cursor = q.cursor;
  return query;
}
