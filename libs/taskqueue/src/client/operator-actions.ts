import { BadVersionError, NoNodeError, NodeExistsError } from '@shepherd/zk-protocol';
import { TransactionError } from '@shepherd/zk-client';
import { InvalidTaskError, TaskNotFoundError, TaskQueueError, TaskStateError } from '../errors';
import { isTaskId } from '../model/task-id';
import { HistoryEvent } from '../model/task-record';
import { StoredTask, TaskArea } from '../store/task-location';
import { readTask } from '../store/task-reader';
import { cancelTransition, redriveTransition } from '../transitions/operator';
import { Transition, TransitionContext } from '../transitions/transition';
import { ClientContext } from './client-options';
import { outcomeUnknown, retrying } from './session-retry';
import { TaskView, stateIn, toTaskView, viewOfStored } from './task-view';

/** Reads and tries again when the task moved under us (a worker's progress, an assignment). */
const MAX_TRIES = 8;
/** A cancel reason lands in the task's history: kept short. */
const MAX_REASON_CHARS = 1024;

interface Action {
  name: 'cancel' | 'redrive';
  /** May the task be acted on where it is? */
  allowed(stored: StoredTask): boolean;
  build(ctx: TransitionContext, stored: StoredTask): Transition;
  /** The area the transition moves the task to. */
  to: TaskArea;
  /** The history event the transition writes (how a read-back recognises our own write). */
  marks: HistoryEvent;
}

/**
 * An operator action on one task: read it where it is, build the transition against the
 * version read, commit it as one multi. BadVersion/NoNode (the task moved or changed) and
 * NodeExists (it finished meanwhile) mean "read again and decide again". A lost reply is read
 * back: our history entry (event and time) in the record says the multi landed.
 */
async function act(ctx: ClientContext, id: string, action: Action): Promise<TaskView> {
  if (!isTaskId(id)) throw new TaskNotFoundError(String(id));
  let sent: number | undefined;
  for (let tries = 0; tries < MAX_TRIES; tries++) {
    const stored = await retrying(ctx.connection, ctx.clock, (c) => readTask(c, id));
    if (!stored) throw new TaskNotFoundError(id);
    if (sent !== undefined && landed(stored, action, sent)) return viewOfStored(stored);
    if (!action.allowed(stored))
      throw new TaskStateError(id, stateIn(stored.area, stored.record), action.name);
    const now = ctx.clock.now();
    const transition = action.build({ acl: ctx.acl, now }, stored);
    try {
      await ctx.connection.client.multi(transition.ops);
      return toTaskView(transition.record, action.to);
    } catch (err) {
      if (outcomeUnknown(err)) {
        ctx.logger.warn({ err, id }, `${action.name}: reply lost; reading the task back`);
        sent = now;
      } else if (!movedMeanwhile(err)) {
        throw err;
      }
    }
  }
  throw new TaskQueueError(`could not ${action.name} task ${id}: it kept changing`);
}

function landed(stored: StoredTask, action: Action, at: number): boolean {
  // Not the area: a redriven task may already be assigned again when we look.
  return stored.record.history.some((h) => h.event === action.marks && h.at === at);
}

function movedMeanwhile(err: unknown): boolean {
  return (
    err instanceof TransactionError &&
    err.results.some(
      (r) =>
        r.type === 'error' &&
        (r.error instanceof BadVersionError ||
          r.error instanceof NoNodeError ||
          r.error instanceof NodeExistsError),
    )
  );
}

/**
 * Cancels a waiting, queued, assigned or running task; a worker running it sees its assignment
 * go. A flow task's cancel creates its flow marker too (its dependents are then cancelled, or
 * run with onDependencyFailure 'run').
 */
export function cancelTask(ctx: ClientContext, id: string, reason?: string): Promise<TaskView> {
  if (reason !== undefined && typeof reason !== 'string')
    return Promise.reject(new InvalidTaskError('reason must be a string'));
  if (reason !== undefined && reason.length > MAX_REASON_CHARS)
    reason = reason.slice(0, MAX_REASON_CHARS);
  return act(ctx, id, {
    name: 'cancel',
    allowed: (s) => s.area === 'waiting' || s.area === 'tasks' || s.area === 'assign',
    build: (tctx, s) => cancelTransition(tctx, s.record, s.path, s.version, reason),
    to: 'status',
    marks: 'cancelled',
  });
}

/** Queues a dead or failed task again, attempts reset; its id, history and key stay. */
export function redriveTask(ctx: ClientContext, id: string): Promise<TaskView> {
  return act(ctx, id, {
    name: 'redrive',
    allowed: (s) => s.area === 'dead' || (s.area === 'status' && s.record.state === 'failed'),
    build: (tctx, s) => redriveTransition(tctx, s.record, s.path, s.version),
    to: 'tasks',
    marks: 'redriven',
  });
}
