import { Span } from '@opentelemetry/api';
import { KeeperError, NoNodeError, NodeExistsError } from '@shepherd/zk-protocol';
import { TransactionOp } from '@shepherd/zk-client';
import { ROOTS, paths } from '../layout/paths';
import { TermLoop } from '../master/term-loop';
import { newTaskId } from '../model/task-id';
import { checkPriority, newTaskRecord } from '../model/submit-options';
import { TaskRecord } from '../model/task-record';
import { FenceError, commitBatch } from '../store/batch-committer';
import { submitTransition } from '../transitions/submit';
import {
  endSpan,
  markNotFired,
  startFireSpan,
  traceOfSpan,
  withTraceIds,
} from '../telemetry/task-spans';
import { keyHash } from '../transitions/transition';
import { nextFireTime } from './fire-times';
import {
  LAST_TASKS_KEPT,
  ScheduleData,
  decodeSchedule,
  dueFireTimes,
  encodeSchedule,
  scheduleTaskKey,
} from './schedule';
import { LeaderScope } from '../master/term-context';

/** Longest sleep between passes: changes to /schedules are seen within this. */
export const SCHEDULER_POLL_MS = 1000;

/** What it needs from the leadership term it runs in. */
export type SchedulerTerm = LeaderScope;

/**
 * Fires the schedules under /schedules, run by the leading master for one term. Each pass
 * lists the schedules, reads each one and creates a task for every due fire time, one multi
 * per fire time:
 *
 *   check <election node>; create /keys/<b>/<hash(schedule:<name>:<fire time>)>;
 *   create /tasks/<b>/<id>; setData /schedules/<name> at the version read
 *
 * The versioned setData records the fire time as the schedule's last, so a fire time makes
 * exactly one task: a second leader (or this one after a lost reply) that read the schedule
 * before the commit fails on the version (and on the key), re-reads and moves on; a deposed
 * leader fails on the fence.
 */
export class Scheduler {
  private readonly loop: TermLoop;
  /** Tasks created by this scheduler (all terms of the master share nothing: per term). */
  fired = 0;

  constructor(
    private readonly term: SchedulerTerm,
    onFenceError: (err: FenceError) => void,
  ) {
    this.loop = new TermLoop(term, {
      name: 'scheduler',
      pass: () => this.runOnce(),
      afterErrorMs: () => SCHEDULER_POLL_MS,
      onFenceError,
    });
  }

  start(): void {
    this.loop.start(0);
  }

  stop(): void {
    this.loop.stop();
  }

  /** Resolves when a pass in progress has finished. */
  async idle(): Promise<void> {
    await this.loop.idle();
  }

  /** One pass over every schedule; resolves with the delay until the next pass. */
  async runOnce(): Promise<number> {
    const { client } = this.term;
    let names: string[];
    try {
      names = await client.getChildren(ROOTS.schedules);
    } catch (err) {
      if (err instanceof NoNodeError) return SCHEDULER_POLL_MS;
      throw err;
    }
    let wait = SCHEDULER_POLL_MS;
    for (const name of names) {
      if (this.loop.stopped) break;
      wait = Math.min(wait, await this.runSchedule(name));
    }
    return Math.max(0, wait);
  }

  /** Fires one schedule's due times; resolves with the delay until its next fire time. */
  private async runSchedule(name: string): Promise<number> {
    const { client, options } = this.term;
    const path = paths.schedule(name);
    let node;
    try {
      node = await client.getData(path);
    } catch (err) {
      if (err instanceof NoNodeError) return SCHEDULER_POLL_MS;
      throw err;
    }
    let data = decodeSchedule(node.data);
    if (data === undefined) return SCHEDULER_POLL_MS;
    let version = node.stat.version;
    if (data.paused) return SCHEDULER_POLL_MS;
    for (const fireTime of dueFireTimes(data, options.clock.now())) {
      if (this.loop.stopped) return SCHEDULER_POLL_MS;
      const next = await this.fire(data, version, fireTime);
      if (next === undefined) return 10; // changed meanwhile: read it again soon
      data = next;
      version++;
    }
    const after = nextFireTime(data, Math.max(options.clock.now(), data.lastFireAt ?? 0));
    return after === null ? SCHEDULER_POLL_MS : after - options.clock.now();
  }

  /**
   * Creates the task for one fire time with the schedule's versioned update. Resolves with the
   * schedule's new data, or undefined when the schedule changed (another write, or the fire
   * time was taken by another leader). FenceError when this master no longer leads.
   */
  private async fire(
    data: ScheduleData,
    version: number,
    fireTime: number,
  ): Promise<ScheduleData | undefined> {
    const { options } = this.term;
    const now = options.clock.now();
    const { type, payload, ...submit } = data.task;
    const key = scheduleTaskKey(data.name, fireTime);
    const id = newTaskId(now, undefined, checkPriority(submit.priority));
    const record: TaskRecord = newTaskRecord(
      id,
      type,
      payload,
      { ...submit, idempotencyKey: key },
      now,
    );
    record.schedule = data.name;
    record.scheduledFor = fireTime;
    // Each fire is a trace of its own: nothing that happened before caused it.
    const span = startFireSpan(data.name, type, id, fireTime);
    const trace = traceOfSpan(span);
    if (trace !== undefined) record.trace = trace;
    let fired: ScheduleData | undefined;
    let failure: unknown;
    try {
      fired = await this.commitFire(data, version, fireTime, record, span);
      return fired;
    } catch (err) {
      failure = err;
      throw err;
    } finally {
      // A fire that made no task (the schedule changed meanwhile, or the fire time had one)
      // says so: its trace has no task after it.
      if (failure === undefined && fired?.lastTasks?.[0]?.id !== id) markNotFired(span);
      endSpan(span, failure);
    }
  }

  private async commitFire(
    data: ScheduleData,
    version: number,
    fireTime: number,
    record: TaskRecord,
    span: Span,
  ): Promise<ScheduleData | undefined> {
    const { client, fence, options } = this.term;
    const { id } = record;
    const key = scheduleTaskKey(data.name, fireTime);
    const now = record.createdAt;
    const next: ScheduleData = {
      ...data,
      lastFireAt: fireTime,
      lastTasks: [{ id, scheduledFor: fireTime }, ...(data.lastTasks ?? [])].slice(
        0,
        LAST_TASKS_KEPT,
      ),
    };
    const ctx = { acl: options.acl, now };
    const setSchedule = (d: ScheduleData): TransactionOp => ({
      type: 'setData',
      path: paths.schedule(data.name),
      data: encodeSchedule(d),
      version,
    });
    // The versioned write first: a stale read fails on it, whatever else exists.
    const ops: TransactionOp[] = [setSchedule(next), ...submitTransition(ctx, record).ops];
    const outcome = await commitBatch(client, [{ ops, value: fireTime }], fence);
    if (outcome.rejected.length > 0) {
      const error: KeeperError = outcome.rejected[0].error;
      if (error instanceof NodeExistsError && error.path === paths.key(keyHash(key))) {
        // The schedule is as read, yet the fire time's key exists (a schedule of the same name
        // deleted and created again, or a submitter used the key): that fire time has a task.
        const skipped: ScheduleData = { ...data, lastFireAt: fireTime };
        const done = await commitBatch(client, [{ ops: [setSchedule(skipped)], value: 0 }], fence);
        return done.rejected.length > 0 ? undefined : skipped;
      }
      options.logger.debug(
        { schedule: data.name, fireTime, err: error.message },
        'schedule changed meanwhile; reading it again',
      );
      return undefined;
    }
    this.fired++;
    options.logger.debug(
      withTraceIds({ schedule: data.name, fireTime, task: id }, span),
      'schedule fired',
    );
    return next;
  }
}
