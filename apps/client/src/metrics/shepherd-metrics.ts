import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { ClusterEvent, QueueCountsData } from '@shepherd/taskqueue';
import type { ClusterSnapshot } from '../stats/cluster-snapshot';
import { taskLatencyMs } from '../stats/task-latency';

/** Where the gauges read from when Prometheus scrapes. */
export interface MetricSources {
  /** The cluster's sizes, or undefined when they cannot be read (nothing is reported then). */
  snapshot(): Promise<ClusterSnapshot | undefined>;
  /** The leading master's per-type counts (the data of /queues), or undefined when unknown. */
  queueCounts(): Promise<QueueCountsData | undefined>;
  zookeeperConnected(): boolean;
}

/** Task types the per-type series keep (at 0 once drained) at most. */
const MAX_TYPES = 10_000;

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
  private readonly outcomes: Counter<'type' | 'outcome'>;

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
    // Types seen once stay at 0 when drained: a series that vanished would read as no data.
    const seen = new Set<string>();
    new Gauge({
      name: 'shepherd_queue_depth',
      help:
        'Tasks per type as the leading master counts them: queued (waiting for a worker) and ' +
        'running; state unclassified (type "") counts queued tasks it has not read yet',
      labelNames: ['type', 'state'],
      registers,
      async collect() {
        const counts = await sources.queueCounts();
        if (!counts) return;
        for (const type of Object.keys(counts.types)) if (seen.size < MAX_TYPES) seen.add(type);
        for (const type of new Set([...seen, ...Object.keys(counts.types)])) {
          const c = counts.types[type];
          this.set({ type, state: 'queued' }, c?.queued ?? 0);
          this.set({ type, state: 'running' }, c?.running ?? 0);
        }
        this.set({ type: '', state: 'unclassified' }, counts.unclassified);
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
    this.outcomes = new Counter({
      name: 'shepherd_task_outcomes_total',
      help:
        'Attempts and tasks ended, by task type and outcome (done, retry, failed, dead, ' +
        'cancelled), seen since this app started',
      labelNames: ['type', 'outcome'],
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
    const outcome = outcomeOf(event);
    if (outcome !== undefined) this.outcomes.inc({ type: event.taskType ?? '', outcome });
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

/** The outcome label of an event that ends an attempt or a task, else undefined. */
function outcomeOf(event: ClusterEvent): string | undefined {
  switch (event.type) {
    case 'task.completed':
      return 'done';
    case 'task.failed':
      // A failed attempt that will be retried comes back queued.
      return event.state === 'failed' ? 'failed' : 'retry';
    case 'task.dead':
      return 'dead';
    case 'task.cancelled':
      return 'cancelled';
    default:
      return undefined;
  }
}
