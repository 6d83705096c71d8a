import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { ServerResponse } from 'http';
import { ShepherdApi } from '../http/shepherd-api.decorator';
import { MetricsService } from './metrics.service';

@ApiTags('health')
// Answers while ZooKeeper is away (shepherd_zookeeper_connected 0): that is when it matters.
@ShepherdApi({ needsCoordination: false })
@Controller('metrics')
export class MetricsController {
  constructor(@Inject(MetricsService) private readonly service: MetricsService) {}

  @Get()
  @ApiOperation({ summary: 'Prometheus metrics (text exposition format)' })
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'Prometheus text format 0.0.4' })
  async metrics(@Res({ passthrough: true }) res: ServerResponse): Promise<string> {
    const text = await this.service.metrics.text();
    res.setHeader('Content-Type', this.service.metrics.contentType);
    return text;
  }
}
