import { Meter } from '@opentelemetry/api';
import { TaskMetrics } from '../telemetry/task-metrics';
import { ACL, OPEN_ACL_UNSAFE } from '@shepherd/zk-protocol';
import { Clock, systemClock } from '@shepherd/zk-client';
import type { ZooKeeperConnection } from '@shepherd/coordination';

/** What the master logs through: pino's shape, `(obj, msg)`. */
export interface MasterLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  debug(obj: object, msg?: string): void;
}

/** Retention of terminal records in /status, enforced by the leader. */
export interface RetentionOptions {
  /** Records whose task was submitted longer ago than this are pruned. Default 7 days. */
  maxAgeMs: number;
  /** At most this many records are kept; the oldest beyond it are pruned. Default 1,000,000. */
  maxCount: number;
  /** How often the leader checks. Default 60 s. */
  intervalMs: number;
}

export interface MasterOptions {
  /** This master's name, stored in its election node. */
  id: string;
  /** The session owner: the master follows it across session expiries. */
  connection: ZooKeeperConnection;
  /** ACL of the znodes the master creates (assignments, re-queued tasks). Default open. */
  acl?: ACL[];
  /** Assignments per round at most (each round is one or a few fenced multis). Default 500. */
  maxBatch?: number;
  /**
   * How many queued task records the leader keeps read ahead of assignment. Records are read
   * lazily, in assignment order, so a huge backlog costs ids in memory, not payloads. Default
   * 2,000.
   */
  prefetch?: number;
  retention?: Partial<RetentionOptions>;
  clock?: Clock;
  logger?: MasterLogger;
  /**
   * The OpenTelemetry meter for the task metrics (telemetry/task-metrics.ts). Default: the
   * global meter provider's, as it is at the first measurement.
   */
  meter?: Meter;
}

export const DEFAULT_MAX_BATCH = 500;
export const DEFAULT_PREFETCH = 2000;
export const DEFAULT_RETENTION: Readonly<RetentionOptions> = Object.freeze({
  maxAgeMs: 7 * 24 * 3600 * 1000,
  maxCount: 1_000_000,
  intervalMs: 60_000,
});

const noop = (): void => undefined;
export const NOOP_MASTER_LOGGER: MasterLogger = {
  info: noop,
  warn: noop,
  error: noop,
  debug: noop,
};

/** Options with every default filled in. */
export interface ResolvedMasterOptions {
  id: string;
  connection: ZooKeeperConnection;
  acl: ACL[];
  maxBatch: number;
  prefetch: number;
  retention: RetentionOptions;
  clock: Clock;
  logger: MasterLogger;
  metrics: TaskMetrics;
}

function positiveInt(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1)
    throw new RangeError(`${name} must be an integer >= 1`);
  return value;
}

export function resolveMasterOptions(options: MasterOptions): ResolvedMasterOptions {
  if (typeof options.id !== 'string' || options.id.length === 0)
    throw new RangeError('master id must be a non-empty string');
  const retention = { ...DEFAULT_RETENTION, ...options.retention };
  positiveInt('retention.maxCount', retention.maxCount);
  positiveInt('retention.intervalMs', retention.intervalMs);
  if (!(retention.maxAgeMs > 0)) throw new RangeError('retention.maxAgeMs must be > 0');
  return {
    id: options.id,
    connection: options.connection,
    acl: options.acl ?? OPEN_ACL_UNSAFE,
    maxBatch: positiveInt('maxBatch', options.maxBatch ?? DEFAULT_MAX_BATCH),
    prefetch: positiveInt('prefetch', options.prefetch ?? DEFAULT_PREFETCH),
    retention,
    clock: options.clock ?? systemClock,
    logger: options.logger ?? NOOP_MASTER_LOGGER,
    metrics: new TaskMetrics(options.meter),
  };
}
