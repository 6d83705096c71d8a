import { Inject, Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Subscription } from 'rxjs';
import { TaskQueueClient } from '@shepherd/taskqueue';
import { CLIENT_APP_OPTIONS, type ResolvedClientAppOptions } from '../client-app-options';
import { ClusterEventFeed } from '../events/cluster-event-feed';
import { isoTime } from '../iso-time';
import { isServed } from '../cluster/live-workers';
import { ClusterSnapshot, ClusterSnapshotReader } from './cluster-snapshot';
import { QueuedTypes } from './queued-types';
import { StatsTracker } from './stats-tracker';
import type { StatsResponse } from './stats.schema';

/** Thin Nest layer: the event feed into a StatsTracker, plus the snapshot reader. */
@Injectable()
export class StatsService implements OnModuleInit, OnModuleDestroy {
  readonly tracker = new StatsTracker();
  readonly queued = new QueuedTypes();
  private readonly reader: ClusterSnapshotReader;
  private subscription: Subscription | undefined;

  constructor(
    @Inject(TaskQueueClient) tasks: TaskQueueClient,
    @Inject(ClusterEventFeed) private readonly feed: ClusterEventFeed,
    @Inject(CLIENT_APP_OPTIONS) options: ResolvedClientAppOptions,
  ) {
    this.reader = new ClusterSnapshotReader(tasks, options.statsCacheMs);
  }

  onModuleInit(): void {
    this.subscription = this.feed.tallies$.subscribe((event) => {
      this.tracker.observe(event);
      this.queued.observe(event);
    });
  }

  onModuleDestroy(): void {
    this.subscription?.unsubscribe();
  }

  /** Counts from the tree (shared for a moment between callers). */
  cluster(): Promise<ClusterSnapshot> {
    return this.reader.read();
  }

  /** The last snapshot read, without reading (for /metrics while ZooKeeper is away). */
  lastCluster(): ClusterSnapshot | undefined {
    return this.reader.last;
  }

  async stats(): Promise<StatsResponse> {
    const cluster = await this.cluster();
    // Seen empty: whatever was seen queued before the read began has left (events were missed).
    if (cluster.counts.queued === 0) this.queued.forgetQueuedBefore(cluster.startedAt);
    const window = this.tracker.window();
    return {
      at: isoTime(Date.now()),
      counts: cluster.counts,
      since: isoTime(this.tracker.startedAt),
      finishedSinceStart: this.tracker.finished(),
      workers: cluster.workers,
      masters: cluster.masters,
      leader: cluster.leader,
      throughput: window.throughput,
      latency: window.latency,
      queuedTypesWithoutWorker: this.queued
        .types()
        .filter((type) => !isServed(cluster.servingTypes, type)),
    };
  }
}
