/**
 * Where a task is in its lifecycle. The znode area tells the state apart at a glance:
 * waiting (a flow task whose dependencies have not all ended) lives in /waiting; queued in /tasks; assigned and running in /assign/<worker>; done, failed and cancelled
 * in /status; dead in /dead.
 */
export type TaskState =
  'waiting' | 'queued' | 'assigned' | 'running' | 'done' | 'failed' | 'dead' | 'cancelled';

export const TASK_STATES: readonly TaskState[] = [
  'waiting',
  'queued',
  'assigned',
  'running',
  'done',
  'failed',
  'dead',
  'cancelled',
];

/** States a task only leaves by an explicit redrive; `wait` resolves on these. */
export const TERMINAL_STATES: ReadonlySet<TaskState> = new Set<TaskState>([
  'done',
  'failed',
  'dead',
  'cancelled',
]);

export function isTerminal(state: TaskState): boolean {
  return TERMINAL_STATES.has(state);
}

export function isTaskState(value: unknown): value is TaskState {
  return typeof value === 'string' && (TASK_STATES as readonly string[]).includes(value);
}
