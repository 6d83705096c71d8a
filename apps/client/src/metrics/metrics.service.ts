import { Inject, Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Subscription } from 'rxjs';
import { ZooKeeperConnection } from '@shepherd/coordination';
import { QueueCountsData, readQueueCounts } from '@shepherd/taskqueue';
import { CLIENT_APP_OPTIONS, type ResolvedClientAppOptions } from '../client-app-options';
import { ClusterEventFeed } from '../events/cluster-event-feed';
import { StatsService } from '../stats/stats.service';
import { ShepherdMetrics } from './shepherd-metrics';

/** Thin Nest layer: ShepherdMetrics fed by the event feed and the connection's sessions. */
@Injectable()
export class MetricsService implements OnModuleInit, OnModuleDestroy {
  readonly metrics: ShepherdMetrics;
  private readonly subscriptions = new Subscription();
  private lastCounts: QueueCountsData | undefined;

  constructor(
    @Inject(ClusterEventFeed) private readonly feed: ClusterEventFeed,
    @Inject(StatsService) stats: StatsService,
    @Inject(ZooKeeperConnection) private readonly connection: ZooKeeperConnection,
    @Inject(CLIENT_APP_OPTIONS) options: ResolvedClientAppOptions,
  ) {
    const log = options.logger;
    this.metrics = new ShepherdMetrics({
      zookeeperConnected: () => connection.isConnected(),
      // The last counts read while ZooKeeper is away, as for the snapshot.
      queueCounts: async () => {
        if (!connection.isConnected()) return this.lastCounts;
        try {
          this.lastCounts = await readQueueCounts(connection.client);
        } catch (err) {
          log.warn({ err }, 'metrics: the queue counts could not be read');
        }
        return this.lastCounts;
      },
      // While ZooKeeper is away, the last counts read (zookeeper_connected says it is away):
      // a scrape must answer, quickly, or Prometheus loses the very series that show it.
      snapshot: async () => {
        if (!connection.isConnected()) return stats.lastCluster();
        try {
          return await stats.cluster();
        } catch (err) {
          log.warn({ err }, 'metrics: the cluster could not be read');
          return stats.lastCluster();
        }
      },
    });
  }

  onModuleInit(): void {
    this.subscriptions.add(this.feed.tallies$.subscribe((e) => this.metrics.observe(e)));
    this.subscriptions.add(this.connection.sessions$.subscribe(() => this.metrics.sessionOpened()));
  }

  onModuleDestroy(): void {
    this.subscriptions.unsubscribe();
  }
}
