import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsNumber, IsOptional, Max, Min } from 'class-validator';

/** The longest ?wait= of GET /tasks/:id, in seconds. */
export const MAX_WAIT_SECONDS = 60;

/** Query of GET /tasks/:id. */
export class GetTaskQuery {
  @ApiPropertyOptional({
    description:
      'Wait up to this many seconds for the task to be done, failed, dead or cancelled; then answer it as it is',
    minimum: 0,
    maximum: MAX_WAIT_SECONDS,
  })
  @IsOptional()
  @Type(() => Number)
  @Min(0)
  @Max(MAX_WAIT_SECONDS)
  @IsNumber(
    { allowNaN: false, allowInfinity: false },
    { message: `wait must be a number of seconds from 0 to ${MAX_WAIT_SECONDS}` },
  )
  readonly wait?: number;
}
