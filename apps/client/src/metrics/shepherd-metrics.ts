import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { ClusterEvent } from '@shepherd/taskqueue';
import type { ClusterSnapshot } from '../stats/cluster-snapshot';
import { taskLatencyMs } from '../stats/task-latency';

/** Where the gauges read from when Prometheus scrapes. */
export interface MetricSources {
  /** The cluster's sizes, or undefined when they cannot be read (nothing is reported then). */
  snapshot(): Promise<ClusterSnapshot | undefined>;
  zookeeperConnected(): boolean;
}

/** Task latency buckets, seconds: sub-second echo tasks up to hour-long jobs. */
const LATENCY_BUCKETS = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600,
];

const FINISHED_STATES = ['done', 'failed', 'cancelled', 'dead'] as const;

/**
 * The client app's Prometheus registry (its own, not prom-client's global one, so several apps
 * can live in one process): gauges read when scraped, counters and the latency histogram fed by
 * the cluster events this app sees, and Node's default process metrics.
 */
export class ShepherdMetrics {
  readonly registry = new Registry();
  private readonly latency: Histogram;
  private readonly finished: Counter<'state'>;
  private readonly reassignments: Counter;
  private readonly sessions: Counter;

  constructor(sources: MetricSources) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });

    new Gauge({
      name: 'shepherd_tasks',
      help:
        'Tasks by state: waiting (flows), queued, assigned, running, finished (done, failed, ' +
        'cancelled), dead',
      labelNames: ['state'],
      registers,
      async collect() {
        const s = await sources.snapshot();
        if (s) for (const [state, n] of Object.entries(s.counts)) this.set({ state }, n);
      },
    });
    new Gauge({
      name: 'shepherd_workers',
      help: 'Live workers',
      registers,
      async collect() {
        const s = await sources.snapshot();
        if (s) this.set(s.workers);
      },
    });
    new Gauge({
      name: 'shepherd_masters',
      help: 'Master candidates (one of them leads)',
      registers,
      async collect() {
        const s = await sources.snapshot();
        if (s) this.set(s.masters);
      },
    });
    new Gauge({
      name: 'shepherd_zookeeper_connected',
      help: "1 while this app's ZooKeeper session is connected, else 0",
      registers,
      collect() {
        this.set(sources.zookeeperConnected() ? 1 : 0);
      },
    });
    this.latency = new Histogram({
      name: 'shepherd_task_latency_seconds',
      help: 'Time from submission to completion of the tasks completed while this app watched',
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.finished = new Counter({
      name: 'shepherd_tasks_finished_total',
      help: 'Tasks seen reaching an end state since this app started, by that state',
      labelNames: ['state'],
      registers,
    });
    for (const state of FINISHED_STATES) this.finished.inc({ state }, 0);
    this.reassignments = new Counter({
      name: 'shepherd_task_reassignments_total',
      help: 'Tasks taken back from a lost worker and queued again, seen since this app started',
      registers,
    });
    this.sessions = new Counter({
      name: 'shepherd_zookeeper_sessions_total',
      help: 'ZooKeeper sessions this app opened (more than one: a session expired)',
      registers,
    });
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  sessionOpened(): void {
    this.sessions.inc();
  }

  observe(event: ClusterEvent): void {
    switch (event.type) {
      case 'task.completed': {
        this.finished.inc({ state: 'done' });
        const ms = event.taskId === undefined ? undefined : taskLatencyMs(event.taskId, event.at);
        if (ms !== undefined) this.latency.observe(ms / 1000);
        break;
      }
      case 'task.failed':
        // Also sent for a failed attempt that will be retried: only the final failure counts.
        if (event.state === 'failed') this.finished.inc({ state: 'failed' });
        break;
      case 'task.cancelled':
        this.finished.inc({ state: 'cancelled' });
        break;
      case 'task.dead':
        this.finished.inc({ state: 'dead' });
        break;
      case 'task.reassigned':
        this.reassignments.inc();
        break;
      default:
        break;
    }
  }
}
