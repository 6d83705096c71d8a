import { DynamicModule, Module } from '@nestjs/common';
import { ZooKeeperModule, TaskQueueClientModule } from '@shepherd/nestjs';
import { TerminusModule } from '@nestjs/terminus';
import { connectionOptions, telemetryShutdownProvider, zkAcl } from '../../app-kit/src';
import {
  CLIENT_APP_OPTIONS,
  type ClientAppOptions,
  resolveClientAppOptions,
} from './client-app-options';
import { ClusterController } from './cluster/cluster.controller';
import { LiveWorkers } from './cluster/live-workers';
import { DashboardModule } from './dashboard-module/dashboard.module';
import { ClusterEventFeed } from './events/cluster-event-feed';
import { EventsController } from './events/events.controller';
import { HealthController } from './health/health.controller';
import { ApiTokenGuard } from './http/api-token.guard';
import { CoordinationGuard } from './http/coordination.guard';
import { MetricsController } from './metrics/metrics.controller';
import { MetricsService } from './metrics/metrics.service';
import { StatsController } from './stats/stats.controller';
import { StatsService } from './stats/stats.service';
import { SchedulesController } from './schedules/schedules.controller';
import { FlowsController } from './flows/flows.controller';
import { QueuesController } from './queues/queues.controller';
import { TasksController } from './tasks/tasks.controller';

/**
 * The client app: the REST API, its event stream, stats, metrics and health over one
 * ZooKeeper connection and one TaskQueueClient, and the dashboard that uses them.
 */
@Module({})
export class ClientAppModule {
  static forRoot(options: ClientAppOptions): DynamicModule {
    const resolved = resolveClientAppOptions(options);
    const { env, logger } = resolved;
    return {
      module: ClientAppModule,
      imports: [
        ZooKeeperModule.forRootAsync({ isGlobal: true, useFactory: () => connectionOptions(env) }),
        TaskQueueClientModule.forRoot({
          acl: zkAcl(env),
          logger: logger.child({ component: 'taskqueue-client' }),
        }),
        TerminusModule.forRoot(),
        // GET / and /assets/*: static files, open to all (ShepherdApi guards only the API).
        DashboardModule,
      ],
      controllers: [
        TasksController,
        SchedulesController,
        FlowsController,
        QueuesController,
        ClusterController,
        StatsController,
        EventsController,
        MetricsController,
        HealthController,
      ],
      providers: [
        { provide: CLIENT_APP_OPTIONS, useValue: resolved },
        ClusterEventFeed,
        StatsService,
        LiveWorkers,
        MetricsService,
        ApiTokenGuard,
        CoordinationGuard,
        telemetryShutdownProvider(),
      ],
    };
  }
}
