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
  async metrics(@Res() res: ServerResponse): Promise<void> {
    const text = await this.service.metrics.text();
    // Written as it is: Express's send() would add its own charset parameter to prom-client's
    // content type (text/plain; version=0.0.4; charset=utf-8), in front of the version.
    res.statusCode = 200;
    res.setHeader('Content-Type', this.service.metrics.contentType);
    res.end(text);
  }
}
