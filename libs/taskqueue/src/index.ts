// Public surface of @shepherd/taskqueue.
export * from './errors';
export * from './cluster-event';
export { BUCKETS, BUCKET_COUNT, bucketOf } from './layout/buckets';
export { BUCKETED_ROOTS, ROOTS, locate, paths, type LayoutLocation } from './layout/paths';
export {
  DEFAULT_PRIORITY,
  compareSubmitOrder,
  isTaskId,
  newTaskId,
  priorityOf,
  submittedAt,
} from './model/task-id';
export * from './model/task-state';
export { LIMITS, TASK_TYPE_PATTERN, TASK_TYPE_RULE } from './model/limits';
export { nestsDeeperThan } from './model/json-depth';
export {
  CorruptTaskRecordError,
  toTaskError,
  withHistory,
  type FailedDependency,
  type HistoryEntry,
  type HistoryEvent,
  type TaskError,
  type TaskFlowRef,
  type TaskOptions,
  type TaskRecord,
  type TaskTrace,
  MAX_DEPENDENCY_LINKS,
  withChanges,
  type RecordChanges,
} from './model/task-record';
export { decodeRecord, encodeRecord } from './model/record-codec';
export {
  DEFAULT_BACKOFF_MS,
  DEFAULT_MAX_ATTEMPTS,
  newTaskRecord,
  payloadJson,
  validateSubmission,
  type SubmitOptions,
} from './model/submit-options';
export { MAX_BACKOFF_MS, retryDelayMs } from './model/backoff';
export * from './transitions/transition';
export * from './transitions/fences';
export * from './transitions/submit';
export * from './transitions/assign';
export * from './transitions/run-updates';
export * from './transitions/finish';
export * from './transitions/give-back';
export * from './transitions/operator';
export * from './store/task-location';
export { readTask } from './store/task-reader';
export * from './store/batch-committer';
export { LAYOUT_VERSION, ensureLayout } from './store/ensure-layout';
export * from './master';
export * from './worker';
export * from './client';
export * from './schedules';
export * from './queues';
export * from './flows';
export * from './telemetry';
