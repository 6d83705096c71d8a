import { Body, Controller, Get, Inject, Param, Put } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { TaskQueueClient } from '@shepherd/taskqueue';
import { ShepherdApi } from '../http/shepherd-api.decorator';
import { UpdateQueueDto, queuePatchOf } from './queue.dto';
import { QueueListResponse, QueueResponse, toQueueResponse } from './queue.schema';

/**
 * Per-type queue settings: pause a type, cap how many of its tasks run at once, limit how many
 * start per window. The leading master enforces them. Errors are mapped by TaskErrorFilter.
 */
@ApiTags('queues')
@ShepherdApi()
@Controller('queues')
export class QueuesController {
  constructor(@Inject(TaskQueueClient) private readonly tasks: TaskQueueClient) {}

  @Get()
  @ApiOperation({ summary: 'Every task type with settings or a live worker, with its settings' })
  @ApiOkResponse({ type: QueueListResponse })
  async list(): Promise<QueueListResponse> {
    return { items: (await this.tasks.queues()).map(toQueueResponse) };
  }

  @Get(':type')
  @ApiOperation({ summary: "A type's queue settings (defaults when none were set)" })
  @ApiOkResponse({ type: QueueResponse })
  @ApiBadRequestResponse({ description: 'Not a valid task type' })
  async get(@Param('type') type: string): Promise<QueueResponse> {
    return toQueueResponse(await this.tasks.queue(type));
  }

  @Put(':type')
  @ApiOperation({
    summary:
      "Change a type's settings: any of paused, concurrency, rateLimit, groupConcurrency; null clears a limit",
  })
  @ApiBody({ type: UpdateQueueDto })
  @ApiOkResponse({ type: QueueResponse })
  @ApiBadRequestResponse({ description: 'A bad type, an unknown field or a bad value' })
  async update(@Param('type') type: string, @Body() dto: UpdateQueueDto): Promise<QueueResponse> {
    return toQueueResponse(await this.tasks.setQueue(type, queuePatchOf(dto)));
  }
}
