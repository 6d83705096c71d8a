import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { TaskQueueClient } from '@shepherd/taskqueue';
import { ShepherdApi } from '../http/shepherd-api.decorator';
import { toMastersResponse, toWorkerResponse } from './cluster-representation';
import { MastersResponse, WorkerResponse } from './cluster.schema';

@ApiTags('cluster')
@ShepherdApi()
@Controller()
export class ClusterController {
  constructor(@Inject(TaskQueueClient) private readonly tasks: TaskQueueClient) {}

  @Get('workers')
  @ApiOperation({ summary: 'Live workers, with the tasks they hold now' })
  @ApiOkResponse({ type: [WorkerResponse] })
  async workers(): Promise<WorkerResponse[]> {
    return (await this.tasks.workers()).map(toWorkerResponse);
  }

  @Get('masters')
  @ApiOperation({ summary: 'The leading master and the candidates, in election order' })
  @ApiOkResponse({ type: MastersResponse })
  async masters(): Promise<MastersResponse> {
    return toMastersResponse(await this.tasks.masters());
  }
}
