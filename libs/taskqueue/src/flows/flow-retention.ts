import { NoNodeError } from '@shepherd/zk-protocol';
import { TransactionOp } from '@shepherd/zk-client';
import { ROOTS, paths } from '../layout/paths';
import { RetentionLimits, pruneCutoff } from '../master/retention-policy';
import { TermContext } from '../master/term-context';
import { TermLoop } from '../master/term-loop';
import { FenceError, commitBatch } from '../store/batch-committer';
import { deleteOp } from '../transitions/transition';
import { flowCreatedAt, isFlowId } from './flow-id';
import { flowFinished } from './flow-record';
import { readFlow } from './flow-reads';

/** Flows looked at per pass at most: a pass stays short; the next one goes on. */
const FLOWS_PER_PASS = 1000;

/**
 * Retention of /flows, beside the retention of task records and under the same limits: a
 * finished flow (a marker for every task) older than maxAgeMs, or beyond maxCount flows, goes,
 * its markers and its record in one leader-fenced multi, deleting the record at the version
 * read. A flow with a task still open is never touched: the terminal transition of that task
 * creates its marker and would fail on a missing flow. Its tasks' records are pruned by the
 * task retention as any others; GET /flows/:id answers 404 once the flow is gone.
 */
export class FlowRetention {
  private readonly loop: TermLoop;

  constructor(
    private readonly term: TermContext,
    onFenceError: (err: FenceError) => void,
  ) {
    this.loop = new TermLoop(term, {
      name: 'flow retention',
      pass: async () => {
        await this.runOnce();
        return term.options.retention.intervalMs;
      },
      afterErrorMs: () => term.options.retention.intervalMs,
      onFenceError,
    });
  }

  start(): void {
    this.loop.start(this.term.options.retention.intervalMs);
  }

  stop(): void {
    this.loop.stop();
  }

  idle(): Promise<void> {
    return this.loop.idle();
  }

  /** One pass; resolves with the number of flows removed. */
  async runOnce(limits: RetentionLimits = this.term.options.retention): Promise<number> {
    const { client, options } = this.term;
    let ids: string[];
    try {
      ids = (await client.getChildren(ROOTS.flows)).filter((id) => isFlowId(id)).sort();
    } catch (err) {
      if (err instanceof NoNodeError) return 0;
      throw err;
    }
    const cutoff = pruneCutoff(ids.map(flowCreatedAt), options.clock.now(), limits);
    const due = ids.slice(0, Math.min(cutoff.total, FLOWS_PER_PASS));
    let removed = 0;
    for (const id of due) {
      if (!this.term.active) break;
      if (await this.remove(id)) removed++;
    }
    if (removed > 0) options.logger.info({ removed, flows: ids.length }, 'flow retention pass');
    return removed;
  }

  /** Removes one finished flow; false when it is not finished (or changed, or is gone). */
  private async remove(id: string): Promise<boolean> {
    const { client, fence } = this.term;
    const stored = await readFlow(client, id);
    if (stored === null || !flowFinished(stored.flow, stored.stat.numChildren)) return false;
    let keys: string[];
    try {
      keys = await client.getChildren(paths.flow(id));
    } catch (err) {
      if (err instanceof NoNodeError) return false;
      throw err;
    }
    const ops: TransactionOp[] = [
      ...keys.map((k) => deleteOp(paths.flowMarker(id, k))),
      deleteOp(paths.flow(id), stored.stat.version),
    ];
    const outcome = await commitBatch(client, [{ ops, value: id }], fence);
    return outcome.committed.length === 1;
  }
}
