// Public surface of the worker role.
export { Worker, WorkerStoppedError, type WorkerStopOptions } from './worker';
export type { TaskContext, TaskHandlerFn, TaskHandlers } from './task-handler';
export {
  ResultNotStorableError,
  TaskAbortError,
  TaskTimeoutError,
  type TaskAbortKind,
} from './task-abort';
export {
  DEFAULT_PROGRESS_INTERVAL_MS,
  DEFAULT_SHUTDOWN_GRACE_MS,
  WORKER_ID_PATTERN,
  defaultWorkerId,
  type WorkerLogger,
  type WorkerOptions,
} from './worker-options';
export type { WorkerNodeData } from './worker-registration';
export type { WorkerStats } from './worker-stats';
