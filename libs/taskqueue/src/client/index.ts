// Public surface of the client role.
export { TaskQueueClient, DEFAULT_WAIT_MS } from './task-queue-client';
export type { TaskQueueClientOptions, ClientLogger, ListCacheOptions } from './client-options';
export { toTaskView, type TaskView } from './task-view';
export type { SubmitItem } from './submit-tasks';
export type { EventScope } from './cluster-events';
export { DEFAULT_LIST_LIMIT, MAX_LIST_LIMIT, type ListQuery, type TaskPage } from './list-query';
export type { MasterCandidateView, MastersView, QueueCounts, WorkerView } from './cluster-info';
