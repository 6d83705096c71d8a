/**
 * When a task was submitted, read from its id: a task id is "task-" followed by its submit
 * time as 9 base-36 digits of milliseconds, then 8 random characters (libs/taskqueue's
 * model/task-id.ts). This lets a finished event's latency (finished - created) be known without
 * reading the task's record.
 */
export function submittedAt(taskId: string): number | undefined {
  const m = /^task-([0-9a-z]{9})[0-9a-z]{8}$/.exec(taskId);
  return m ? parseInt(m[1], 36) : undefined;
}

/** ms from submission to `finishedAt`; undefined when the id does not say when it was made. */
export function taskLatencyMs(taskId: string, finishedAt: number): number | undefined {
  const created = submittedAt(taskId);
  return created === undefined ? undefined : Math.max(0, finishedAt - created);
}
