import {
  Headers,
  Body,
  Controller,
  Get,
  HttpCode,
  HttpStatus,
  Inject,
  Param,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { IncomingHttpHeaders, ServerResponse } from 'http';
import { TaskQueueClient } from '@shepherd/taskqueue';
import { ShepherdApi } from '../http/shepherd-api.decorator';
import { ApiTraceHeaders, traceHeaders } from '../http/trace-headers';
import {
  CancelFlowDto,
  CreateFlowDto,
  ListFlowsQuery,
  flowListQueryOf,
  flowSpecOf,
} from './flow.dto';
import {
  FlowCreatedResponse,
  FlowPageResponse,
  FlowResponse,
  toFlowPageResponse,
  toFlowResponse,
} from './flow.schema';

/**
 * Flows: DAGs of tasks, created atomically; the leading master starts each task once its
 * dependencies are done. Thin: each call is one TaskQueueClient call; its errors are mapped by
 * TaskErrorFilter (400 bad flow or id, 404 no such flow, 413 too large for one multi).
 */
@ApiTags('flows')
@ShepherdApi()
@Controller('flows')
export class FlowsController {
  constructor(@Inject(TaskQueueClient) private readonly tasks: TaskQueueClient) {}

  @Post()
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({ summary: 'Create a flow: a DAG of tasks, all or none' })
  @ApiBody({ type: CreateFlowDto })
  @ApiTraceHeaders()
  @ApiCreatedResponse({ type: FlowCreatedResponse, description: 'Created; Location names it' })
  @ApiBadRequestResponse({
    description:
      'A cycle, an unknown or duplicate key, a self-dependency, a bad task or a malformed body',
  })
  @ApiPayloadTooLargeResponse({ description: 'The tasks together do not fit one multi' })
  async create(
    @Body() dto: CreateFlowDto,
    @Headers() headers: IncomingHttpHeaders,
    @Res({ passthrough: true }) res: ServerResponse,
  ): Promise<FlowCreatedResponse> {
    const created = await this.tasks.submitFlow({ ...flowSpecOf(dto), ...traceHeaders(headers) });
    res.setHeader('Location', `/flows/${created.id}`);
    return created;
  }

  @Get()
  @ApiOperation({ summary: 'A page of flows, newest first, each with its tasks and their states' })
  @ApiOkResponse({ type: FlowPageResponse })
  @ApiBadRequestResponse({ description: 'A limit outside 1 to 100, or a cursor not a flow id' })
  async list(@Query() query: ListFlowsQuery): Promise<FlowPageResponse> {
    return toFlowPageResponse(await this.tasks.listFlows(flowListQueryOf(query)));
  }

  @Get(':id')
  @ApiOperation({ summary: 'A flow and the state of each of its tasks' })
  @ApiOkResponse({ type: FlowResponse })
  @ApiBadRequestResponse({ description: 'Not a flow id' })
  @ApiNotFoundResponse({ description: 'No such flow' })
  async get(@Param('id') id: string): Promise<FlowResponse> {
    return toFlowResponse(await this.tasks.getFlow(id));
  }

  @Post(':id/cancel')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Cancel every task of the flow that has not ended' })
  @ApiBody({ type: CancelFlowDto, required: false })
  @ApiOkResponse({ type: FlowResponse })
  @ApiBadRequestResponse({ description: 'Not a flow id, or a bad reason' })
  @ApiNotFoundResponse({ description: 'No such flow' })
  async cancel(@Param('id') id: string, @Body() dto: CancelFlowDto): Promise<FlowResponse> {
    return toFlowResponse(await this.tasks.cancelFlow(id, dto?.reason));
  }
}
