import { context } from '@opentelemetry/api';
import { Observable } from 'rxjs';
import { ClusterEvent } from '../cluster-event';
import { TaskNotFoundError, TaskQueueError } from '../errors';
import { isTaskId } from '../model/task-id';
import { SubmitOptions } from '../model/submit-options';
import { readTask } from '../store/task-reader';
import { ClientContext, TaskQueueClientOptions, resolveClientOptions } from './client-options';
import {
  MastersView,
  QueueCounts,
  WorkerView,
  readCounts,
  readMasters,
  readWorkers,
} from './cluster-info';
import { ClusterEventStream, EventScope } from './cluster-events';
import { ListQuery, TaskPage } from './list-query';
import { listTasks } from './list-tasks';
import { StatusWindow } from './status-window';
import { cancelTask, redriveTask } from './operator-actions';
import { retrying } from './session-retry';
import { SubmitItem, TaskSubmitter } from './submit-tasks';
import { TaskView, viewOfStored } from './task-view';
import { TaskWaits } from './wait-for-task';
import { QueueView, getQueue, listQueues, setQueue } from '../queues/queue-client';
import {
  FlowCreated,
  FlowListQuery,
  FlowView,
  cancelFlow,
  getFlow,
  listFlows,
  submitFlow,
} from '../flows/flow-client';
import { FlowSpec } from '../flows/flow-spec';
import { QueueSettingsPatch } from '../queues/queue-settings';
import { SchedulePatch, ScheduleSpec } from '../schedules/schedule';
import {
  ScheduleView,
  createSchedule,
  deleteSchedule,
  getSchedule,
  listSchedules,
  updateSchedule,
} from '../schedules/schedule-client';

/** Default for wait() when no timeout is given. */
export const DEFAULT_WAIT_MS = 30_000;

/**
 * The producer's and operator's side of the queue: submit tasks, look at them, wait for them,
 * cancel and redrive them, watch the cluster. Holds no ephemeral znodes and no state that a
 * session expiry could invalidate, beyond the watches of wait() and events$, which move to the
 * next session by themselves. Every state change is one multi built from the core transitions.
 *
 * Errors: InvalidTaskError / PayloadTooLargeError for bad input, TaskNotFoundError,
 * TaskStateError (the task's state does not allow it), WaitTimeoutError; ZooKeeper errors
 * (e.g. SessionExpiredError when no session comes back) pass through.
 */
export class TaskQueueClient {
  /** Cluster events as this client sees them (hot, shared; see ClusterEventStream). */
  readonly events$: Observable<ClusterEvent>;
  /**
   * Only the events of tasks arriving in the queue or at an end (task.queued,
   * task.reassigned, task.failed, task.completed, task.cancelled, task.dead): about half the
   * notifications of events$ per task, for what counts outcomes (EventScope 'tasks').
   */
  readonly taskEvents$: Observable<ClusterEvent>;
  private readonly clusterStream: ClusterEventStream;
  private readonly taskStream: ClusterEventStream;
  private readonly ctx: ClientContext;
  private readonly submitter: TaskSubmitter;
  private readonly waits: TaskWaits;
  private readonly statusWindow: StatusWindow | undefined;
  private closed = false;

  constructor(options: TaskQueueClientOptions) {
    this.ctx = resolveClientOptions(options);
    if (options.listCache !== false)
      this.statusWindow = new StatusWindow(this.ctx, options.listCache ?? {});
    this.submitter = new TaskSubmitter(this.ctx);
    this.waits = new TaskWaits(this.ctx);
    this.clusterStream = new ClusterEventStream(this.ctx, 'cluster');
    this.taskStream = new ClusterEventStream(this.ctx, 'tasks');
    this.events$ = this.clusterStream.events$;
    this.taskEvents$ = this.taskStream.events$;
  }

  /**
   * Resolves once the watches behind the current subscriptions to events$ (scope 'cluster') or
   * taskEvents$ ('tasks') are set: every change from then on is seen. Rejects when nothing
   * subscribes to that stream.
   */
  whenWatching(scope: EventScope = 'cluster'): Promise<void> {
    return (scope === 'cluster' ? this.clusterStream : this.taskStream).watching();
  }

  /** Queues one task. With an idempotency key already used, returns that first task instead. */
  async submit(type: string, payload: unknown, options?: SubmitOptions): Promise<TaskView> {
    this.checkOpen();
    const [view] = await this.submitter.submit([{ type, payload, options }], false);
    return view;
  }

  /**
   * Queues many tasks, in as few multis as the size limits allow; the views come back in the
   * same order, and the tasks are assigned in that order. Every item is checked before any is
   * written: one invalid item fails the call and nothing is queued.
   */
  async submitMany(items: readonly SubmitItem[]): Promise<TaskView[]> {
    this.checkOpen();
    if (!Array.isArray(items)) throw new TypeError('submitMany takes an array');
    return this.submitter.submit(items, true);
  }

  /** The task wherever it is; TaskNotFoundError when it is nowhere (or the id is malformed). */
  async get(id: string): Promise<TaskView> {
    this.checkOpen();
    if (!isTaskId(id)) throw new TaskNotFoundError(String(id));
    const stored = await retrying(this.ctx.connection, this.ctx.clock, (c) => readTask(c, id));
    if (!stored) throw new TaskNotFoundError(id);
    return viewOfStored(stored);
  }

  /**
   * Resolves with the task once it is done, failed, cancelled or dead (at once if it already
   * is). WaitTimeoutError after `timeoutMs`; TaskNotFoundError if there is no such task.
   */
  wait(id: string, timeoutMs: number = DEFAULT_WAIT_MS): Promise<TaskView> {
    if (this.closed) return Promise.reject(closedError());
    return this.waits.wait(id, timeoutMs);
  }

  /** A page of tasks, newest first; pass `nextCursor` back as `cursor` for the next page. */
  list(query?: ListQuery): Promise<TaskPage<TaskView>> {
    if (this.closed) return Promise.reject(closedError());
    return listTasks(this.ctx, query, this.statusWindow);
  }

  /**
   * Cancels a queued, assigned or running task (the worker's handler is aborted). A finished
   * or dead task cannot be: TaskStateError.
   */
  cancel(id: string, reason?: string): Promise<TaskView> {
    if (this.closed) return Promise.reject(closedError());
    return cancelTask(this.ctx, id, reason);
  }

  /** Queues a dead (or failed) task again with its attempts reset; TaskStateError otherwise. */
  redrive(id: string): Promise<TaskView> {
    if (this.closed) return Promise.reject(closedError());
    return redriveTask(this.ctx, id);
  }

  /** Live workers with their declared capacity and the tasks they hold. */
  workers(): Promise<WorkerView[]> {
    if (this.closed) return Promise.reject(closedError());
    return retrying(this.ctx.connection, this.ctx.clock, readWorkers);
  }

  /** The master candidates in election order and the leader's id. */
  masters(): Promise<MastersView> {
    if (this.closed) return Promise.reject(closedError());
    return retrying(this.ctx.connection, this.ctx.clock, readMasters);
  }

  /** How many tasks are queued, in flight, finished and dead, without listing them. */
  counts(): Promise<QueueCounts> {
    if (this.closed) return Promise.reject(closedError());
    return retrying(this.ctx.connection, this.ctx.clock, readCounts);
  }

  /**
   * Creates a schedule: the leading master submits `spec.task` at each fire time of `cron` (in
   * `timezone`) or `every` ms. InvalidTaskError for bad input, ScheduleExistsError.
   */
  createSchedule(spec: ScheduleSpec): Promise<ScheduleView> {
    if (this.closed) return Promise.reject(closedError());
    return createSchedule(this.ctx, spec);
  }

  /** Every schedule, by name, with its next fire times. */
  schedules(): Promise<ScheduleView[]> {
    if (this.closed) return Promise.reject(closedError());
    return listSchedules(this.ctx);
  }

  /** One schedule with its next fire times and last tasks; ScheduleNotFoundError. */
  schedule(name: string): Promise<ScheduleView> {
    if (this.closed) return Promise.reject(closedError());
    return getSchedule(this.ctx, name);
  }

  /** Changes a schedule (`paused`, timing, `missed`, `task`); the fire history stays. */
  updateSchedule(name: string, patch: SchedulePatch): Promise<ScheduleView> {
    if (this.closed) return Promise.reject(closedError());
    return updateSchedule(this.ctx, name, patch);
  }

  pauseSchedule(name: string): Promise<ScheduleView> {
    return this.updateSchedule(name, { paused: true });
  }

  /** Resumes a paused schedule: fire times while it was paused are not fired. */
  resumeSchedule(name: string): Promise<ScheduleView> {
    return this.updateSchedule(name, { paused: false });
  }

  /** Deletes a schedule; the tasks it created stay. ScheduleNotFoundError. */
  deleteSchedule(name: string): Promise<void> {
    if (this.closed) return Promise.reject(closedError());
    return deleteSchedule(this.ctx, name);
  }

  /** Every task type with queue settings or a live worker, with its settings. */
  queues(): Promise<QueueView[]> {
    if (this.closed) return Promise.reject(closedError());
    return listQueues(this.ctx);
  }

  /** One type's queue settings (defaults when none were set); InvalidTaskError for a bad type. */
  queue(type: string): Promise<QueueView> {
    if (this.closed) return Promise.reject(closedError());
    return getQueue(this.ctx, type);
  }

  /**
   * Changes a type's queue settings (`paused`, `concurrency`, `rateLimit`; `null` clears a
   * limit): a compare-and-set, so concurrent writers keep each other's fields.
   */
  setQueue(type: string, patch: QueueSettingsPatch): Promise<QueueView> {
    if (this.closed) return Promise.reject(closedError());
    return setQueue(this.ctx, type, patch);
  }

  /**
   * Creates a flow, a DAG of tasks, atomically (all its tasks or none): a task starts once
   * every task it depends on (`dependsOn`, by key) has ended done, and its handler receives
   * their results as `task.dependencies`. A dependency that ends dead, failed or cancelled
   * cancels its dependents (transitively), or with `onDependencyFailure: 'run'` they run anyway
   * with it in `task.failedDependencies`. InvalidTaskError for a cycle, an unknown or duplicate
   * key, a self-dependency or a bad task; PayloadTooLargeError when the flow would not fit one
   * multi. Up to FLOW_LIMITS.maxTasks (500) tasks.
   */
  submitFlow(spec: FlowSpec): Promise<FlowCreated> {
    if (this.closed) return Promise.reject(closedError());
    // The caller's OpenTelemetry context, taken now: the flow's trace continues it.
    const parent = context.active();
    return Promise.resolve().then(() => submitFlow(this.ctx, spec, parent));
  }

  /** A flow and the state of each of its tasks; FlowNotFoundError, InvalidTaskError (bad id). */
  getFlow(id: string): Promise<FlowView> {
    if (this.closed) return Promise.reject(closedError());
    return Promise.resolve().then(() => getFlow(this.ctx, id));
  }

  /**
   * A page of flows, newest first, each with the state of its tasks as getFlow shows it; pass
   * `nextCursor` back as `cursor` for the next page. InvalidTaskError for a limit outside 1 to
   * 100 (default 20) or a cursor that is not a flow id.
   */
  listFlows(query?: FlowListQuery): Promise<TaskPage<FlowView>> {
    if (this.closed) return Promise.reject(closedError());
    return Promise.resolve().then(() => listFlows(this.ctx, query));
  }

  /**
   * Cancels a flow: every task of it that has not ended (waiting, queued, assigned, running) is
   * cancelled with the reason; the leader cancels any task it would have released.
   */
  cancelFlow(id: string, reason?: string): Promise<FlowView> {
    if (this.closed) return Promise.reject(closedError());
    return Promise.resolve().then(() => cancelFlow(this.ctx, id, reason));
  }

  /**
   * Ends the pending waits (rejected with TaskQueueError) and refuses further calls. The
   * connection is not closed: it belongs to whoever passed it in.
   */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.waits.failAll(closedError());
    this.statusWindow?.close();
  }

  private checkOpen(): void {
    if (this.closed) throw closedError();
  }
}

function closedError(): TaskQueueError {
  return new TaskQueueError('the TaskQueueClient is closed');
}
