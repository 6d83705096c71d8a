import { submittedAt as idTime } from '@shepherd/taskqueue';

/**
 * When a task was submitted, read from its id: a task id carries its submit time in base-36
 * milliseconds, after its priority (libs/taskqueue's model/task-id.ts). This lets a finished
 * event's latency (finished - created) be known without reading the task's record.
 */
export function submittedAt(taskId: string): number | undefined {
  const ms = idTime(taskId);
  return Number.isNaN(ms) ? undefined : ms;
}

/** ms from submission to `finishedAt`; undefined when the id does not say when it was made. */
export function taskLatencyMs(taskId: string, finishedAt: number): number | undefined {
  const created = submittedAt(taskId);
  return created === undefined ? undefined : Math.max(0, finishedAt - created);
}
