import { WorkerRegistration, parseWorkerRegistration } from '../model/registration';
import { WorkerLoad } from './assignment-policy';
import { addToCount } from './count-map';

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
   * Changed through the roster only (setAssignment, deleteAssignment, replaceAssignments), which
   * keeps the running counts per type and group with it.
   */
  readonly assignments: ReadonlyMap<string, string | undefined>;
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
  /** Task id -> how many workers' assignments list it (1, but a stale listing may say 2). */
  private readonly listed = new Map<string, number>();
  /**
   * Assignments per type and per type and group, of the tasks both listed and of known class:
   * kept as assignments come and go, so an assignment round reads them instead of recounting.
   */
  private readonly byType = new Map<string, number>();
  private readonly byGroup = new Map<string, Map<string, number>>();

  get(id: string): RosterEntry | undefined {
    return this.entries.get(id);
  }

  /** The entry for `id`, created empty if new. */
  entry(id: string): RosterEntry {
    let e = this.entries.get(id);
    if (e === undefined) {
      e = { id, assignments: new Map<string, string | undefined>(), reserved: 0, early: new Set() };
      this.entries.set(id, e);
    }
    return e;
  }

  delete(id: string): void {
    const e = this.entries.get(id);
    if (e !== undefined) for (const taskId of e.assignments.keys()) this.unlist(taskId);
    this.entries.delete(id);
  }

  /** Lists an assignment of `workerId` (or changes the session its record names). */
  setAssignment(workerId: string, taskId: string, session: string | undefined): void {
    const map = this.mapOf(this.entry(workerId));
    if (!map.has(taskId)) this.list(taskId);
    map.set(taskId, session);
  }

  /** Drops an assignment of `workerId`; true when it was listed. */
  deleteAssignment(workerId: string, taskId: string): boolean {
    const e = this.entries.get(workerId);
    if (e === undefined || !this.mapOf(e).delete(taskId)) return false;
    this.unlist(taskId);
    return true;
  }

  /** A fresh listing of /assign/<workerId>: its assignments become `next`. */
  replaceAssignments(workerId: string, next: ReadonlyMap<string, string | undefined>): void {
    const map = this.mapOf(this.entry(workerId));
    for (const taskId of [...map.keys()])
      if (!next.has(taskId)) {
        map.delete(taskId);
        this.unlist(taskId);
      }
    for (const [taskId, session] of next) this.setAssignment(workerId, taskId, session);
  }

  private mapOf(e: RosterEntry): Map<string, string | undefined> {
    return e.assignments as Map<string, string | undefined>;
  }

  private list(taskId: string): void {
    const n = (this.listed.get(taskId) ?? 0) + 1;
    this.listed.set(taskId, n);
    const c = this.classOf.get(taskId);
    if (n === 1 && c !== undefined) this.count(c, 1);
  }

  private unlist(taskId: string): void {
    const n = (this.listed.get(taskId) ?? 0) - 1;
    if (n > 0) {
      this.listed.set(taskId, n);
      return;
    }
    this.listed.delete(taskId);
    const c = this.classOf.get(taskId);
    if (c !== undefined) this.count(c, -1);
    this.classOf.delete(taskId);
  }

  private count(c: TaskClass, by: number): void {
    addToCount(this.byType, c.type, by);
    if (c.group === undefined) return;
    let groups = this.byGroup.get(c.type);
    if (groups === undefined) this.byGroup.set(c.type, (groups = new Map()));
    addToCount(groups, c.group, by);
    if (groups.size === 0) this.byGroup.delete(c.type);
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
    const listed = this.listed.has(taskId);
    const old = this.classOf.get(taskId);
    if (listed && old !== undefined) this.count(old, -1);
    const c: TaskClass = group === undefined ? { type } : { type, group };
    this.classOf.set(taskId, c);
    if (listed) this.count(c, 1);
    // A class set for an assignment that was never listed (its commit's reply came after its
    // deletion) stays behind: prune now and then, keeping those listed.
    if (this.classOf.size > 2 * this.listed.size + 1000)
      for (const t of [...this.classOf.keys()]) if (!this.listed.has(t)) this.classOf.delete(t);
  }

  /** Assignments of `type` over all workers (those of unknown type are not counted). */
  runningOfType(type: string): number {
    return this.byType.get(type) ?? 0;
  }

  /** Assignments of `type` in `group` over all workers. */
  runningInGroup(type: string, group: string): number {
    return this.byGroup.get(type)?.get(group) ?? 0;
  }

  /** Assignments per task type (of known type), over all workers. */
  typeCounts(): ReadonlyMap<string, number> {
    return this.byType;
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
    if (!e.early.delete(taskId)) this.setAssignment(workerId, taskId, session);
  }

  /** /assign/<workerId>/<taskId> was deleted; true when that freed a slot counted here. */
  removed(workerId: string, taskId: string): boolean {
    const e = this.entries.get(workerId);
    if (e === undefined) return false;
    if (this.deleteAssignment(workerId, taskId)) return true;
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
