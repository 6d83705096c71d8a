import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, ValidateNested } from 'class-validator';
import { SubmitTaskDto } from './submit-task.dto';

/** Tasks one batch may hold: they are checked together and queued in as few multis as fit. */
export const MAX_BATCH_TASKS = 1000;

/** Body of POST /tasks/batch. */
export class SubmitBatchDto {
  @ApiProperty({ type: [SubmitTaskDto], minItems: 1, maxItems: MAX_BATCH_TASKS })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_BATCH_TASKS)
  @ValidateNested({ each: true })
  @Type(() => SubmitTaskDto)
  readonly tasks!: SubmitTaskDto[];
}
