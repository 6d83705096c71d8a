/**
 * Which worker gets a task: pure, so the rule is unit-tested without ZooKeeper.
 *
 * Among the live workers that are not draining, that handle the task's type (`'*'` handles any)
 * and that have a free slot, the least loaded wins: lowest assigned/concurrency, then fewer
 * assigned, then the smaller id (so the choice is deterministic). A worker is never given more
 * than it declared it may hold (concurrency + prefetch); a task nobody can take now stays queued.
 */
export interface WorkerLoad {
  id: string;
  /** Task types it runs; `['*']` means any. */
  types: readonly string[];
  /** Tasks it may hold: its concurrency plus its prefetch. */
  concurrency: number;
  /** Tasks under /assign/<id> (assigned or running). */
  assigned: number;
  draining?: boolean;
}

export const ANY_TYPE = '*';

export function handlesType(worker: Pick<WorkerLoad, 'types'>, type: string): boolean {
  return worker.types.includes(type) || worker.types.includes(ANY_TYPE);
}

export function hasRoom(worker: WorkerLoad): boolean {
  return !worker.draining && worker.assigned < worker.concurrency;
}

/** Negative when `a` should be picked before `b`. */
export function compareLoad(a: WorkerLoad, b: WorkerLoad): number {
  // Cross-multiplied so that no division rounds: a.assigned/a.conc vs b.assigned/b.conc.
  const byRatio = a.assigned * b.concurrency - b.assigned * a.concurrency;
  if (byRatio !== 0) return byRatio;
  if (a.assigned !== b.assigned) return a.assigned - b.assigned;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** The worker a task of `type` goes to now, or undefined when none can take it. */
export function pickWorker(workers: readonly WorkerLoad[], type: string): WorkerLoad | undefined {
  let best: WorkerLoad | undefined;
  for (const w of workers) {
    if (!hasRoom(w) || !handlesType(w, type)) continue;
    if (best === undefined || compareLoad(w, best) < 0) best = w;
  }
  return best;
}

/**
 * One assignment round's bookkeeping: each `take` picks a worker by the policy and counts the
 * slot as used, so a round never plans more than the free capacity.
 */
export class AssignmentPlanner {
  private readonly loads: WorkerLoad[];
  /** Types that found no worker in this round: capacity only shrinks, so they stay blocked. */
  private readonly blocked = new Set<string>();
  private freeSlots: number;

  constructor(workers: readonly WorkerLoad[]) {
    this.loads = workers.map((w) => ({ ...w }));
    this.freeSlots = this.loads.reduce(
      (n, w) => n + (w.draining ? 0 : Math.max(0, w.concurrency - w.assigned)),
      0,
    );
  }

  /** Free slots left in this round, over all workers. */
  get free(): number {
    return this.freeSlots;
  }

  /** Picks a worker for a task of `type` and takes one of its slots; undefined if none. */
  take(type: string): string | undefined {
    if (this.freeSlots === 0 || this.blocked.has(type)) return undefined;
    const w = pickWorker(this.loads, type);
    if (w === undefined) {
      this.blocked.add(type);
      return undefined;
    }
    w.assigned++;
    this.freeSlots--;
    return w.id;
  }

  /** Gives a taken slot back (the assignment was not made after all). */
  release(workerId: string): void {
    const w = this.loads.find((l) => l.id === workerId);
    if (w === undefined || w.assigned === 0) return;
    w.assigned--;
    this.freeSlots++;
    this.blocked.clear();
  }
}
