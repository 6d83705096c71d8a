import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  HttpStatus,
  Inject,
  Param,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiBody,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { IncomingHttpHeaders, ServerResponse } from 'http';
import { TaskQueueClient, WaitTimeoutError, type TaskView } from '@shepherd/taskqueue';
import { LiveWorkers, noWorkerWarning } from '../cluster/live-workers';
import { MAX_BODY_DEPTH } from '../http/body-depth';
import { ShepherdApi } from '../http/shepherd-api.decorator';
import { ApiTraceHeaders, traceHeaders } from '../http/trace-headers';
import { GetTaskQuery } from './get-task.query';
import { ListTasksQuery, listQueryOf } from './list-tasks.query';
import { MAX_BATCH_TASKS, SubmitBatchDto } from './submit-batch.dto';
import { SubmitTaskDto, submitOptionsOf } from './submit-task.dto';
import { toTaskPageResponse, toTaskResponse } from './task-representation';
import {
  BatchResponse,
  PAYLOAD_LIMITS,
  SubmittedTaskResponse,
  TaskPageResponse,
  TaskResponse,
} from './task.schema';

const TOO_DEEP = `A body nested deeper than ${MAX_BODY_DEPTH} levels`;

/**
 * Thin: every call is one TaskQueueClient call; its errors are mapped by TaskErrorFilter. A
 * submission also looks at the live workers (a cached list), to warn about a task that no
 * worker will take yet.
 */
@ApiTags('tasks')
@ShepherdApi()
@Controller('tasks')
export class TasksController {
  constructor(
    @Inject(TaskQueueClient) private readonly tasks: TaskQueueClient,
    @Inject(LiveWorkers) private readonly workers: LiveWorkers,
  ) {}

  @Post()
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: 'Queue a task' })
  @ApiTraceHeaders()
  @ApiBody({ type: SubmitTaskDto, description: `The task. Its payload: ${PAYLOAD_LIMITS}` })
  @ApiAcceptedResponse({
    type: SubmittedTaskResponse,
    description: 'Queued; Location names the task. `warning` when no live worker serves its type',
  })
  @ApiBadRequestResponse({
    description: `Unknown fields, wrong types, a bad type name. ${TOO_DEEP}`,
  })
  @ApiPayloadTooLargeResponse({ description: 'The payload is over 512 KiB as JSON' })
  async submit(
    @Body() dto: SubmitTaskDto,
    @Headers() headers: IncomingHttpHeaders,
    @Res({ passthrough: true }) res: ServerResponse,
  ): Promise<SubmittedTaskResponse> {
    const [view, unserved] = await Promise.all([
      this.tasks.submit(dto.type, dto.payload, {
        ...submitOptionsOf(dto),
        ...traceHeaders(headers),
      }),
      this.workers.unserved([dto.type]),
    ]);
    res.setHeader('Location', `/tasks/${view.id}`);
    const warning = warningFor(view, unserved);
    return { ...toTaskResponse(view), ...(warning !== undefined && { warning }) };
  }

  @Post('batch')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary: 'Queue up to 1,000 tasks at once: all are checked before any is queued',
  })
  @ApiTraceHeaders()
  @ApiBody({
    type: SubmitBatchDto,
    description: `1 to ${MAX_BATCH_TASKS} tasks. Each payload: ${PAYLOAD_LIMITS}`,
  })
  @ApiAcceptedResponse({ type: BatchResponse })
  @ApiBadRequestResponse({ description: `An invalid item (none is queued). ${TOO_DEEP}` })
  @ApiPayloadTooLargeResponse({ description: "An item's payload is over 512 KiB as JSON" })
  async submitBatch(
    @Body() dto: SubmitBatchDto,
    @Headers() headers: IncomingHttpHeaders,
  ): Promise<BatchResponse> {
    const trace = traceHeaders(headers);
    const [views, unserved] = await Promise.all([
      this.tasks.submitMany(
        dto.tasks.map((t) => ({
          type: t.type,
          payload: t.payload,
          options: { ...submitOptionsOf(t), ...trace },
        })),
      ),
      this.workers.unserved(dto.tasks.map((t) => t.type)),
    ]);
    return {
      ids: views.map((v) => v.id),
      items: views.map((v) => {
        const warning = warningFor(v, unserved);
        return warning === undefined ? { id: v.id } : { id: v.id, warning };
      }),
    };
  }

  @Get()
  @ApiOperation({ summary: 'A page of tasks, newest first' })
  @ApiOkResponse({ type: TaskPageResponse })
  @ApiBadRequestResponse({ description: 'A bad state, type, limit or cursor' })
  async list(@Query() query: ListTasksQuery): Promise<TaskPageResponse> {
    return toTaskPageResponse(await this.tasks.list(listQueryOf(query)));
  }

  @Get(':id')
  @ApiOperation({ summary: 'A task, with its history; ?wait=S waits for it to finish' })
  @ApiOkResponse({ type: TaskResponse })
  @ApiNotFoundResponse({ description: 'No such task (or a malformed id)' })
  async get(@Param('id') id: string, @Query() query: GetTaskQuery): Promise<TaskResponse> {
    const waitMs = Math.round((query.wait ?? 0) * 1000);
    return toTaskResponse(
      waitMs > 0 ? await this.waitOrCurrent(id, waitMs) : await this.tasks.get(id),
    );
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Cancel a queued, assigned or running task' })
  @ApiOkResponse({ type: TaskResponse, description: 'Cancelled' })
  @ApiNotFoundResponse({ description: 'No such task' })
  @ApiConflictResponse({ description: 'The task is already done, failed, dead or cancelled' })
  async cancel(@Param('id') id: string): Promise<TaskResponse> {
    return toTaskResponse(await this.tasks.cancel(id));
  }

  @Post(':id/retry')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: 'Queue a dead or failed task again, its attempts reset' })
  @ApiAcceptedResponse({ type: TaskResponse })
  @ApiNotFoundResponse({ description: 'No such task' })
  @ApiConflictResponse({ description: 'The task is neither dead nor failed' })
  async retry(@Param('id') id: string): Promise<TaskResponse> {
    return toTaskResponse(await this.tasks.redrive(id));
  }

  /** The finished task, or, when it has not finished in time, the task as it is now. */
  private async waitOrCurrent(id: string, waitMs: number): Promise<TaskView> {
    try {
      return await this.tasks.wait(id, waitMs);
    } catch (err) {
      if (!(err instanceof WaitTimeoutError)) throw err;
      return this.tasks.get(id);
    }
  }
}

/**
 * The warning for a submitted task that no live worker serves. Only for a queued one: with an
 * idempotency key, the answer may be an earlier task that already ran.
 */
function warningFor(view: TaskView, unserved: ReadonlySet<string>): string | undefined {
  return view.state === 'queued' && unserved.has(view.type)
    ? noWorkerWarning(view.type)
    : undefined;
}
