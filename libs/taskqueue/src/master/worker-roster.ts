import { WorkerRegistration, parseWorkerRegistration } from '../model/registration';
import { WorkerLoad } from './assignment-policy';

/**
 * Reads a /workers node's data. A node the master cannot understand gets concurrency 0: it is
 * tracked (its assignments are recovered when it goes) but never given work.
 */
export function parseWorkerInfo(id: string, data: Buffer): WorkerRegistration {
  return parseWorkerRegistration(id, data, (written) =>
    written !== undefined && Number.isInteger(written) && written > 0 ? written : 0,
  );
}

/** An assignment's task type and group. */
interface TaskClass {
  type: string;
  group?: string;
}

/** Assignments counted per type and per (type, group). */
export interface ActiveCounts {
  byType: Map<string, number>;
  byGroup: Map<string, number>;
}

/** One key per (type, group): types cannot hold a NUL, so no two pairs share a key. */
export function groupKey(type: string, group: string): string {
  return `${type}\u0000${group}`;
}

/** What the leader knows of one worker id: its live incarnation (if any) and its assignments. */
export interface RosterEntry {
  id: string;
  /** Registration of the live incarnation; undefined while /workers/<id> is absent. */
  info?: WorkerRegistration;
  /** Session (hex) owning /workers/<id>: the incarnation assignments must name. */
  session?: string;
  /**
   * Children of /assign/<id>: task id -> the workerSession its record names, when known (the
   * leader knows it for what it assigned itself; others are read before being judged).
   */
  assignments: Map<string, string | undefined>;
  /** Assignments in commits still in flight: their slots are taken until the commit settles. */
  reserved: number;
  /**
   * Assignments seen deleted before the reply of the commit that made them was handled (a
   * fast worker's completion event can overtake it): not added when the reply comes.
   * Only kept while commits are in flight.
   */
  early: Set<string>;
}

/**
 * The leader's view of the workers. Pure state; the worker tracker keeps it current from
 * watches and the assigner adds what it commits.
 */
export class WorkerRoster {
  private readonly entries = new Map<string, RosterEntry>();
  /** Task type and group of each assignment whose record the leader knows (for limits). */
  private readonly classOf = new Map<string, TaskClass>();

  get(id: string): RosterEntry | undefined {
    return this.entries.get(id);
  }

  /** The entry for `id`, created empty if new. */
  entry(id: string): RosterEntry {
    let e = this.entries.get(id);
    if (e === undefined) {
      e = { id, assignments: new Map(), reserved: 0, early: new Set() };
      this.entries.set(id, e);
    }
    return e;
  }

  delete(id: string): void {
    this.entries.delete(id);
  }

  ids(): string[] {
    return [...this.entries.keys()];
  }

  /** Workers with a live registration. */
  get liveCount(): number {
    let n = 0;
    for (const e of this.entries.values()) if (e.session !== undefined) n++;
    return n;
  }

  /** Assignments over all workers. */
  get assignedCount(): number {
    let n = 0;
    for (const e of this.entries.values()) n += e.assignments.size;
    return n;
  }

  /** The live workers, as the assignment policy sees them. */
  loads(): WorkerLoad[] {
    const out: WorkerLoad[] = [];
    for (const e of this.entries.values()) {
      if (e.info === undefined || e.session === undefined) continue;
      out.push({
        id: e.id,
        types: e.info.types,
        // What it may hold: the slots it runs, and the tasks it keeps waiting for one.
        concurrency: e.info.concurrency + e.info.prefetch,
        // Every child counts, even a previous incarnation's about to be recovered, and so do
        // commits in flight (a listing may already show them too): erring on the side of fewer
        // tasks keeps the concurrency promise.
        assigned: e.assignments.size + e.reserved,
        draining: e.info.draining,
      });
    }
    return out;
  }

  /** Records the task type and group of an assignment (made by this leader, or read). */
  setClass(taskId: string, type: string, group?: string): void {
    this.classOf.set(taskId, group === undefined ? { type } : { type, group });
    // Assignments dropped without a deletion event (recovered, re-listed) leave their class
    // behind: prune now and then, keeping those still assigned.
    if (this.classOf.size > 2 * this.assignedCount + 1000) {
      const live = new Set<string>();
      for (const e of this.entries.values()) for (const t of e.assignments.keys()) live.add(t);
      live.add(taskId);
      for (const t of [...this.classOf.keys()]) if (!live.has(t)) this.classOf.delete(t);
    }
  }

  /**
   * Assignments per task type, and per group of the types in `groupTypes`, over all workers
   * (those of unknown type are not counted). Group counts are keyed by groupKey(type, group).
   */
  activeCounts(groupTypes?: ReadonlySet<string>): ActiveCounts {
    const byType = new Map<string, number>();
    const byGroup = new Map<string, number>();
    for (const e of this.entries.values())
      for (const taskId of e.assignments.keys()) {
        const c = this.classOf.get(taskId);
        if (c === undefined) continue;
        byType.set(c.type, (byType.get(c.type) ?? 0) + 1);
        if (c.group !== undefined && groupTypes?.has(c.type)) {
          const key = groupKey(c.type, c.group);
          byGroup.set(key, (byGroup.get(key) ?? 0) + 1);
        }
      }
    return { byType, byGroup };
  }

  /** An assignment to `workerId` is being committed: hold its slot. */
  reserve(workerId: string): void {
    this.entry(workerId).reserved++;
  }

  /** The commit holding a slot settled (applied or not). */
  unreserve(workerId: string): void {
    const e = this.entries.get(workerId);
    if (e === undefined || e.reserved === 0) return;
    e.reserved--;
    if (e.reserved === 0) e.early.clear();
  }

  /** The leader committed an assignment (unless it is already known to be gone). */
  assigned(workerId: string, taskId: string, session: string): void {
    const e = this.entry(workerId);
    if (!e.early.delete(taskId)) e.assignments.set(taskId, session);
  }

  /** /assign/<workerId>/<taskId> was deleted; true when that freed a slot counted here. */
  removed(workerId: string, taskId: string): boolean {
    const e = this.entries.get(workerId);
    if (e === undefined) return false;
    if (e.assignments.delete(taskId)) {
      this.classOf.delete(taskId);
      return true;
    }
    if (e.reserved > 0) e.early.add(taskId);
    return false;
  }

  /**
   * Assignments of `workerId` that belong to no live incarnation: the worker is gone, or the
   * record names another session. Unknown ones are not judged (read them first).
   */
  orphans(workerId: string): string[] {
    const e = this.entries.get(workerId);
    if (e === undefined) return [];
    const out: string[] = [];
    for (const [taskId, session] of e.assignments) {
      if (session === undefined) continue;
      if (e.session === undefined || session !== e.session) out.push(taskId);
    }
    return out;
  }
}
