import { type ClusterEvent, type TaskState, type TaskView, toMs } from './wire.js';

/** A row of the recent-tasks table: what the list view needs, kept current by events. */
export interface TaskRow {
  id: string;
  type: string;
  state: TaskState;
  worker?: string;
  attempts?: number;
  maxAttempts?: number;
  progress?: unknown;
  /** Workers the task was taken from after they were lost, oldest first. */
  lostFrom: string[];
  error?: string;
  /** Higher runs first; 0 unless given at submit. */
  priority: number;
  /** The task's group, once a full view said so. */
  group?: string;
  /** Its flow, key and dependencies, once a full view said so. */
  flow?: { id: string; key: string; dependsOn: string[] };
  submittedAt: number;
  updatedAt: number;
  /** Bumped on every change, so the view rewrites only the rows that moved. */
  version: number;
  /** The cursor (see RecentTasks.cursor) of the last event applied to this row; 0 for none. */
  eventAt: number;
}

/**
 * A task id: `task-` + 3 base-36 characters of (1000 - priority) + 9 of the submit time in
 * epoch milliseconds + 8 random ones; ids made before priorities lack the first 3 (priority 0).
 * The string order is the master's (priority first); rows are shown newest first, by the last
 * 17 characters (time, then random).
 */
const TASK_ID = /^task-([0-9a-z]{3})?([0-9a-z]{9})[0-9a-z]{8}$/;

/** The submit time a task id carries; NaN for anything else. */
export function submittedAtOf(id: string): number {
  const m = TASK_ID.exec(id);
  return m ? parseInt(m[2], 36) : NaN;
}

/** The priority a task id carries (0 for an id made before priorities, or not a task id). */
export function priorityOf(id: string): number {
  const m = TASK_ID.exec(id);
  return m?.[1] !== undefined ? 1000 - parseInt(m[1], 36) : 0;
}

/** Newest first: by submit time and random part (the last 17 characters), then the whole id. */
export function byNewest(a: string, b: string): number {
  const ka = a.slice(-17);
  const kb = b.slice(-17);
  if (ka !== kb) return ka < kb ? 1 : -1;
  return a < b ? 1 : a > b ? -1 : 0;
}

/**
 * The newest tasks, capped. Events for tasks older than every row shown are dropped at once,
 * so a stream of a hundred thousand events costs a map lookup each and never grows the model.
 * Pinned rows (the ones a person opened) stay whatever arrives after them.
 */
export class RecentTasks {
  private readonly rows = new Map<string, TaskRow>();
  private readonly pinned = new Set<string>();
  /** The oldest id still shown once the list is full; undefined until it is. */
  private floor: string | undefined;
  /** Events applied so far (see cursor). */
  private applied = 0;

  constructor(readonly cap = 100) {}

  get size(): number {
    return this.rows.size;
  }

  get(id: string): TaskRow | undefined {
    return this.rows.get(id);
  }

  pin(id: string): void {
    this.pinned.add(id);
  }

  unpin(id: string): void {
    this.pinned.delete(id);
  }

  isPinned(id: string): boolean {
    return this.pinned.has(id);
  }

  /**
   * How many events have been applied: take it when a request for a view leaves and give it to
   * upsertView with the reply.
   */
  cursor(): number {
    return this.applied;
  }

  /**
   * A full view (the initial page, a submit reply, a detail fetch) replaces what we knew, unless
   * an event reached the row after the view's request left (`askedAt`, a cursor): the view may
   * then be older than that event (a task assigned and started before the submit's reply came
   * back), so its state stays the events' and only what never changes is taken from the view.
   * The events arrive in order, so whatever the view knew and they did not yet comes after.
   */
  upsertView(view: TaskView, askedAt?: number): TaskRow | undefined {
    const row = this.rowFor(view.id, view.type, toMs(view.createdAt));
    if (!row) return undefined;
    row.type = view.type;
    row.maxAttempts = view.maxAttempts;
    if (typeof view.priority === 'number') row.priority = view.priority;
    if (typeof view.group === 'string') row.group = view.group;
    if (view.flow !== undefined) row.flow = view.flow;
    if (askedAt === undefined || row.eventAt <= askedAt) {
      row.state = view.state;
      row.worker = view.worker ?? undefined;
      row.attempts = view.attempts;
      row.progress = view.progress;
      row.error = view.error?.message;
      const lost = view.history
        .filter((h) => h.event === 'reassigned' && h.worker !== undefined)
        .map((h) => h.worker as string);
      if (lost.length > 0) row.lostFrom = lost;
      row.updatedAt = toMs(view.updatedAt);
    }
    row.version++;
    return row;
  }

  /** Applies one cluster event; returns the row it changed, if one is shown. */
  applyEvent(e: ClusterEvent): TaskRow | undefined {
    if (e.taskId === undefined || !e.type.startsWith('task.')) return undefined;
    const row = this.rowFor(e.taskId, e.taskType);
    if (!row) return undefined;
    if (e.taskType !== undefined) row.type = e.taskType;
    if (e.attempts !== undefined) row.attempts = e.attempts;
    switch (e.type) {
      case 'task.queued':
        row.state = 'queued';
        row.worker = undefined;
        row.progress = undefined;
        break;
      case 'task.assigned':
        row.state = 'assigned';
        row.worker = e.workerId;
        break;
      case 'task.started':
        row.state = 'running';
        if (e.workerId !== undefined) row.worker = e.workerId;
        break;
      case 'task.progress':
        row.state = 'running';
        row.progress = e.progress;
        if (e.workerId !== undefined) row.worker = e.workerId;
        break;
      case 'task.completed':
        row.state = 'done';
        row.progress = undefined;
        break;
      case 'task.failed':
        // A failed attempt with attempts left goes back to the queue (state queued).
        row.state = e.state ?? 'failed';
        row.error = e.detail;
        row.progress = undefined;
        break;
      case 'task.reassigned':
        row.state = 'queued';
        if (e.workerId !== undefined && row.lostFrom.at(-1) !== e.workerId)
          row.lostFrom.push(e.workerId);
        row.worker = undefined;
        row.progress = undefined;
        break;
      case 'task.dead':
        row.state = 'dead';
        row.error = e.detail;
        break;
      case 'task.cancelled':
        row.state = 'cancelled';
        break;
      default:
        return undefined;
    }
    const at = toMs(e.at);
    row.updatedAt = Number.isFinite(at) ? at : Date.now();
    row.version++;
    row.eventAt = ++this.applied;
    return row;
  }

  /** Newest first, at most `cap` rows plus the pinned ones; older rows are let go here. */
  list(): TaskRow[] {
    const kept: TaskRow[] = [];
    let unpinned = 0;
    let oldestUnpinned: string | undefined;
    for (const id of [...this.rows.keys()].sort(byNewest)) {
      const pinned = this.pinned.has(id);
      if (!pinned && unpinned >= this.cap) {
        this.rows.delete(id);
        continue;
      }
      if (!pinned) {
        unpinned++;
        oldestUnpinned = id;
      }
      kept.push(this.rows.get(id) as TaskRow);
    }
    this.floor = unpinned >= this.cap ? oldestUnpinned : undefined;
    return kept;
  }

  /**
   * The row for `id`, created when the task is new enough to be shown, or pinned (a task
   * opened from elsewhere, e.g. a flow's chip, however old).
   */
  private rowFor(id: string, type?: string, submittedAt?: number): TaskRow | undefined {
    const existing = this.rows.get(id);
    if (existing) return existing;
    if (this.floor !== undefined && !this.pinned.has(id) && byNewest(id, this.floor) > 0)
      return undefined;
    const row: TaskRow = {
      id,
      type: type ?? '',
      state: 'queued',
      lostFrom: [],
      priority: priorityOf(id),
      submittedAt:
        submittedAt !== undefined && Number.isFinite(submittedAt) ? submittedAt : submittedAtOf(id),
      updatedAt: Date.now(),
      version: 0,
      eventAt: 0,
    };
    this.rows.set(id, row);
    // A burst of new tasks trims now and then, not on every insert.
    if (this.rows.size > this.cap * 2 + this.pinned.size) this.list();
    return row;
  }
}
