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

interface Instruments {
  wait: Histogram;
  run: Histogram;
  outcomes: Counter;
  reassignments: Counter;
}

/**
 * Task metrics through the OpenTelemetry metrics API, beside the Prometheus ones the apps
 * serve. The API has no proxy meter (a meter taken before the application registers its SDK
 * stays a no-op), so the instruments are made at the first measurement, from the meter given
 * or the global one then: an SDK registered any time before the first task counts. Attribute
 * sets are cached per type and outcome, so a measurement costs no object. A measurement never
 * throws (telemetry never fails a task).
 *
 * Names follow the conventions' units (seconds for durations):
 *   shepherd.task.wait.duration  histogram  queue wait until assigned (master)
 *   shepherd.task.run.duration   histogram  one attempt on a worker
 *   shepherd.task.outcomes       counter    attempts ended, by outcome (worker); tasks dead
 *                                           because their last attempt's worker was lost (master)
 *   shepherd.task.reassignments  counter    tasks queued again after their worker was lost (master)
 *   shepherd.queue.depth         gauge      queued and running tasks per type (leading master)
 */
export class TaskMetrics {
  private made: Instruments | undefined;
  /** Attribute sets by type, then by outcome or reason ('' for neither). */
  private readonly attributes = new Map<string, Map<string, Attributes>>();
  private cached = 0;

  constructor(private readonly given?: Meter) {}

  /** The meter the instruments come from (the gauge's too). */
  get meter(): Meter {
    return taskMeter(this.given);
  }

  waited(type: string, ms: number): void {
    try {
      this.instruments().wait.record(ms / 1000, this.of(type));
    } catch {
      // Telemetry never fails a task.
    }
  }

  ran(type: string, ms: number, outcome: string): void {
    try {
      const attributes = this.of(type, outcome);
      const i = this.instruments();
      i.run.record(ms / 1000, attributes);
      i.outcomes.add(1, attributes);
    } catch {
      // Telemetry never fails a task.
    }
  }

  /** A task ended without an attempt ending (dead when its last attempt's worker was lost). */
  ended(type: string, outcome: string): void {
    try {
      this.instruments().outcomes.add(1, this.of(type, outcome));
    } catch {
      // Telemetry never fails a task.
    }
  }

  reassigned(type: string, reason: string): void {
    try {
      this.instruments().reassignments.add(1, this.of(type, undefined, reason));
    } catch {
      // Telemetry never fails a task.
    }
  }

  private instruments(): Instruments {
    if (this.made !== undefined) return this.made;
    const meter = this.meter;
    const advice = { explicitBucketBoundaries: DURATION_BUCKETS };
    this.made = {
      wait: meter.createHistogram('shepherd.task.wait.duration', {
        description: 'How long a task waited in the queue before it was assigned',
        unit: 's',
        advice,
      }),
      run: meter.createHistogram('shepherd.task.run.duration', {
        description: 'How long one attempt of a task ran on a worker',
        unit: 's',
        advice,
      }),
      outcomes: meter.createCounter('shepherd.task.outcomes', {
        description: 'Attempts ended, by outcome',
        unit: '{attempt}',
      }),
      reassignments: meter.createCounter('shepherd.task.reassignments', {
        description: 'Tasks queued again after the worker holding them was lost or restarted',
        unit: '{task}',
      }),
    };
    return this.made;
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

/** Queue depth per type, as the leading master counts it. */
export interface DepthReading {
  types: Record<string, { queued: number; running: number }>;
  /** Queued tasks the leader has not read yet (their type unknown): a deep backlog's tail. */
  unclassified: number;
}

/** Types a gauge keeps reporting (at 0 once drained) at most; more are reported while non-zero. */
const MAX_REMEMBERED_TYPES = 10_000;

/**
 * `shepherd.queue.depth`: an observable gauge read at each collection from `read` (the
 * leader's counts; a backup reports nothing, so the cluster's depth is counted once). A type
 * that drained is reported at 0, not dropped (a dropped series would show its last depth until
 * it goes stale); tasks the leader has not read yet are a series of their own, state
 * `unclassified` without a type. Returns the function that stops it.
 */
export function observeQueueDepth(meter: Meter, read: () => DepthReading | undefined): () => void {
  const seen = new Set<string>();
  const gauge = meter.createObservableGauge('shepherd.queue.depth', {
    description: 'Tasks per type: queued (waiting for a worker) and running, as the leader counts',
    unit: '{task}',
  });
  const callback = (result: { observe(value: number, attributes: Attributes): void }): void => {
    const counts = read();
    if (counts === undefined) return;
    for (const type of Object.keys(counts.types))
      if (seen.size < MAX_REMEMBERED_TYPES) seen.add(type);
    const types = new Set([...seen, ...Object.keys(counts.types)]);
    for (const type of types) {
      const c = counts.types[type];
      result.observe(c?.queued ?? 0, { [ATTR.destination]: type, [ATTR.state]: 'queued' });
      result.observe(c?.running ?? 0, { [ATTR.destination]: type, [ATTR.state]: 'running' });
    }
    result.observe(counts.unclassified, { [ATTR.state]: 'unclassified' });
  };
  gauge.addCallback(callback);
  return () => gauge.removeCallback(callback);
}
