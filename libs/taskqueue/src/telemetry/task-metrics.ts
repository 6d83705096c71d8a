import { Attributes, Counter, Histogram, Meter, metrics } from '@opentelemetry/api';
import { ATTR, INSTRUMENTATION_SCOPE, INSTRUMENTATION_VERSION } from './messaging-attributes';

/** Seconds, from a millisecond to five minutes: a queue's waits and runs, not HTTP's. */
const DURATION_BUCKETS = [
  0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300,
];

/** The meter of a master or worker: the global one when none is given. */
export function taskMeter(meter?: Meter): Meter {
  return meter ?? metrics.getMeter(INSTRUMENTATION_SCOPE, INSTRUMENTATION_VERSION);
}

/**
 * Task metrics through the OpenTelemetry metrics API, beside the Prometheus ones the apps
 * serve. The API has no proxy meter, so the instruments are made when a master or worker is
 * made (after the application registered its SDK, if it has one); with none they are the
 * API's no-ops. Attribute sets are cached per type and outcome, so a record costs no object.
 *
 * Names follow the conventions' units (seconds for durations):
 *   shepherd.task.wait.duration  histogram  queue wait until assigned (master)
 *   shepherd.task.run.duration   histogram  one attempt on a worker
 *   shepherd.task.outcomes       counter    attempts ended, by outcome (worker)
 *   shepherd.task.reassignments  counter    tasks recovered from lost workers (master)
 *   shepherd.queue.depth         gauge      queued and running tasks per type (leading master)
 */
export class TaskMetrics {
  private readonly wait: Histogram;
  private readonly run: Histogram;
  private readonly outcomes: Counter;
  private readonly reassignments: Counter;
  /** Attribute sets by type, then by outcome or reason ('' for neither). */
  private readonly attributes = new Map<string, Map<string, Attributes>>();
  private cached = 0;

  constructor(readonly meter: Meter = taskMeter()) {
    const advice = { explicitBucketBoundaries: DURATION_BUCKETS };
    this.wait = meter.createHistogram('shepherd.task.wait.duration', {
      description: 'How long a task waited in the queue before it was assigned',
      unit: 's',
      advice,
    });
    this.run = meter.createHistogram('shepherd.task.run.duration', {
      description: 'How long one attempt of a task ran on a worker',
      unit: 's',
      advice,
    });
    this.outcomes = meter.createCounter('shepherd.task.outcomes', {
      description: 'Attempts ended, by outcome',
      unit: '{attempt}',
    });
    this.reassignments = meter.createCounter('shepherd.task.reassignments', {
      description: 'Tasks taken back from a worker that was lost or restarted',
      unit: '{task}',
    });
  }

  waited(type: string, ms: number): void {
    this.wait.record(ms / 1000, this.of(type));
  }

  ran(type: string, ms: number, outcome: string): void {
    const attributes = this.of(type, outcome);
    this.run.record(ms / 1000, attributes);
    this.outcomes.add(1, attributes);
  }

  reassigned(type: string, reason: string): void {
    this.reassignments.add(1, this.of(type, undefined, reason));
  }

  /** Two map lookups, no string built: this runs once or twice per task, SDK or not. */
  private of(type: string, outcome?: string, reason?: string): Attributes {
    const second = outcome ?? reason ?? '';
    let byType = this.attributes.get(type);
    let attributes = byType?.get(second);
    if (attributes === undefined) {
      attributes = { [ATTR.destination]: type };
      if (outcome !== undefined) attributes[ATTR.outcome] = outcome;
      if (reason !== undefined) attributes[ATTR.reason] = reason;
      // Bounded by the types and outcomes a process sees; a runaway set is cut, not grown.
      if (this.cached < 10_000) {
        if (byType === undefined) this.attributes.set(type, (byType = new Map()));
        byType.set(second, attributes);
        this.cached++;
      }
    }
    return attributes;
  }
}

/** Queue depth per type and state, as the leading master counts it. */
export interface DepthReading {
  types: Record<string, { queued: number; running: number }>;
}

/**
 * `shepherd.queue.depth`: an observable gauge read at each collection from `read` (the
 * leader's counts; a backup reports nothing, so the cluster's depth is counted once).
 * Returns the function that stops it.
 */
export function observeQueueDepth(meter: Meter, read: () => DepthReading | undefined): () => void {
  const gauge = meter.createObservableGauge('shepherd.queue.depth', {
    description: 'Tasks per type: queued (waiting for a worker) and running, as the leader counts',
    unit: '{task}',
  });
  const callback = (result: { observe(value: number, attributes: Attributes): void }): void => {
    const counts = read();
    if (counts === undefined) return;
    for (const [type, c] of Object.entries(counts.types)) {
      result.observe(c.queued, { [ATTR.destination]: type, 'shepherd.task.state': 'queued' });
      result.observe(c.running, { [ATTR.destination]: type, 'shepherd.task.state': 'running' });
    }
  };
  gauge.addCallback(callback);
  return () => gauge.removeCallback(callback);
}
