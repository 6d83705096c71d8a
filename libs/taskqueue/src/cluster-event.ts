import { TaskState } from './model/task-state';

/** Names of cluster events, as the REST API's server-sent events carry them. */
export const CLUSTER_EVENT_TYPES = [
  'task.queued',
  'task.assigned',
  'task.started',
  'task.progress',
  'task.completed',
  'task.failed',
  'task.reassigned',
  'task.dead',
  'task.cancelled',
  'worker.joined',
  'worker.left',
  'master.elected',
] as const;

export type ClusterEventType = (typeof CLUSTER_EVENT_TYPES)[number];

/**
 * One observed change in the cluster. Derived from watch notifications on the layout, so it is
 * what a watcher saw, not a log: events that happen while a watcher is disconnected are not
 * replayed (the task records' histories are the durable account).
 */
export interface ClusterEvent {
  type: ClusterEventType;
  /** When the observer saw it (ms since the epoch). */
  at: number;
  taskId?: string;
  taskType?: string;
  state?: TaskState;
  workerId?: string;
  masterId?: string;
  attempts?: number;
  progress?: unknown;
  detail?: string;
}
