import { type ClusterEvent, type WorkerView, toMs } from './wire.js';

export type Liveness = 'live' | 'draining' | 'lost';

/** A worker card: the last registration seen, kept current by events between polls. */
export interface WorkerCard {
  id: string;
  host?: string;
  pid?: number;
  concurrency: number;
  types: string[];
  /** Task ids assigned to or running on it (for a lost worker: what it held when lost). */
  running: string[];
  since?: number;
  liveness: Liveness;
  /** When this page last learned the worker was there (event or poll answer). */
  seenAt: number;
  lostAt?: number;
  /** For a lost worker: where each of its tasks went (undefined while back in the queue). */
  movedTo: Map<string, string | undefined>;
  version: number;
}

/** Events that take a task off whichever worker held it. */
const LEAVING = new Set([
  'task.queued',
  'task.completed',
  'task.failed',
  'task.dead',
  'task.cancelled',
]);

/**
 * Workers as the page shows them. A worker that leaves (its ephemeral node went: it crashed,
 * was killed or stopped) stays as a "lost" card for `lostVisibleMs`, so a person watching sees
 * it go and sees where its tasks went; then it is dropped.
 */
export class WorkerBoard {
  private readonly cards = new Map<string, WorkerCard>();

  constructor(
    readonly lostVisibleMs = 8000,
    private readonly now: () => number = () => Date.now(),
  ) {}

  get(id: string): WorkerCard | undefined {
    return this.cards.get(id);
  }

  /**
   * A GET /workers answer, for a request sent at `requestedAt`. News newer than the request (a
   * worker that joined or left meanwhile, as events told) wins over the answer.
   */
  applySnapshot(workers: readonly WorkerView[], requestedAt: number): void {
    const present = new Set<string>();
    for (const w of workers) {
      present.add(w.id);
      const card = this.cards.get(w.id);
      if (card?.liveness === 'lost' && (card.lostAt ?? 0) >= requestedAt) continue;
      const next = card ?? this.blank(w.id);
      next.host = w.host;
      next.pid = w.pid;
      next.concurrency = w.concurrency;
      next.types = [...w.types];
      next.running = [...w.running];
      const since = toMs(w.since);
      next.since = Number.isFinite(since) ? since : undefined;
      next.liveness = w.draining ? 'draining' : 'live';
      next.lostAt = undefined;
      next.movedTo.clear();
      next.seenAt = Math.max(next.seenAt, requestedAt);
      next.version++;
      this.cards.set(w.id, next);
    }
    for (const card of this.cards.values()) {
      if (present.has(card.id) || card.liveness === 'lost' || card.seenAt > requestedAt) continue;
      this.markLost(card); // left while the event stream was down
    }
  }

  /** Applies a cluster event; true when a card changed. */
  applyEvent(e: ClusterEvent): boolean {
    switch (e.type) {
      case 'worker.joined': {
        if (e.workerId === undefined) return false;
        const card = this.cards.get(e.workerId) ?? this.blank(e.workerId);
        card.liveness = 'live';
        card.lostAt = undefined;
        card.running = [];
        card.movedTo.clear();
        card.seenAt = this.now();
        card.version++;
        this.cards.set(card.id, card);
        return true;
      }
      case 'worker.left': {
        const card = e.workerId === undefined ? undefined : this.cards.get(e.workerId);
        if (!card || card.liveness === 'lost') return false;
        this.markLost(card);
        return true;
      }
      case 'task.assigned':
        return e.taskId !== undefined && this.assign(e.taskId, e.workerId);
      case 'task.reassigned':
        return e.taskId !== undefined && this.takeBack(e.taskId, e.workerId);
      default:
        return e.taskId !== undefined && LEAVING.has(e.type) && this.release(e.taskId);
    }
  }

  /** Cards in id order; lost cards older than `lostVisibleMs` are dropped here. */
  list(): WorkerCard[] {
    const now = this.now();
    for (const card of this.cards.values())
      if (card.liveness === 'lost' && now - (card.lostAt ?? now) >= this.lostVisibleMs)
        this.cards.delete(card.id);
    return [...this.cards.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  /** When the next lost card is due to go, so the view can be refreshed then. */
  nextExpiry(): number | undefined {
    let next: number | undefined;
    for (const card of this.cards.values())
      if (card.lostAt !== undefined) {
        const at = card.lostAt + this.lostVisibleMs;
        if (next === undefined || at < next) next = at;
      }
    return next;
  }

  /** Every task type some live worker handles. */
  types(): string[] {
    const types = new Set<string>();
    for (const card of this.cards.values())
      if (card.liveness !== 'lost') for (const t of card.types) types.add(t);
    return [...types].sort();
  }

  private blank(id: string): WorkerCard {
    return {
      id,
      concurrency: 0,
      types: [],
      running: [],
      liveness: 'live',
      seenAt: this.now(),
      movedTo: new Map(),
      version: 0,
    };
  }

  private markLost(card: WorkerCard): void {
    card.liveness = 'lost';
    card.lostAt = this.now();
    card.version++;
  }

  private assign(taskId: string, workerId: string | undefined): boolean {
    let changed = this.release(taskId);
    for (const card of this.cards.values()) {
      if (card.liveness === 'lost' && card.movedTo.has(taskId)) {
        card.movedTo.set(taskId, workerId);
        card.version++;
        changed = true;
      }
    }
    const card = workerId === undefined ? undefined : this.cards.get(workerId);
    if (card && card.liveness !== 'lost' && !card.running.includes(taskId)) {
      card.running.push(taskId);
      card.version++;
      changed = true;
    }
    return changed;
  }

  /** The master took the task back from a lost worker: remember it moved. */
  private takeBack(taskId: string, workerId: string | undefined): boolean {
    const from = workerId === undefined ? undefined : this.cards.get(workerId);
    if (from?.liveness === 'lost') {
      from.movedTo.set(taskId, undefined);
      if (!from.running.includes(taskId)) from.running.push(taskId);
      from.version++;
      return true;
    }
    return this.release(taskId);
  }

  /** Takes the task off the live workers that list it (a lost card keeps its last list). */
  private release(taskId: string): boolean {
    let changed = false;
    for (const card of this.cards.values()) {
      if (card.liveness === 'lost') continue;
      const i = card.running.indexOf(taskId);
      if (i < 0) continue;
      card.running.splice(i, 1);
      card.version++;
      changed = true;
    }
    return changed;
  }
}
