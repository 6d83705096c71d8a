import { HistoryEntry, TaskQueueClient, TaskView } from '@shepherd/taskqueue';

/** Reads tasks by id, `parallel` at a time (a few hundred reads, not a listing of the queue). */
export async function readTasks(
  client: TaskQueueClient,
  ids: string[],
  parallel = 32,
): Promise<TaskView[]> {
  const views: TaskView[] = new Array<TaskView>(ids.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < ids.length) {
      const i = next++;
      views[i] = await client.get(ids[i]);
    }
  };
  await Promise.all(Array.from({ length: parallel }, lane));
  return views;
}

/** The times (epoch ms) of the history entries of one kind, over many tasks. */
export function entryTimes(views: TaskView[], event: HistoryEntry['event'], since = 0): number[] {
  return views
    .flatMap((v) => v.history.filter((h) => h.event === event && h.at >= since))
    .map((h) => h.at);
}
