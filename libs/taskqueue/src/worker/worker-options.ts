import { Meter } from '@opentelemetry/api';
import { TaskMetrics } from '../telemetry/task-metrics';
import { hostname } from 'os';
import { ACL, OPEN_ACL_UNSAFE } from '@shepherd/zk-protocol';
import { Clock, systemClock } from '@shepherd/zk-client';
import { ZooKeeperConnection } from '@shepherd/coordination';
import { TaskHandlers } from './task-handler';

/** pino-style: a context object first, then the message. */
export interface WorkerLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

const noop = (): void => undefined;
export const SILENT_LOGGER: WorkerLogger = { debug: noop, info: noop, warn: noop, error: noop };

export interface WorkerOptions {
  /** Default `<hostname>-<pid>`. Must match WORKER_ID_PATTERN: it is a znode name. */
  id?: string;
  connection: ZooKeeperConnection;
  /** Tasks run at once (default 1). */
  concurrency?: number;
  /**
   * Tasks held beyond `concurrency`, already read and waiting for a slot, so a finished task's
   * slot is refilled without waiting for the master (Celery's prefetch, BullMQ's fetch of the
   * next job on completion). The master never assigns more than concurrency + prefetch.
   * Default floor(concurrency / 4): none for small concurrencies, where tasks tend to be long
   * and a task waiting behind a busy slot would wait longest.
   */
  prefetch?: number;
  /** Handlers by task type. More can be added with `worker.handle()` before start(). */
  handlers?: TaskHandlers;
  /** Types announced to the master (default: the handlers' names; "*" takes any type). */
  types?: string[];
  /** ACL of the znodes the worker creates (default OPEN_ACL_UNSAFE). */
  acl?: ACL[];
  /** How long stop() waits for running handlers before aborting them (default 10 s). */
  shutdownGraceMs?: number;
  /** At most one progress write per task this often (default 250 ms). */
  progressIntervalMs?: number;
  /** stop() closes the connection (default true); false when someone else owns it. */
  closeConnection?: boolean;
  /**
   * Store a failed attempt's error stack in the task record (default false). Records are served
   * to whoever may read the task (the REST API returns them) and a stack names the worker's
   * files, so by default only the name and message are stored; the stack is logged (warn, with
   * the task id) either way.
   */
  storeErrorStacks?: boolean;
  clock?: Clock;
  logger?: WorkerLogger;
  /**
   * The OpenTelemetry meter for the task metrics (telemetry/task-metrics.ts). Default: the
   * global meter provider's, as it is at the first measurement.
   */
  meter?: Meter;
}

/** A worker id is a znode name under /workers and /assign. */
export const WORKER_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

export const DEFAULT_SHUTDOWN_GRACE_MS = 10_000;
export const DEFAULT_PROGRESS_INTERVAL_MS = 250;

export function checkWorkerId(id: string): string {
  // "." and ".." match the pattern but are not valid znode names.
  if (!WORKER_ID_PATTERN.test(id) || id === '.' || id === '..')
    throw new TypeError(`worker id "${id}" must match ${WORKER_ID_PATTERN.source}`);
  return id;
}

/** `<hostname>-<pid>`, with characters a znode name may not carry replaced. */
export function defaultWorkerId(host = hostname(), pid = process.pid): string {
  return `${host.replace(/[^A-Za-z0-9._:-]/g, '-')}-${pid}`.slice(-128);
}

function positiveInt(name: string, value: number, min: number): number {
  if (!Number.isInteger(value) || value < min)
    throw new TypeError(`${name} must be an integer >= ${min}, got ${value}`);
  return value;
}

/** The options with their defaults, checked once at construction. */
export interface ResolvedWorkerOptions {
  id: string;
  concurrency: number;
  prefetch: number;
  acl: ACL[];
  shutdownGraceMs: number;
  progressIntervalMs: number;
  closeConnection: boolean;
  storeErrorStacks: boolean;
  clock: Clock;
  logger: WorkerLogger;
  metrics: TaskMetrics;
}

export function resolveWorkerOptions(options: WorkerOptions): ResolvedWorkerOptions {
  const concurrency = positiveInt('concurrency', options.concurrency ?? 1, 1);
  return {
    id: checkWorkerId(options.id ?? defaultWorkerId()),
    concurrency,
    prefetch: positiveInt('prefetch', options.prefetch ?? Math.floor(concurrency / 4), 0),
    acl: options.acl ?? OPEN_ACL_UNSAFE,
    shutdownGraceMs: positiveInt(
      'shutdownGraceMs',
      options.shutdownGraceMs ?? DEFAULT_SHUTDOWN_GRACE_MS,
      0,
    ),
    progressIntervalMs: positiveInt(
      'progressIntervalMs',
      options.progressIntervalMs ?? DEFAULT_PROGRESS_INTERVAL_MS,
      0,
    ),
    closeConnection: options.closeConnection ?? true,
    storeErrorStacks: options.storeErrorStacks ?? false,
    clock: options.clock ?? systemClock,
    logger: options.logger ?? SILENT_LOGGER,
    metrics: new TaskMetrics(options.meter),
  };
}
