import { TaskState } from './task-state';
import { LIMITS } from './limits';

/** Events recorded in a task's history. */
export type HistoryEvent =
  | 'waiting'
  | 'queued'
  | 'assigned'
  | 'started'
  | 'completed'
  | 'failed'
  | 'timed-out'
  | 'retry-scheduled'
  | 'reassigned'
  | 'handed-back'
  | 'dead'
  | 'cancelled'
  | 'redriven';

export interface HistoryEntry {
  /** Milliseconds since the epoch. */
  at: number;
  event: HistoryEvent;
  worker?: string;
  detail?: string;
}

export interface TaskError {
  message: string;
  name?: string;
  stack?: string;
}

export interface TaskOptions {
  maxAttempts: number;
  /** Per-attempt limit; null means none. */
  timeoutMs: number | null;
  /** First retry delay; doubled on each further retry. */
  backoffMs: number;
  /**
   * Higher runs first (-1000 to 1000). The id carries it too, and the master reads it from
   * there; absent in records written before priorities, which are priority 0.
   */
  priority?: number;
  idempotencyKey?: string;
  /**
   * The task's group (a tenant, a customer, any key): with the type's `groupConcurrency` set,
   * at most that many tasks of one group run at once.
   */
  group?: string;
}

/**
 * The JSON document a task's znode holds, wherever it is. It moves whole from area to area, so a
 * task's history, attempts and options travel with it; every transition writes the next version
 * in the same multi that moves it.
 */
export interface TaskRecord {
  v: 1;
  id: string;
  type: string;
  payload: unknown;
  options: TaskOptions;
  state: TaskState;
  /** Attempts started so far: counted when the master assigns. */
  attempts: number;
  createdAt: number;
  updatedAt: number;
  /** Queued tasks are not assigned before this time (delays and retry backoff). */
  notBefore?: number;
  /** The worker that holds or last held the task. */
  worker?: string;
  /** Session id (hex) of the worker incarnation it was assigned to: the assignment's fence. */
  workerSession?: string;
  startedAt?: number;
  finishedAt?: number;
  progress?: unknown;
  result?: unknown;
  error?: TaskError;
  history: HistoryEntry[];
  /** The schedule that created the task, if one did. */
  schedule?: string;
  /** The fire time (epoch ms) the schedule created it for. */
  scheduledFor?: number;
  /** The flow (DAG) the task belongs to: its id, the task's key in it, the keys it waits for. */
  flow?: TaskFlowRef;
  /** Results of the dependencies that ended done, by key (set when the task leaves /waiting). */
  dependencies?: Record<string, unknown>;
  /**
   * Dependencies that did not end done, by key: only with the flow's onDependencyFailure 'run'
   * (otherwise the task is cancelled instead of running).
   */
  failedDependencies?: Record<string, FailedDependency>;
  /**
   * The W3C trace context the task's spans continue (the submitter's, or the schedule fire's,
   * or the flow's), present only when the submitter had one: see telemetry/task-spans.ts.
   */
  trace?: TaskTrace;
}

/** A task's trace context, as W3C Trace Context values. */
export interface TaskTrace {
  /** The `traceparent` of the span that submitted the task. */
  traceparent: string;
  tracestate?: string;
  /** The `traceparent` of the latest attempt's run span: the next attempt links to it. */
  lastAttempt?: string;
  /**
   * A flow task's: the `traceparent`s of its dependencies' last attempts (at most
   * MAX_DEPENDENCY_LINKS), which its attempts link to, so a trace shows the flow's edges.
   */
  dependencies?: string[];
}

/** Dependency links a task's trace keeps at most (a traceparent is 55 bytes of the record). */
export const MAX_DEPENDENCY_LINKS = 32;

/** A flow task's place in its flow. */
export interface TaskFlowRef {
  id: string;
  key: string;
  dependsOn: string[];
}

/** A dependency that ended dead, failed or cancelled, as a dependent task is told. */
export interface FailedDependency {
  state: TaskState;
  error?: TaskError;
}

export class CorruptTaskRecordError extends Error {
  constructor(
    readonly path: string | undefined,
    reason: string,
  ) {
    super(`task record${path ? ` at ${path}` : ''} is not readable: ${reason}`);
    this.name = 'CorruptTaskRecordError';
  }
}

/** What a transition changes in a record: any field, `undefined` to clear it. */
export type RecordChanges = Partial<Omit<TaskRecord, 'v' | 'id' | 'type' | 'createdAt'>>;

function pick<K extends keyof RecordChanges>(
  record: TaskRecord,
  changes: RecordChanges,
  key: K,
): TaskRecord[K] {
  return (key in changes ? changes[key] : record[key]) as TaskRecord[K];
}

/**
 * The next version of a record: `record` with `changes` applied (a key present with the value
 * undefined clears the field), like `{ ...record, ...changes }`. Written out field by field
 * because V8 makes a spread that adds keys its source lacks (`{ ...record, worker }` on a
 * record read from JSON) take microseconds, not nanoseconds: it was the largest single cost of
 * an assignment in the master's profile. Every object built here has one shape.
 * Every field of TaskRecord must be listed (the model tests check it).
 */
export function withChanges(record: TaskRecord, changes: RecordChanges): TaskRecord {
  return {
    v: 1,
    id: record.id,
    type: record.type,
    payload: pick(record, changes, 'payload'),
    options: pick(record, changes, 'options'),
    state: pick(record, changes, 'state'),
    attempts: pick(record, changes, 'attempts'),
    createdAt: record.createdAt,
    updatedAt: pick(record, changes, 'updatedAt'),
    notBefore: pick(record, changes, 'notBefore'),
    worker: pick(record, changes, 'worker'),
    workerSession: pick(record, changes, 'workerSession'),
    startedAt: pick(record, changes, 'startedAt'),
    finishedAt: pick(record, changes, 'finishedAt'),
    progress: pick(record, changes, 'progress'),
    result: pick(record, changes, 'result'),
    error: pick(record, changes, 'error'),
    history: pick(record, changes, 'history'),
    schedule: pick(record, changes, 'schedule'),
    scheduledFor: pick(record, changes, 'scheduledFor'),
    flow: pick(record, changes, 'flow'),
    dependencies: pick(record, changes, 'dependencies'),
    failedDependencies: pick(record, changes, 'failedDependencies'),
    trace: pick(record, changes, 'trace'),
  };
}

/**
 * Appends a history entry, keeping the record bounded: the first entry (when it was queued) and
 * the most recent ones.
 */
export function withHistory(history: readonly HistoryEntry[], entry: HistoryEntry): HistoryEntry[] {
  const next = [...history, entry];
  if (next.length <= LIMITS.maxHistory) return next;
  return [next[0], ...next.slice(next.length - LIMITS.maxHistory + 1)];
}

/**
 * An Error (or anything thrown) as a record field, bounded in size: its name and message. The
 * stack names the worker's files and lines, and a record is served to anyone who may read the
 * task (the REST API returns it), so it is stored only when `keepStack` is true (the worker's
 * `storeErrorStacks`); otherwise it belongs in the worker's log.
 */
export function toTaskError(err: unknown, keepStack = false): TaskError {
  const cut = (s: string) =>
    s.length > LIMITS.maxErrorChars ? s.slice(0, LIMITS.maxErrorChars) : s;
  if (err instanceof Error) {
    const error: TaskError = { message: cut(String(err.message)), name: err.name };
    if (keepStack && typeof err.stack === 'string') error.stack = cut(err.stack);
    return error;
  }
  return { message: cut(typeof err === 'string' ? err : thrownText(err)) };
}

/** Something thrown that is not an Error, as text: its JSON when it has one. */
function thrownText(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    // A BigInt, a cycle, or nested past the stack.
    try {
      return String(value);
    } catch {
      return Object.prototype.toString.call(value);
    }
  }
}
