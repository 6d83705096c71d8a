import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ShepherdApi } from '../http/shepherd-api.decorator';
import { StatsService } from './stats.service';
import { StatsResponse } from './stats.schema';

@ApiTags('cluster')
@ShepherdApi()
@Controller('stats')
export class StatsController {
  constructor(@Inject(StatsService) private readonly stats: StatsService) {}

  @Get()
  @ApiOperation({
    summary: 'Tasks by state, workers, masters, throughput and latency over the last minute',
  })
  @ApiOkResponse({ type: StatsResponse })
  get(): Promise<StatsResponse> {
    return this.stats.stats();
  }
}
