import { Controller, Get, Inject } from '@nestjs/common';
import { ZooKeeperHealthIndicator } from '@shepherd/nestjs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, type HealthCheckResult } from '@nestjs/terminus';

/** ZooKeeper must answer a round trip within this long for the app to count as healthy. */
const ZOOKEEPER_TIMEOUT_MS = 1000;

/** Open to all (no token): it is what load balancers and the launcher poll. */
@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    @Inject(HealthCheckService) private readonly health: HealthCheckService,
    @Inject(ZooKeeperHealthIndicator) private readonly zookeeper: ZooKeeperHealthIndicator,
  ) {}

  @Get()
  @HealthCheck()
  @ApiOperation({ summary: 'Up when the ZooKeeper session answers; 503 when it does not' })
  check(): Promise<HealthCheckResult> {
    return this.health.check([
      () => this.zookeeper.isHealthy('zookeeper', { timeoutMs: ZOOKEEPER_TIMEOUT_MS }),
    ]);
  }
}
