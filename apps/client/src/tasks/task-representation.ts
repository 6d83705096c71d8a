import type { HistoryEntry, TaskError, TaskPage, TaskView } from '@shepherd/taskqueue';
import { isoTime } from '../iso-time';
import type {
  HistoryEntryResponse,
  TaskErrorResponse,
  TaskPageResponse,
  TaskResponse,
} from './task.schema';

function historyEntry(h: HistoryEntry): HistoryEntryResponse {
  return {
    at: isoTime(h.at),
    event: h.event,
    ...(h.worker !== undefined && { worker: h.worker }),
    ...(h.detail !== undefined && { detail: h.detail }),
  };
}

/**
 * A stored error as answered: its name and message, and its stack only when the worker stored
 * one (WORKER_ERROR_STACKS, off by default: stacks name the worker's files and stay in its log).
 */
function taskError(e: TaskError): TaskErrorResponse {
  return {
    message: e.message,
    ...(e.name !== undefined && { name: e.name }),
    ...(typeof e.stack === 'string' && { stack: e.stack }),
  };
}

/**
 * A task as the REST API answers it: the core's view with ISO timestamps, `worker` always
 * present (null before the first assignment), optional fields absent when unset, in the order
 * a reader wants them.
 */
export function toTaskResponse(v: TaskView): TaskResponse {
  return {
    id: v.id,
    type: v.type,
    state: v.state,
    worker: v.worker ?? null,
    attempts: v.attempts,
    maxAttempts: v.maxAttempts,
    priority: v.priority,
    history: v.history.map(historyEntry),
    ...(v.result !== undefined && { result: v.result }),
    ...(v.error !== undefined && { error: taskError(v.error) }),
    ...(v.progress !== undefined && { progress: v.progress }),
    payload: v.payload,
    createdAt: isoTime(v.createdAt),
    updatedAt: isoTime(v.updatedAt),
    ...(v.notBefore !== undefined && { notBefore: isoTime(v.notBefore) }),
    ...(v.startedAt !== undefined && { startedAt: isoTime(v.startedAt) }),
    ...(v.finishedAt !== undefined && { finishedAt: isoTime(v.finishedAt) }),
    ...(v.idempotencyKey !== undefined && { idempotencyKey: v.idempotencyKey }),
    ...(v.flow !== undefined && {
      flow: { id: v.flow.id, key: v.flow.key, dependsOn: [...v.flow.dependsOn] },
    }),
    ...(v.group !== undefined && { group: v.group }),
    ...(v.schedule !== undefined && { schedule: v.schedule }),
    ...(v.scheduledFor !== undefined && { scheduledFor: isoTime(v.scheduledFor) }),
    ...(v.traceId !== undefined && { traceId: v.traceId }),
  };
}

export function toTaskPageResponse(page: TaskPage<TaskView>): TaskPageResponse {
  return {
    items: page.items.map(toTaskResponse),
    ...(page.nextCursor !== undefined && { nextCursor: page.nextCursor }),
  };
}
