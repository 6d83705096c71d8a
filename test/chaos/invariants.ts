import { ClusterEvent, HistoryEntry, TaskView, isTerminal } from '@shepherd/taskqueue';
import { Execution } from '../support/taskqueue/exec-log';
import { TreeAudit } from '../support/taskqueue/tree-audit';

export type { Execution } from '../support/taskqueue/exec-log';

/** A worker frozen with SIGSTOP past its session: anything it completes afterwards is a zombie write. */
export interface Zombie {
  worker: string;
  frozenAt: number;
  /** When it was resumed (SIGCONT), once the cluster had seen its session end. */
  resumedAt: number;
  /** Lines in the execution log when it was frozen: its later lines ran past its session. */
  logIndex: number;
}

export interface InvariantInput {
  /** Every task the queue accepted (submitMany resolved), by id. */
  accepted: ReadonlySet<string>;
  /** The final view of each accepted task, undefined when it could not be found. */
  views: ReadonlyMap<string, TaskView | undefined>;
  audit: TreeAudit;
  executions: readonly Execution[];
  events: readonly ClusterEvent[];
  zombies: readonly Zombie[];
}

export interface InvariantReport {
  tasks: number;
  terminal: number;
  lost: number;
  duplicated: number;
  zombieWritesLanded: number;
  /** Tasks taken from a frozen worker whose handler there still ended: a late write it tried. */
  zombieWritesAttempted: number;
  historyMismatches: number;
  /** Tasks in the tree that nobody submitted (an in-doubt submit that landed twice, say). */
  unknownTasks: number;
  /** Of the tasks, those a schedule created (set by the chaos run). */
  scheduled?: number;
  /** Flows (diamonds of four tasks) created during the run (set by the chaos run). */
  flows?: number;
  violations: string[];
}

const TERMINAL_EVENTS = new Set(['completed', 'dead', 'cancelled']);

/** The history entry that made the task terminal: its last one, which must match its state. */
function terminalEntries(view: TaskView): HistoryEntry[] {
  const entries = view.history.filter((h) => TERMINAL_EVENTS.has(h.event));
  // A failed task's last "failed" is terminal only when no retry followed it.
  if (view.state === 'failed') {
    const last = view.history[view.history.length - 1];
    if (last?.event === 'failed') entries.push(last);
  }
  return entries;
}

/** The "assigned" entry of the attempt in which `index` happened, if that attempt still held it. */
function holderAt(history: HistoryEntry[], index: number): HistoryEntry | undefined {
  for (let i = index - 1; i >= 0; i--) {
    const e = history[i].event;
    if (e === 'reassigned' || e === 'handed-back' || e === 'queued' || e === 'retry-scheduled')
      return undefined;
    if (e === 'assigned') return history[i];
  }
  return undefined;
}

/**
 * Proves the chaos run's invariants from the final state and every recorded event:
 *  - every accepted task reached exactly one terminal record, in exactly one place (none lost);
 *  - no completion was recorded twice;
 *  - no zombie write landed: each completion is by the worker holding the attempt, and no
 *    frozen worker's completion landed after it was frozen;
 *  - history matches events: every completion in a history has the worker's "end" in the
 *    execution log, every "start" in the log has that worker's "assigned" in the history, and
 *    every task.started / task.completed event observed is in the history.
 */
export function checkInvariants(input: InvariantInput): InvariantReport {
  const r: InvariantReport = {
    tasks: input.accepted.size,
    terminal: 0,
    lost: 0,
    duplicated: 0,
    zombieWritesLanded: 0,
    zombieWritesAttempted: 0,
    historyMismatches: 0,
    unknownTasks: 0,
    violations: [],
  };
  const violate = (what: string) => {
    if (r.violations.length < 50) r.violations.push(what);
  };
  const ends = new Set<string>();
  const starts: Execution[] = [];
  for (const x of input.executions) {
    if (x.event === 'end') ends.add(`${x.task} ${x.worker}`);
    if (x.event === 'start') starts.push(x);
  }
  const zombieOf = new Map(input.zombies.map((z) => [z.worker, z]));

  for (const id of input.accepted) {
    const view = input.views.get(id);
    const places = input.audit.places.get(id) ?? [];
    if (!view || places.length === 0) {
      r.lost++;
      violate(`${id}: lost (no record found)`);
      continue;
    }
    if (places.length > 1) {
      r.duplicated++;
      violate(`${id}: in ${places.length} places: ${places.join(', ')}`);
    }
    if (!isTerminal(view.state)) {
      r.lost++;
      violate(`${id}: never reached a terminal state (still ${view.state})`);
      continue;
    }
    r.terminal++;
    const completions = view.history.filter((h) => h.event === 'completed');
    if (completions.length > 1) {
      r.duplicated++;
      violate(`${id}: completed ${completions.length} times`);
    }
    const terminals = terminalEntries(view);
    if (terminals.length !== 1) {
      r.duplicated++;
      violate(`${id}: ${terminals.length} terminal history entries (state ${view.state})`);
    }
    view.history.forEach((h, i) => {
      if (h.event !== 'completed') return;
      const holder = holderAt(view.history, i);
      if (h.worker !== holder?.worker) {
        r.zombieWritesLanded++;
        violate(`${id}: completed by ${h.worker} while ${holder?.worker ?? 'no worker'} held it`);
      }
      // A frozen worker's session expired while it was stopped: an attempt it was given before
      // the freeze can no longer be completed by it once it runs again (a later assignment,
      // after it came back with a new session, can). A write it sent just before the stop took
      // hold may still land between the freeze and the resume: that one is no zombie's.
      const zombie = h.worker === undefined ? undefined : zombieOf.get(h.worker);
      if (zombie && holder && holder.at < zombie.frozenAt && h.at >= zombie.resumedAt) {
        r.zombieWritesLanded++;
        violate(
          `${id}: completion by frozen worker ${h.worker} of a pre-freeze attempt landed ` +
            `(assigned ${holder.at - zombie.frozenAt} ms from the freeze, completed ` +
            `${h.at - zombie.resumedAt} ms after the resume)`,
        );
      }
      if (h.worker !== undefined && !ends.has(`${id} ${h.worker}`)) {
        r.historyMismatches++;
        violate(`${id}: history says ${h.worker} completed it; its execution log has no end`);
      }
    });
  }

  for (const x of starts) {
    const view = input.views.get(x.task);
    if (!view) continue;
    if (!view.history.some((h) => h.event === 'assigned' && h.worker === x.worker)) {
      r.historyMismatches++;
      violate(`${x.task}: ${x.worker} ran it but the history never assigned it there`);
    }
  }
  for (const z of input.zombies) {
    // Its handler ended (and so it tried to complete) a task taken from it while it was frozen.
    const endedLate = new Set(
      input.executions
        .slice(z.logIndex)
        .filter((x) => x.event === 'end' && x.worker === z.worker)
        .map((x) => x.task),
    );
    for (const task of endedLate) {
      const view = input.views.get(task);
      const takenAway = view?.history.some(
        (h) => h.event === 'reassigned' && h.worker === z.worker && h.at > z.frozenAt,
      );
      if (takenAway) r.zombieWritesAttempted++;
    }
  }
  for (const e of input.events) {
    if (!e.taskId || !input.accepted.has(e.taskId)) continue;
    const view = input.views.get(e.taskId);
    if (!view) continue;
    const wanted =
      e.type === 'task.completed' ? 'completed' : e.type === 'task.started' ? 'started' : undefined;
    if (!wanted) continue;
    const match = view.history.some(
      (h) => h.event === wanted && (e.workerId === undefined || h.worker === e.workerId),
    );
    if (!match) {
      r.historyMismatches++;
      violate(`${e.taskId}: event ${e.type} (${e.workerId ?? '-'}) not in its history`);
    }
  }
  for (const id of input.audit.places.keys()) {
    if (!input.accepted.has(id)) {
      r.unknownTasks++;
      violate(`${id}: in the tree but never accepted`);
    }
  }
  return r;
}
