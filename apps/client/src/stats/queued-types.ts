import type { ClusterEvent } from '@shepherd/taskqueue';

/** Queued tasks remembered at most (about 100 bytes each); past it, the oldest are forgotten. */
export const MAX_TRACKED_QUEUED = 100_000;

/**
 * The task types that have queued tasks, as far as this app knows, without reading the queue:
 * the tasks its event stream saw arrive in the queue (submitted, retried, reassigned), until an
 * event says they left it. The app's tallies stream has the arrivals only (no task.assigned),
 * so a task stays here while it runs, until it ends or comes back: a type is only listed when
 * no live worker serves it, and a running task's worker serves its type, so the list is the
 * same. Framework-free; fed one ClusterEvent at a time, in the order seen.
 *
 * What it does not cover: tasks queued before the app started, or while its watch was down
 * (events are not replayed), and, past MAX_TRACKED_QUEUED queued tasks, the oldest ones. A
 * task that left the queue while the watch was down would stay; `forgetQueuedBefore` drops
 * those once the queue is seen empty.
 */
export class QueuedTypes {
  /** Task id -> its type and when it was seen queued, oldest first. */
  private readonly tasks = new Map<string, { type: string; at: number }>();
  /** Type -> how many of `tasks` have it. */
  private readonly counts = new Map<string, number>();

  observe(event: ClusterEvent): void {
    const id = event.taskId;
    if (id === undefined || event.state === undefined) return;
    this.remove(id);
    // A queued event without a type (its record was gone when read) has already moved on.
    if (event.state === 'queued' && event.taskType !== undefined)
      this.add(id, event.taskType, event.at);
  }

  /** The types with queued tasks, sorted. */
  types(): string[] {
    return [...this.counts.keys()].sort();
  }

  /** Forgets the tasks seen queued before `at`: the queue was empty after that. */
  forgetQueuedBefore(at: number): void {
    for (const [id, task] of this.tasks) {
      if (task.at >= at) break;
      this.remove(id);
    }
  }

  private add(id: string, type: string, at: number): void {
    this.tasks.set(id, { type, at });
    this.counts.set(type, (this.counts.get(type) ?? 0) + 1);
    if (this.tasks.size > MAX_TRACKED_QUEUED) this.remove(this.tasks.keys().next().value!);
  }

  private remove(id: string): void {
    const task = this.tasks.get(id);
    if (task === undefined) return;
    this.tasks.delete(id);
    const left = (this.counts.get(task.type) ?? 1) - 1;
    if (left > 0) this.counts.set(task.type, left);
    else this.counts.delete(task.type);
  }
}
