import { ROOTS } from '../layout/paths';
import { QueueCountsData, TypeCounts, encodeQueueCounts, sameCounts } from '../queues/queue-counts';
import { FenceError, commitBatch } from '../store/batch-committer';
import { TermContext } from './term-context';
import { TermLoop } from './term-loop';

/** How often the counts are taken; they are written only when they changed. */
export const QUEUE_COUNTS_INTERVAL_MS = 1000;

/**
 * Publishes the leader's per-type counts (queued, from its queue index; running, from its
 * roster) in the data of /queues, at most once a second and only when they changed, so
 * GET /queues shows them without reading every queued record (queues/queue-counts.ts). The
 * write carries the term's fence: a deposed leader's counts never land.
 */
export class QueueCountsPublisher {
  private readonly loop: TermLoop;
  private last: QueueCountsData | undefined;

  constructor(
    private readonly term: TermContext,
    onFenceError: (err: FenceError) => void,
  ) {
    this.loop = new TermLoop(term, {
      name: 'queue counts',
      pass: async () => {
        await this.publish();
        return QUEUE_COUNTS_INTERVAL_MS;
      },
      afterErrorMs: () => QUEUE_COUNTS_INTERVAL_MS,
      onFenceError,
    });
  }

  start(): void {
    this.loop.start(QUEUE_COUNTS_INTERVAL_MS);
  }

  stop(): void {
    this.loop.stop();
  }

  idle(): Promise<void> {
    return this.loop.idle();
  }

  /** The counts as the leader knows them now. */
  count(): QueueCountsData {
    const { queue, roster, options } = this.term;
    const queued = queue.typeCounts();
    const running = roster.typeCounts();
    const types: Record<string, TypeCounts> = {};
    for (const type of [...new Set([...queued.byType.keys(), ...running.keys()])].sort())
      types[type] = { queued: queued.byType.get(type) ?? 0, running: running.get(type) ?? 0 };
    return {
      v: 1,
      at: options.clock.now(),
      leader: options.id,
      types,
      unclassified: queued.unread,
    };
  }

  /** Writes the counts if they changed since the last write; true when it wrote. */
  async publish(): Promise<boolean> {
    const counts = this.count();
    if (sameCounts(this.last, counts)) return false;
    const op = {
      type: 'setData' as const,
      path: ROOTS.queues,
      data: encodeQueueCounts(counts),
      version: -1,
    };
    const outcome = await commitBatch(this.term.client, [{ ops: [op], value: 0 }], this.term.fence);
    if (outcome.rejected.length > 0) throw outcome.rejected[0].error;
    this.last = counts;
    return true;
  }
}
