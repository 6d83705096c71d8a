import { HistoryEntry, TaskError, TaskFlowRef, TaskRecord } from '../model/task-record';
import { DEFAULT_PRIORITY, priorityOf } from '../model/task-id';
import { TaskState } from '../model/task-state';
import { StoredTask, TaskArea } from '../store/task-location';
import { parseTraceparent } from '../telemetry/traceparent';

/**
 * A task as callers see it: the record, with the state the tree says it is in. Optional fields
 * are absent (not undefined) when unset, so the view serializes as it reads.
 */
export interface TaskView {
  id: string;
  type: string;
  state: TaskState;
  /** The worker holding the task (assigned, running) or the last one that held it. */
  worker?: string;
  attempts: number;
  maxAttempts: number;
  /** Higher runs first (-1000 to 1000, default 0). */
  priority: number;
  history: HistoryEntry[];
  result?: unknown;
  error?: TaskError;
  progress?: unknown;
  payload: unknown;
  createdAt: number;
  updatedAt: number;
  notBefore?: number;
  startedAt?: number;
  finishedAt?: number;
  idempotencyKey?: string;
  /** The task's group (see SubmitOptions.group). */
  group?: string;
  /** The schedule that created the task, if one did. */
  schedule?: string;
  /** The fire time (epoch ms) the schedule created it for. */
  scheduledFor?: number;
  /** The flow the task belongs to: its id, the task's key, the keys it depends on. */
  flow?: TaskFlowRef;
  /**
   * The W3C trace id of the task's OpenTelemetry trace (32 hex digits), when it was submitted
   * with one: what to look it up by in a tracing backend.
   */
  traceId?: string;
}

/**
 * The state of a record found in `area`. The area is the truth for the two areas that hold one
 * state only: a record in /tasks is queued and one in /dead is dead, whatever the record says
 * (a record is written by the transition that moves it, so they agree unless a tool wrote it).
 */
export function stateIn(area: TaskArea, record: TaskRecord): TaskState {
  switch (area) {
    case 'waiting':
      return 'waiting';
    case 'tasks':
      return 'queued';
    case 'dead':
      return 'dead';
    case 'assign':
      return record.state === 'running' ? 'running' : 'assigned';
    case 'status':
      return record.state;
  }
}

export function toTaskView(record: TaskRecord, area: TaskArea, workerId?: string): TaskView {
  const state = stateIn(area, record);
  const view: TaskView = {
    id: record.id,
    type: record.type,
    state,
    attempts: record.attempts,
    maxAttempts: record.options.maxAttempts,
    priority: priorityOfRecord(record),
    history: record.history,
    payload: record.payload,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
  // A queued task has no worker, even if an earlier attempt ran somewhere.
  const worker = area === 'assign' ? (workerId ?? record.worker) : record.worker;
  if (worker !== undefined && state !== 'queued') view.worker = worker;
  if (record.result !== undefined) view.result = record.result;
  if (record.error !== undefined) view.error = record.error;
  if (record.progress !== undefined) view.progress = record.progress;
  if (record.notBefore !== undefined && state === 'queued') view.notBefore = record.notBefore;
  if (record.startedAt !== undefined) view.startedAt = record.startedAt;
  if (record.finishedAt !== undefined) view.finishedAt = record.finishedAt;
  if (record.options.idempotencyKey !== undefined)
    view.idempotencyKey = record.options.idempotencyKey;
  if (record.options.group !== undefined) view.group = record.options.group;
  if (record.schedule !== undefined) view.schedule = record.schedule;
  if (record.scheduledFor !== undefined) view.scheduledFor = record.scheduledFor;
  if (record.flow !== undefined) view.flow = record.flow;
  const traceId = parseTraceparent(record.trace?.traceparent)?.traceId;
  if (traceId !== undefined) view.traceId = traceId;
  return view;
}

/** The record's priority; one written before priorities has none and its id says 0. */
function priorityOfRecord(record: TaskRecord): number {
  const stored = record.options.priority;
  if (typeof stored === 'number') return stored;
  const fromId = priorityOf(record.id);
  return Number.isNaN(fromId) ? DEFAULT_PRIORITY : fromId;
}

export function viewOfStored(stored: StoredTask): TaskView {
  return toTaskView(stored.record, stored.area, stored.workerId);
}
