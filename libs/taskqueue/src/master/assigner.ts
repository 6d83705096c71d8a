import { BadVersionError, KeeperError, NoNodeError, NodeExistsError } from '@app/zk-protocol';
import { TimerHandle } from '@app/zk-client';
import { paths } from '../layout/paths';
import { BatchItem, commitBatch } from '../store/batch-committer';
import { assignTransition } from '../transitions/assign';
import { workerFence } from '../transitions/fences';
import { AssignmentPlanner, WorkerLoad } from './assignment-policy';
import { QueueTracker } from './queue-tracker';
import { TermContext } from './term-context';
import { WorkerTracker } from './worker-tracker';
import { pipelined } from './zk-reads';

/** Unknown ids read per step while looking for assignable tasks. */
const READ_CHUNK = 512;

/** One assignment the leader decided on. */
interface Planned {
  taskId: string;
  stay: number;
  workerId: string;
  session: string;
}

/**
 * Assignment rounds: walk the queue in submit order, read records lazily (a bounded window
 * ahead, so a 100,000-task backlog starts assigning after one read of a few hundred records),
 * pick workers by the policy within their free capacity, and commit
 * `[workerFence(w), create /assign/w/t, delete /tasks/b/t@version]` items with
 * `commitBatch(..., [leaderFence])`, at most maxBatch per round.
 *
 * Rejections are per item: the task moved (NoNode / BadVersion: forget or re-read it), the
 * worker is gone (its fence: judge the worker again). A failed leader fence ends the term
 * (FenceError propagates). A ConnectionLoss leaves the round's items uncertain: after the
 * reconnect each is read back (is the assignment there? the task?) before anything is retried.
 */
export class Assigner {
  private uncertain: Planned[] = [];
  private timer: TimerHandle | undefined;
  private timerAt = Infinity;

  constructor(
    private readonly term: TermContext,
    private readonly tasks: QueueTracker,
    private readonly workers: WorkerTracker,
  ) {}

  get hasUncertain(): boolean {
    return this.uncertain.length > 0;
  }

  stop(): void {
    if (this.timer !== undefined) this.term.options.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = Infinity;
  }

  /** One round; true when another may find more to do at once. */
  async round(): Promise<boolean> {
    const { queue, roster, options } = this.term;
    const loads = roster.loads();
    if (new AssignmentPlanner(loads).free === 0 || queue.size === 0) return false;
    for (;;) {
      const { plan, unknown, limit } = this.plan(loads);
      // Earlier ids first: unread ones are read before the round may skip past them.
      if (plan.length < limit && unknown.length > 0) {
        await this.tasks.read(unknown, () => queue.cached < options.prefetch);
        if (!this.term.active) return false;
        continue;
      }
      return plan.length > 0 && this.commit(plan);
    }
  }

  /**
   * Walks the queue in submit order and plans assignments from what is known, stopping at
   * READ_CHUNK unread ids, at the round's limit, or when no slot is left.
   */
  private plan(loads: WorkerLoad[]) {
    const { queue, roster, options } = this.term;
    const now = options.clock.now();
    const planner = new AssignmentPlanner(loads);
    const limit = Math.min(options.maxBatch, planner.free);
    const plan: Planned[] = [];
    const unknown: string[] = [];
    let nextDue = Infinity;
    for (const [taskId, task] of queue.inOrder()) {
      if (!task.read) {
        unknown.push(taskId);
        if (unknown.length >= READ_CHUNK) break;
        continue;
      }
      if (task.corrupt || task.type === undefined) continue;
      if (task.notBefore !== undefined && task.notBefore > now) {
        nextDue = Math.min(nextDue, task.notBefore);
        continue;
      }
      const workerId = planner.take(task.type);
      if (workerId === undefined) {
        if (planner.free === 0) break;
        continue;
      }
      const session = roster.get(workerId)?.session ?? '';
      plan.push({ taskId, stay: task.stay, workerId, session });
      if (plan.length >= limit) break;
    }
    this.armTimer(nextDue, now);
    return { plan, unknown, limit };
  }

  private async commit(plan: Planned[]): Promise<boolean> {
    const { client, queue, roster, counters, options } = this.term;
    const missing = plan
      .filter((p) => queue.get(p.taskId)?.record === undefined)
      .map((p) => p.taskId);
    const gone = missing.length > 0 ? await this.tasks.read(missing, () => true) : 0;
    const ctx = this.term.transition();
    const items: BatchItem<Planned>[] = [];
    for (const p of plan) {
      const task = queue.get(p.taskId);
      if (task?.record === undefined || task.version === undefined || task.stay !== p.stay)
        continue;
      if (roster.get(p.workerId)?.session !== p.session) continue;
      const t = assignTransition(ctx, task.record, task.version, {
        workerId: p.workerId,
        session: p.session,
      });
      items.push({ ops: [workerFence(p.workerId), ...t.ops], value: p });
    }
    if (items.length === 0) return gone > 0;

    this.uncertain = items.map((i) => i.value);
    const outcome = await commitBatch(client, items, this.term.fence);
    this.uncertain = [];
    for (const p of outcome.committed) this.applied(p);
    for (const { value, error } of outcome.rejected) await this.rejected(value, error);
    options.logger.debug(
      { assigned: outcome.committed.length, rejected: outcome.rejected.length, queued: queue.size },
      'assignment round',
    );
    counters.rejected += outcome.rejected.length;
    return true;
  }

  private applied(p: Planned): void {
    this.term.queue.remove(p.taskId);
    this.term.roster.assigned(p.workerId, p.taskId, p.session);
    this.term.counters.assigned++;
  }

  private async rejected(p: Planned, error: KeeperError): Promise<void> {
    const { queue, options } = this.term;
    options.logger.debug(
      { task: p.taskId, worker: p.workerId, err: error.message },
      'assignment refused',
    );
    if (error.path === paths.worker(p.workerId)) {
      // Its fence failed: the worker is gone; judge it (and recover its tasks) at once.
      this.workers.markWorkerStale(p.workerId);
    } else if (error.path === paths.task(p.taskId)) {
      if (error instanceof NoNodeError) queue.remove(p.taskId);
      else queue.forgetRecord(p.taskId);
    } else if (error.path === paths.assignment(p.workerId, p.taskId)) {
      queue.forgetRecord(p.taskId);
      // A live worker without its /assign directory (removed while it registered): put it back.
      if (error instanceof NoNodeError && this.term.roster.get(p.workerId)?.session !== undefined)
        this.workers.markAssignStale(p.workerId); // re-created and watched again
      if (error instanceof NodeExistsError) this.workers.markWorkerStale(p.workerId);
    } else if (error instanceof BadVersionError || error instanceof NoNodeError) {
      queue.forgetRecord(p.taskId);
    } else {
      options.logger.warn({ task: p.taskId, err: error.message }, 'assignment refused');
    }
  }

  /**
   * After a ConnectionLoss on a commit: which of the round's assignments happened? An item
   * applied iff its assignment exists (only the leader creates assignments). Not applied and
   * still queued: it is considered again. Neither: it moved on (cancelled, or already done).
   */
  async resolveUncertain(): Promise<void> {
    const items = this.uncertain;
    this.uncertain = [];
    const { client, queue } = this.term;
    try {
      const found = await pipelined(items, 64, async (p) => {
        const [assigned, queued] = await Promise.all([
          client.exists(paths.assignment(p.workerId, p.taskId)),
          client.exists(paths.task(p.taskId)),
        ]);
        return { assigned: assigned !== null, queued: queued !== null };
      });
      items.forEach((p, i) => {
        if (found[i].assigned) this.applied(p);
        else if (found[i].queued) {
          queue.forgetRecord(p.taskId);
          queue.add(p.taskId);
        } else queue.remove(p.taskId);
      });
      this.term.options.logger.info(
        { items: items.length, applied: found.filter((f) => f.assigned).length },
        'assignments read back after a lost connection',
      );
    } catch (err) {
      this.uncertain = [...items, ...this.uncertain];
      throw err;
    }
  }

  /** One timer, for the earliest delayed task seen. */
  private armTimer(nextDue: number, now: number): void {
    if (!Number.isFinite(nextDue) || nextDue >= this.timerAt) return;
    const clock = this.term.options.clock;
    if (this.timer !== undefined) clock.clearTimeout(this.timer);
    this.timerAt = nextDue;
    this.timer = clock.setTimeout(
      () => {
        this.timer = undefined;
        this.timerAt = Infinity;
        this.term.wantRound();
      },
      Math.max(0, nextDue - now),
    );
  }
}
