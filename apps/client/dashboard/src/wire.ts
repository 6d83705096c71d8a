/**
 * What the client app's REST API and event stream send, as the page reads it. Timestamps in
 * REST answers are ISO-8601 strings; event payloads may carry either form, so every reader
 * goes through `toMs`.
 *
 * These mirror types of libs/taskqueue (TaskState, ClusterEvent) on purpose: the page is built
 * for the browser on its own (no Node libraries in its bundle), so it describes the wire format
 * it receives rather than importing the server's types.
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

export type Timestamp = string | number;

export interface HistoryEntry {
  at: Timestamp;
  event: string;
  worker?: string;
  detail?: string;
}

export interface TaskView {
  id: string;
  type: string;
  state: TaskState;
  /** null before the first assignment. */
  worker?: string | null;
  attempts: number;
  maxAttempts?: number;
  /** Higher runs first (-1000 to 1000, default 0). */
  priority?: number;
  /** The task's group, if it was given one. */
  group?: string;
  /** The flow the task belongs to (GET /flows/:id): its id, its key, the keys it waits for. */
  flow?: { id: string; key: string; dependsOn: string[] };
  history: HistoryEntry[];
  result?: unknown;
  error?: { message: string; name?: string };
  progress?: unknown;
  payload?: unknown;
  createdAt: Timestamp;
  updatedAt: Timestamp;
  startedAt?: Timestamp;
  finishedAt?: Timestamp;
  /** The task's OpenTelemetry trace id, when it was submitted with one. */
  traceId?: string;
}

export interface TaskPage {
  items: TaskView[];
  nextCursor?: string;
}

export interface WorkerView {
  id: string;
  host?: string;
  pid?: number;
  concurrency: number;
  types: string[];
  running: string[];
  since?: Timestamp;
  draining?: boolean;
}

export interface MasterCandidate {
  id: string;
  host?: string;
  pid?: number;
  since?: Timestamp;
}

export interface MastersView {
  leader: string | null;
  candidates: MasterCandidate[];
}

/** GET /queues items: a task type's queue settings. */
export interface QueueSettingsView {
  type: string;
  paused: boolean;
  concurrency: number | null;
  rateLimit: { max: number; perMs: number } | null;
  /** Absent from an older app. */
  groupConcurrency?: number | null;
  workers: number;
  /** As the leading master last counted them; null before it did (absent from an older app). */
  queued?: number | null;
  running?: number | null;
}

/** GET /schedules items (the fields the page shows). */
export interface ScheduleView {
  name: string;
  cron?: string;
  every?: number;
  timezone?: string;
  paused: boolean;
  task: { type: string };
  nextFireTimes: Timestamp[];
  lastFireAt?: Timestamp;
}

/** running: some task has not ended; done: all ended done; failed: all ended, not all done. */
export type FlowState = 'running' | 'done' | 'failed' | 'cancelled';

/** One task of a flow, as GET /flows and GET /flows/:id show it. */
export interface FlowTaskView {
  key: string;
  id: string;
  type: string;
  state: TaskState;
  /** Keys of the tasks of the same flow it runs after. */
  dependsOn: string[];
}

/** GET /flows items. */
export interface FlowView {
  id: string;
  state: FlowState;
  createdAt: Timestamp;
  onDependencyFailure: 'cancel' | 'run';
  cancelled?: { at: Timestamp; reason?: string };
  /** In the order they were given. */
  tasks: FlowTaskView[];
}

/** GET /flows: newest first. */
export interface FlowPage {
  items: FlowView[];
  nextCursor?: string;
}

export interface StatsView {
  /** When the server answered. */
  at?: Timestamp;
  counts: Partial<
    Record<'waiting' | 'queued' | 'assigned' | 'running' | 'finished' | 'dead', number>
  >;
  /** Tasks seen finishing since the client app started, by end state. */
  finishedSinceStart?: Partial<Record<'done' | 'failed' | 'cancelled' | 'dead', number>>;
  workers?: number;
  masters?: number;
  leader?: string | null;
  /** Completions per second over the last minute, oldest first; the last second is filling. */
  throughput?: {
    windowSeconds?: number;
    perSecond?: number[];
    total?: number;
    ratePerSecond?: number;
  };
  /** finishedAt - createdAt of the tasks finished in the last minute, ms. */
  latency?: {
    windowSeconds?: number;
    count?: number;
    p50Ms?: number | null;
    p99Ms?: number | null;
  };
  /**
   * Task types with queued tasks that no live worker serves, as far as the client app saw them
   * queued since it started.
   */
  queuedTypesWithoutWorker?: string[];
}

export type ClusterEventType =
  | 'task.queued'
  | 'task.assigned'
  | 'task.started'
  | 'task.progress'
  | 'task.completed'
  | 'task.failed'
  | 'task.reassigned'
  | 'task.dead'
  | 'task.cancelled'
  | 'worker.joined'
  | 'worker.left'
  | 'master.elected';

export const CLUSTER_EVENT_TYPES: readonly ClusterEventType[] = [
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
];

export interface ClusterEvent {
  type: ClusterEventType;
  at: Timestamp;
  taskId?: string;
  taskType?: string;
  state?: TaskState;
  workerId?: string;
  masterId?: string;
  attempts?: number;
  progress?: unknown;
  detail?: string;
}

/** Milliseconds since the epoch from an ISO string or a number; NaN when unreadable. */
export function toMs(value: Timestamp | undefined): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') return Date.parse(value);
  return NaN;
}
