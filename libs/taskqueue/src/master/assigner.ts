import { Span } from '@opentelemetry/api';
import { BadVersionError, KeeperError, NoNodeError, NodeExistsError } from '@shepherd/zk-protocol';
import { TimerHandle } from '@shepherd/zk-client';
import { paths } from '../layout/paths';
import { BatchItem, BatchOutcome, commitBatch } from '../store/batch-committer';
import { assignTransition } from '../transitions/assign';
import { endAssignSpan, startAssignSpan, waitMs, withTraceIds } from '../telemetry/task-spans';
import { workerFence } from '../transitions/fences';
import { AssignmentPlanner, WorkerLoad } from './assignment-policy';
import { QueueGate, StartLog } from './queue-limits';
import { QueueTracker } from './queue-tracker';
import { groupKey } from './worker-roster';
import { TermContext } from './term-context';
import { WorkerTracker } from './worker-tracker';
import { pipelined } from './zk-reads';
import { addToCount } from './count-map';

/** Unknown ids read per step while looking for assignable tasks. */
const READ_CHUNK = 512;
/**
 * Assignment commits in flight at once. Each is an fsynced multi; while one is on its way the
 * next round can already fill the slots that freed up meanwhile, so a worker's slot does not
 * sit idle for a whole commit round trip. A few are enough to cover the sync latency.
 */
const PIPELINE_DEPTH = 3;

/** One assignment the leader decided on. */
interface Planned {
  taskId: string;
  stay: number;
  workerId: string;
  session: string;
  type: string;
  group?: string;
  /** How long the task waited to be assigned (for the wait-time metric). */
  waitMs?: number;
  /** The assignment's span, for a traced task (telemetry/task-spans.ts). */
  span?: Span;
}

/**
 * Assignment rounds: walk the queue in id order (priority, then submit order), read records
 * lazily (a bounded window ahead, so a 100,000-task backlog starts assigning after one read of a
 * few hundred records), pick workers by the policy within their free capacity, and commit
 * `[create /assign/w/t, delete /tasks/b/t@version]` items guarded by workerFence(w) (one check
 * per worker per multi, not one per task) with
 * `commitBatch(..., [leaderFence])`, at most maxBatch per round.
 *
 * Rounds are pipelined: a round sends its commit and returns, and up to PIPELINE_DEPTH commits
 * are in flight. Until a commit settles its tasks are marked `assigning` in the queue index
 * (never planned twice) and its workers' slots are reserved in the roster (never above their
 * concurrency). Everything else the term does (judging workers aside) waits for the pipeline
 * to drain (idle()), so read-backs and re-listings never race a commit.
 *
 * Rejections are per item: the task moved (NoNode / BadVersion: forget or re-read it), the
 * worker is gone (its fence: judge the worker again). A failed leader fence ends the term
 * (FenceError goes to onError). A ConnectionLoss leaves the commit's items uncertain: after the
 * reconnect each is read back (is the assignment there? the task?) before anything is retried.
 */
export class Assigner {
  private uncertain: Planned[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private timer: TimerHandle | undefined;
  private timerAt = Infinity;
  /** Planned assignments in commits still in flight, per task type. */
  private readonly holding = new Map<string, number>();
  /** The same per groupKey(type, group), for tasks with a group. */
  private readonly holdingInGroup = new Map<string, number>();
  /** Recent assignment starts per type, for rate limits (this term only). */
  private readonly starts = new StartLog();

  constructor(
    private readonly term: TermContext,
    private readonly tasks: QueueTracker,
    private readonly workers: WorkerTracker,
    private readonly onError: (err: unknown) => void,
  ) {}

  get hasUncertain(): boolean {
    return this.uncertain.length > 0;
  }

  /** Resolves once no assignment commit is in flight. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  stop(): void {
    if (this.timer !== undefined) this.term.options.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = Infinity;
  }

  /** One round; true when another may find more to do at once. */
  async round(): Promise<boolean> {
    const { queue, roster, options } = this.term;
    // A commit settling asks for the next round (wantRound), so nothing is missed by waiting.
    if (this.inFlight.size >= PIPELINE_DEPTH) return false;
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
   * Walks the queue in id order (priority, then submit order) and plans assignments from what
   * is known, stopping at READ_CHUNK unread ids, at the round's limit, or when no slot is left.
   */
  private plan(loads: WorkerLoad[]) {
    const { queue, roster, options } = this.term;
    const now = options.clock.now();
    const planner = new AssignmentPlanner(loads);
    const settings = this.term.queueSettings;
    const gate = new QueueGate(
      settings,
      (type) => roster.runningOfType(type) + (this.holding.get(type) ?? 0),
      (type) => this.starts.recent(type, now, settings.get(type)?.rateLimit?.perMs ?? 0),
      now,
      (type, group) =>
        roster.runningInGroup(type, group) + (this.holdingInGroup.get(groupKey(type, group)) ?? 0),
    );
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
      if (task.corrupt || task.assigning || task.type === undefined) continue;
      if (task.notBefore !== undefined && task.notBefore > now) {
        nextDue = Math.min(nextDue, task.notBefore);
        continue;
      }
      // A paused or limited type (or a busy group) is skipped: its tasks keep their place, the
      // others flow.
      if (!gate.allows(task.type, task.group)) continue;
      const workerId = planner.take(task.type);
      if (workerId === undefined) {
        if (planner.free === 0) break;
        continue;
      }
      gate.take(task.type, task.group);
      const session = roster.get(workerId)?.session ?? '';
      const planned: Planned = { taskId, stay: task.stay, workerId, session, type: task.type };
      if (task.group !== undefined) planned.group = task.group;
      plan.push(planned);
      if (plan.length >= limit) break;
    }
    this.armTimer(Math.min(nextDue, gate.nextAllowedAt), now);
    return { plan, unknown, limit };
  }

  /** Builds the round's items and sends them; true when another round may go at once. */
  private async commit(plan: Planned[]): Promise<boolean> {
    const { queue, roster } = this.term;
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
      if (task.assigning || roster.get(p.workerId)?.session !== p.session) continue;
      const t = assignTransition(ctx, task.record, task.version, {
        workerId: p.workerId,
        session: p.session,
      });
      p.waitMs = waitMs(task.record, ctx.now);
      p.span = startAssignSpan(task.record, p.workerId, ctx.now);
      items.push({ ops: t.ops, value: p, guard: workerFence(p.workerId) });
    }
    if (items.length === 0) return gone > 0;
    for (const { value: p } of items) this.hold(p);
    const sent = this.send(
      items.map((i) => i.value),
      items,
    );
    this.inFlight.add(sent);
    void sent.finally(() => {
      this.inFlight.delete(sent);
      this.term.wantRound();
    });
    return this.inFlight.size < PIPELINE_DEPTH;
  }

  /** One commit in flight; its outcome is applied when it settles, errors go to onError. */
  private async send(plan: Planned[], items: BatchItem<Planned>[]): Promise<void> {
    const { client, queue, counters, options } = this.term;
    let outcome: BatchOutcome<Planned>;
    try {
      outcome = await commitBatch(client, items, this.term.fence);
    } catch (err) {
      // Which items landed is unknown (commitBatch may have sent several multis): they are
      // read back before anything else happens (LeaderTerm runs resolveUncertain first).
      this.uncertain.push(...plan);
      for (const p of plan) endAssignSpan(p.span, 'unknown');
      if (this.term.active) this.onError(err);
      return;
    }
    if (this.term.active) {
      for (const p of outcome.committed) this.applied(p);
      for (const { value, error } of outcome.rejected) this.rejected(value, error);
    }
    for (const p of outcome.committed) endAssignSpan(p.span, 'assigned');
    for (const { value, error } of outcome.rejected)
      endAssignSpan(value.span, 'refused', `${error.name} on ${error.path ?? '?'}`);
    // After applying: a deletion seen early is matched while the slot is still reserved.
    for (const p of plan) this.release(p);
    if (!this.term.active) return;
    options.logger.debug(
      { assigned: outcome.committed.length, rejected: outcome.rejected.length, queued: queue.size },
      'assignment round',
    );
    counters.rejected += outcome.rejected.length;
  }

  /** Marks a planned assignment as in flight: its task is not planned again, its slot is held. */
  private hold(p: Planned): void {
    const task = this.term.queue.get(p.taskId);
    if (task !== undefined) task.assigning = true;
    this.term.roster.reserve(p.workerId);
    this.holding.set(p.type, (this.holding.get(p.type) ?? 0) + 1);
    if (p.group !== undefined) addToCount(this.holdingInGroup, groupKey(p.type, p.group), 1);
    if (this.term.queueSettings.get(p.type)?.rateLimit)
      this.starts.record(p.type, this.term.options.clock.now());
  }

  private release(p: Planned): void {
    const task = this.term.queue.get(p.taskId);
    if (task?.stay === p.stay) task.assigning = false;
    this.term.roster.unreserve(p.workerId);
    addToCount(this.holding, p.type, -1);
    if (p.group !== undefined) addToCount(this.holdingInGroup, groupKey(p.type, p.group), -1);
  }

  private applied(p: Planned): void {
    const { queue, roster, counters } = this.term;
    queue.remove(p.taskId, p.stay);
    counters.assigned++;
    if (p.waitMs !== undefined) this.term.options.metrics.waited(p.type, p.waitMs);
    roster.setClass(p.taskId, p.type, p.group);
    if (roster.get(p.workerId)?.session === p.session)
      roster.assigned(p.workerId, p.taskId, p.session);
    // The worker went while the commit was in flight; it landed first, so the worker's
    // listing shows the assignment and it is recovered with the others. Look again anyway.
    else this.workers.markWorkerStale(p.workerId);
  }

  private rejected(p: Planned, error: KeeperError): void {
    const { queue, options } = this.term;
    options.logger.debug(
      withTraceIds({ task: p.taskId, worker: p.workerId, err: error.message }, p.span),
      'assignment refused',
    );
    if (error.path === paths.worker(p.workerId)) {
      // Its fence failed: the worker is gone; judge it (and recover its tasks) at once.
      this.workers.markWorkerStale(p.workerId);
    } else if (error.path === paths.task(p.taskId)) {
      if (error instanceof NoNodeError) queue.remove(p.taskId, p.stay);
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
      options.logger.warn(
        withTraceIds({ task: p.taskId, err: error.message }, p.span),
        'assignment refused',
      );
    }
  }

  /**
   * After a ConnectionLoss on a commit: which of the round's assignments happened? An item
   * applied iff its assignment exists (only the leader creates assignments). Not applied and
   * still queued: it is considered again. Neither: it moved on (cancelled, or already done).
   */
  async resolveUncertain(): Promise<void> {
    await this.idle();
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
      for (const p of items) this.release(p);
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
