import { EventType } from '@shepherd/zk-protocol';
import { ClusterEvent, ClusterEventType } from '../cluster-event';
import { locate } from '../layout/paths';
import { TaskRecord } from '../model/task-record';
import { TaskState } from '../model/task-state';

/** A change whose meaning depends on the record it left behind: read it, then classify. */
export interface RecordReaction {
  kind: 'record';
  path: string;
  area: 'tasks' | 'status' | 'dead' | 'assign';
  taskId: string;
  workerId?: string;
}

/**
 * What a watch notification under the layout asks of the observer: nothing, events known from
 * the path alone, a record read, or a look at the election.
 */
export type Reaction =
  { kind: 'emit'; events: ClusterEvent[] } | RecordReaction | { kind: 'election' };

/**
 * Classifies one notification of the recursive watch on the layout's root. Only the arrivals
 * matter for tasks: every transition creates the record where the task goes (and deletes it
 * where it was), so a create says what happened and the delete that comes with it is ignored.
 */
export function reactionTo(type: EventType, path: string, at: number): Reaction | undefined {
  const where = locate(path);
  if (!where) return undefined;
  switch (where.area) {
    case 'tasks':
    case 'status':
    case 'dead':
      if (where.id === undefined || type !== EventType.NodeCreated) return undefined;
      return { kind: 'record', path, area: where.area, taskId: where.id };
    case 'assign':
      if (where.id === undefined) return undefined;
      if (type === EventType.NodeCreated) {
        const assigned: ClusterEvent = {
          type: 'task.assigned',
          at,
          taskId: where.id,
          workerId: where.workerId,
          state: 'assigned',
        };
        return { kind: 'emit', events: [assigned] };
      }
      // Data changes of an assignment are the worker's: started, then progress.
      if (type !== EventType.NodeDataChanged) return undefined;
      return { kind: 'record', path, area: 'assign', taskId: where.id, workerId: where.workerId };
    case 'workers':
      if (where.workerId === undefined) return undefined;
      if (type === EventType.NodeCreated)
        return { kind: 'emit', events: [{ type: 'worker.joined', at, workerId: where.workerId }] };
      if (type === EventType.NodeDeleted)
        return { kind: 'emit', events: [{ type: 'worker.left', at, workerId: where.workerId }] };
      return undefined;
    case 'election':
      if (where.node === undefined) return undefined;
      return type === EventType.NodeCreated || type === EventType.NodeDeleted
        ? { kind: 'election' }
        : undefined;
    default:
      return undefined;
  }
}

/**
 * The events a record read for `reaction` stands for. `record` is undefined when it was gone by
 * the time it was read (the task moved on; its next arrival is classified in turn).
 */
export function eventsFromRecord(
  reaction: RecordReaction,
  record: TaskRecord | undefined,
  at: number,
): ClusterEvent[] {
  const event = (type: ClusterEventType, state?: TaskState): ClusterEvent => {
    const e: ClusterEvent = { type, at, taskId: reaction.taskId };
    if (state !== undefined) e.state = state;
    const worker = reaction.workerId ?? record?.worker;
    if (worker !== undefined) e.workerId = worker;
    if (record) {
      e.taskType = record.type;
      e.attempts = record.attempts;
    }
    return e;
  };
  const detailed = (e: ClusterEvent, detail: string | undefined): ClusterEvent =>
    detail === undefined ? e : { ...e, detail };

  switch (reaction.area) {
    case 'tasks': {
      const last = record?.history[record.history.length - 1];
      switch (last?.event) {
        case 'retry-scheduled':
          // The attempt failed and the task waits for its next one (notBefore).
          return [
            detailed(event('task.failed', 'queued'), record?.error?.message),
            detailed(event('task.queued', 'queued'), last.detail),
          ];
        case 'reassigned':
          return [detailed(event('task.reassigned', 'queued'), last.detail)];
        default:
          return [event('task.queued', 'queued')];
      }
    }
    case 'dead':
      return [detailed(event('task.dead', 'dead'), record?.error?.message)];
    case 'status':
      switch (record?.state) {
        case 'done':
          return [event('task.completed', 'done')];
        case 'failed':
          return [detailed(event('task.failed', 'failed'), record.error?.message)];
        case 'cancelled': {
          const last = record.history[record.history.length - 1];
          return [detailed(event('task.cancelled', 'cancelled'), last?.detail)];
        }
        default:
          return [];
      }
    case 'assign':
      if (!record) return [];
      if (record.progress !== undefined)
        return [{ ...event('task.progress', 'running'), progress: record.progress }];
      return record.state === 'running' ? [event('task.started', 'running')] : [];
  }
}
