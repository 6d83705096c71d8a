import { TaskQueueClient } from '@shepherd/taskqueue';

export interface SubmitResult {
  /** Task ids in submit order. */
  ids: string[];
  startedAt: number;
  endedAt: number;
}

/**
 * Queues `total` no-op tasks through the library, `batch` per submitMany call with `inFlight`
 * calls outstanding, as a producer with a backlog to push would.
 */
export async function submitBacklog(
  client: TaskQueueClient,
  total: number,
  onBatch: (submitted: number) => void,
  batch = 1000,
  inFlight = 4,
): Promise<SubmitResult> {
  const batches = Math.ceil(total / batch);
  const idsByBatch: string[][] = new Array<string[]>(batches);
  let next = 0;
  let submitted = 0;
  const startedAt = Date.now();
  const lane = async (): Promise<void> => {
    while (next < batches) {
      const b = next++;
      const size = Math.min(batch, total - b * batch);
      const views = await client.submitMany(
        Array.from({ length: size }, () => ({ type: 'noop', payload: null })),
      );
      idsByBatch[b] = views.map((v) => v.id);
      submitted += size;
      onBatch(submitted);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, lane));
  return { ids: idsByBatch.flat(), startedAt, endedAt: Date.now() };
}
