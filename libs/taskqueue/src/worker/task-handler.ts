import { LIMITS, TASK_TYPE_PATTERN, TASK_TYPE_RULE } from '../model/limits';
import { FailedDependency } from '../model/task-record';

/** What a handler receives: the task, its attempt, an AbortSignal, and a progress reporter. */
export interface TaskContext {
  readonly id: string;
  readonly type: string;
  readonly payload: unknown;
  /** This attempt's number, from 1 (attempts are counted when the master assigns). */
  readonly attempt: number;
  readonly maxAttempts: number;
  /**
   * A flow task's input from the tasks it depends on: the result of each dependency that ended
   * done, by key. Empty for a task without dependencies.
   */
  readonly dependencies: Readonly<Record<string, unknown>>;
  /**
   * The dependencies that ended dead, failed or cancelled, by key, with their state and error:
   * only when the flow's onDependencyFailure is 'run' (otherwise the task would have been
   * cancelled). Empty otherwise.
   */
  readonly failedDependencies: Readonly<Record<string, FailedDependency>>;
  /**
   * Fires when the task times out, is cancelled or taken back, the worker shuts down past its
   * grace period, or its session ends. Its reason is a TaskAbortError. The worker stops waiting
   * for the handler at that moment; a handler that ignores the signal runs on unobserved.
   */
  readonly signal: AbortSignal;
  /**
   * Reports progress (JSON, at most LIMITS.maxProgressBytes). Throttled: at most one write per
   * progressIntervalMs, the latest value wins. Visible in the assignment's record.
   */
  progress(value: unknown): void;
}

/** User code for one task type. Its return value (JSON) is the task's result. */
export type TaskHandlerFn = (task: TaskContext) => unknown;

export type TaskHandlers = Record<string, TaskHandlerFn> | Map<string, TaskHandlerFn>;

/** A worker advertising this type takes tasks of any type (a handler under it is the fallback). */
export const ANY_TYPE = '*';

function checkType(type: string): void {
  if (type !== ANY_TYPE && !TASK_TYPE_PATTERN.test(type))
    throw new TypeError(`task type "${type}" must match ${TASK_TYPE_RULE} or be "*"`);
}

/** The handlers as a Map, checked: every name a valid type, every value a function. */
export function toHandlerMap(handlers: TaskHandlers = {}): Map<string, TaskHandlerFn> {
  const entries = handlers instanceof Map ? [...handlers] : Object.entries(handlers);
  const map = new Map<string, TaskHandlerFn>();
  for (const [type, fn] of entries) {
    checkType(type);
    if (typeof fn !== 'function') throw new TypeError(`handler for "${type}" is not a function`);
    map.set(type, fn);
  }
  return map;
}

/** The types a worker registers: the given list, or else the handlers' names (sorted, unique). */
export function advertisedTypes(
  handlers: ReadonlyMap<string, TaskHandlerFn>,
  types?: readonly string[],
): string[] {
  const list = [...new Set(types ?? handlers.keys())].sort();
  list.forEach(checkType);
  if (list.length === 0) throw new TypeError('a worker needs at least one handler or task type');
  return list;
}

/** The handler for a task: its type's own, or the catch-all one registered under "*". */
export function handlerFor(
  handlers: ReadonlyMap<string, TaskHandlerFn>,
  type: string,
): TaskHandlerFn | undefined {
  return handlers.get(type) ?? handlers.get(ANY_TYPE);
}

/** Progress values must be small JSON: they are rewritten into the record on every report. */
export function progressJson(value: unknown): string {
  const json = JSON.stringify(value === undefined ? null : value);
  if (json === undefined) throw new TypeError('progress value is not JSON-serializable');
  const bytes = Buffer.byteLength(json);
  if (bytes > LIMITS.maxProgressBytes)
    throw new RangeError(
      `progress value is ${bytes} bytes; the limit is ${LIMITS.maxProgressBytes} bytes`,
    );
  return json;
}
