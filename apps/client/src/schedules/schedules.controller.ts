import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Inject,
  Param,
  Post,
  Put,
  Res,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { ServerResponse } from 'http';
import { TaskQueueClient } from '@shepherd/taskqueue';
import { ShepherdApi } from '../http/shepherd-api.decorator';
import {
  CreateScheduleDto,
  UpdateScheduleDto,
  schedulePatchOf,
  scheduleSpecOf,
} from './schedule.dto';
import { ScheduleListResponse, ScheduleResponse, toScheduleResponse } from './schedule.schema';

/**
 * Schedules: cron or fixed-interval tasks that the leading master submits at each fire time.
 * Thin: each call is one TaskQueueClient call; its errors are mapped by TaskErrorFilter.
 */
@ApiTags('schedules')
@ShepherdApi()
@Controller('schedules')
export class SchedulesController {
  constructor(@Inject(TaskQueueClient) private readonly tasks: TaskQueueClient) {}

  @Post()
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({ summary: 'Create a schedule (cron or every)' })
  @ApiBody({ type: CreateScheduleDto })
  @ApiCreatedResponse({ type: ScheduleResponse, description: 'Created; Location names it' })
  @ApiBadRequestResponse({
    description:
      'A bad name, cron expression, time zone or task; both or neither of cron and every',
  })
  @ApiConflictResponse({ description: 'A schedule of that name exists' })
  async create(
    @Body() dto: CreateScheduleDto,
    @Res({ passthrough: true }) res: ServerResponse,
  ): Promise<ScheduleResponse> {
    const view = await this.tasks.createSchedule(scheduleSpecOf(dto));
    res.setHeader('Location', `/schedules/${view.name}`);
    return toScheduleResponse(view);
  }

  @Get()
  @ApiOperation({ summary: 'Every schedule, with its next fire times' })
  @ApiOkResponse({ type: ScheduleListResponse })
  async list(): Promise<ScheduleListResponse> {
    return { items: (await this.tasks.schedules()).map(toScheduleResponse) };
  }

  @Get(':name')
  @ApiOperation({ summary: 'A schedule, with its next fire times and the last tasks it created' })
  @ApiOkResponse({ type: ScheduleResponse })
  @ApiNotFoundResponse({ description: 'No such schedule' })
  async get(@Param('name') name: string): Promise<ScheduleResponse> {
    return toScheduleResponse(await this.tasks.schedule(name));
  }

  @Put(':name')
  @ApiOperation({ summary: 'Change a schedule; `{"paused": true}` pauses it, false resumes it' })
  @ApiBody({ type: UpdateScheduleDto })
  @ApiOkResponse({ type: ScheduleResponse })
  @ApiBadRequestResponse({ description: 'A bad cron expression, time zone or task' })
  @ApiNotFoundResponse({ description: 'No such schedule' })
  async update(
    @Param('name') name: string,
    @Body() dto: UpdateScheduleDto,
  ): Promise<ScheduleResponse> {
    return toScheduleResponse(await this.tasks.updateSchedule(name, schedulePatchOf(dto)));
  }

  @Delete(':name')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Delete a schedule; the tasks it created stay' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiNotFoundResponse({ description: 'No such schedule' })
  async remove(@Param('name') name: string): Promise<void> {
    await this.tasks.deleteSchedule(name);
  }
}
