import { TaskState, isTaskState } from './task-state';
import { LIMITS } from './limits';

/** Events recorded in a task's history. */
export type HistoryEvent =
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
  idempotencyKey?: string;
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

export function encodeRecord(record: TaskRecord): Buffer {
  return Buffer.from(JSON.stringify(record));
}

/**
 * Parses a record; throws CorruptTaskRecordError for anything that is not one (a znode written by
 * another tool, a truncated write), so callers can set it aside instead of crashing.
 */
export function decodeRecord(data: Buffer, path?: string): TaskRecord {
  let value: unknown;
  try {
    value = JSON.parse(data.toString('utf8'));
  } catch (err) {
    throw new CorruptTaskRecordError(path, (err as Error).message);
  }
  const r = value as Partial<TaskRecord> | null;
  if (r === null || typeof r !== 'object') throw new CorruptTaskRecordError(path, 'not an object');
  if (r.v !== 1) throw new CorruptTaskRecordError(path, `unknown version ${String(r.v)}`);
  if (typeof r.id !== 'string' || typeof r.type !== 'string')
    throw new CorruptTaskRecordError(path, 'missing id or type');
  if (!isTaskState(r.state)) throw new CorruptTaskRecordError(path, 'bad state');
  if (typeof r.attempts !== 'number' || !Array.isArray(r.history) || !r.options)
    throw new CorruptTaskRecordError(path, 'missing attempts, history or options');
  return r as TaskRecord;
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

/** An Error (or anything thrown) as a record field, bounded in size. */
export function toTaskError(err: unknown): TaskError {
  const cut = (s: string | undefined) =>
    s === undefined
      ? undefined
      : s.length > LIMITS.maxErrorChars
        ? s.slice(0, LIMITS.maxErrorChars)
        : s;
  if (err instanceof Error)
    return { message: cut(err.message) ?? '', name: err.name, stack: cut(err.stack) };
  return {
    message: cut(typeof err === 'string' ? err : (JSON.stringify(err) ?? String(err))) ?? '',
  };
}
