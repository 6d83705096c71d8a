import { ZooKeeperClient, isRetryable } from '@shepherd/zk-client';
import { commitBatch } from '../store/batch-committer';
import { Transition } from '../transitions/transition';
import { AssignmentRef, readBackMove } from './read-back';
import { WorkerLogger } from './worker-options';
import { withRecordTraceIds } from '../telemetry/task-spans';

/**
 * How a move out of an assignment ended:
 * - committed: it is in the tree (possibly learned by reading back after a ConnectionLoss);
 * - rejected: the assignment was gone or changed (cancelled, or taken back by the master after
 *   our session was thought dead): nothing of ours was written;
 * - lost: the session ended before we could tell; the master recovers the assignment.
 */
export type Verdict = 'committed' | 'rejected' | 'lost';

interface Pending {
  transition: Transition;
  from: AssignmentRef;
  resolve(verdict: Verdict): void;
}

/**
 * Commits the moves of handlers that finished in the same turn of the event loop in one multi
 * (commitBatch splits by size and sets a rejected item aside without failing the others). No
 * fence: each item's versioned delete of its own assignment is its fence.
 */
export class CompletionBatcher {
  private queue: Pending[] = [];
  private scheduled = false;

  constructor(
    private readonly client: ZooKeeperClient,
    private readonly logger: WorkerLogger,
  ) {}

  submit(transition: Transition, from: AssignmentRef): Promise<Verdict> {
    return new Promise((resolve) => this.enqueue({ transition, from, resolve }));
  }

  private enqueue(item: Pending): void {
    this.queue.push(item);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => void this.flush());
  }

  private async flush(): Promise<void> {
    const batch = this.queue;
    this.queue = [];
    this.scheduled = false;
    try {
      const outcome = await commitBatch(
        this.client,
        batch.map((p) => ({ ops: p.transition.ops, value: p })),
      );
      for (const p of outcome.committed) p.resolve('committed');
      for (const { value: p, error } of outcome.rejected) {
        this.logger.warn(
          withRecordTraceIds(
            { taskId: p.transition.record.id, error: error.message },
            p.transition.record,
          ),
          'write rejected: the assignment was taken back',
        );
        p.resolve('rejected');
      }
    } catch (err) {
      // Which items landed is unknown (commitBatch may have sent several multis): ask the tree.
      for (const p of batch) {
        if (isRetryable(err)) void this.settleUnknown(p);
        else p.resolve('lost');
      }
    }
  }

  private async settleUnknown(p: Pending): Promise<void> {
    try {
      const landing = await readBackMove(this.client, p.transition, p.from);
      this.logger.info(
        withRecordTraceIds({ taskId: p.transition.record.id, landing }, p.transition.record),
        'read back a write whose reply was lost',
      );
      if (landing === 'not-applied') this.enqueue(p);
      else p.resolve(landing === 'applied' ? 'committed' : 'rejected');
    } catch {
      p.resolve('lost');
    }
  }
}
