import { readCpuUs } from '../coordinator/proc-stats';
import { runClosedLoop } from '../common/closed-loop';
import { percentile } from '../common/stats';
import { BullPeer, Peer, ShepherdPeer } from './peers';

export type Mode = 'lib' | 'rest';

/** Per-task options a run may give (bench:features): Shepherd's SubmitOptions subset. */
export interface TaskOptions {
  /** -1000..1000, higher first (BullMQ, lower first: see bullPriority). */
  priority?: number;
  /** Shepherd only: BullMQ's groups are a BullMQ Pro feature. */
  group?: string;
}

export interface RunSettings {
  tasks: number;
  /** Tasks per submit call (submitMany, addBulk, POST /tasks/batch). */
  batch: number;
  /** Submit calls in flight at once. */
  submitInFlight: number;
  timeoutMs: number;
  /** Options of the run's task i (0-based, in submit order); none when absent. */
  options?: (i: number) => TaskOptions;
  /** Runs before the run's clock starts (e.g. queue settings for the type). */
  setup?: (peer: Peer) => Promise<void>;
  /**
   * Fail the run unless every submitted id is distinct, ended done, completed exactly once
   * (Shepherd: one 'completed' and at most one 'started' in its history; BullMQ: one completed
   * job per id, none failed) and the peer's completed count grew by exactly `tasks`.
   */
  verifyExactlyOnce?: boolean;
}

export interface RunResult {
  tasks: number;
  seconds: number;
  tasksPerSec: number;
  p50Ms: number;
  p99Ms: number;
  /** CPU µs per task spent by each role's processes (coordinator = ZooKeeper, Redis...). */
  cpuUsPerTask: Record<string, number>;
  /** Shepherd only: median ms of each step (submit call -> queued -> assigned -> started -> completed). */
  phaseP50Ms?: Record<string, number>;
  /** Shepherd only: assignments per second, first to last 'assigned' time in the histories. */
  assignedPerSec?: number;
}

const TYPE = 'noop';
const PAYLOAD = {};
/**
 * How often the completed count is polled. Only the progress bar and the end of a run depend
 * on it (tasks/s and latencies come from the completion times the peers record), and Shepherd's
 * count (getAllChildrenNumber of /status, as in ZooKeeper a walk of the subtree) costs the
 * server more than Redis' ZCARD, so it is not asked for more often than that needs.
 */
const POLL_MS = 200;

/** How a peer takes tasks in, counts completions, and tells when each one completed. */
interface Driver {
  completed(): Promise<number>;
  /** Submits tasks [from, from + count); returns their ids in order. */
  submit(from: number, count: number): Promise<string[]>;
  /** Completion time (ms since the epoch) per id. */
  finishedAt(ids: string[]): Promise<Map<string, number>>;
  /** Shepherd: each task's history times, for the per-phase breakdown. */
  phases?: Map<string, Record<string, number>>;
  /** What finishedAt saw that breaks exactly-once (one line per task), for verifyExactlyOnce. */
  anomalies: string[];
}

/** Where a Shepherd task's time went, from its history: the step from each event to the next. */
export const PHASES = [
  ['submit', 'queued'],
  ['queued', 'assigned'],
  ['assigned', 'started'],
  ['started', 'completed'],
] as const;

/** Shepherd's -1000..1000 (higher first) as BullMQ's priority (1 first; 0 would mean none). */
export function bullPriority(priority: number): number {
  return 1001 - priority;
}

function shepherdDriver(peer: ShepherdPeer, mode: Mode, s: RunSettings): Driver {
  const { client } = peer;
  const items = (from: number, n: number, traceparent?: string) =>
    Array.from({ length: n }, (_, k) => {
      const own = s.options?.(from + k);
      const options = traceparent === undefined ? own : { ...own, traceparent };
      return options ? { type: TYPE, payload: PAYLOAD, options } : { type: TYPE, payload: PAYLOAD };
    });
  const phases = new Map<string, Record<string, number>>();
  const anomalies: string[] = [];
  return {
    phases,
    anomalies,
    completed: async () => (await client.counts()).finished,
    submit: async (from, count) => {
      // A traced peer's context, one per call: each item's option, or the request's header.
      const traceparent = peer.tracing?.traceparent();
      if (mode === 'lib')
        return (await client.submitMany(items(from, count, traceparent))).map((v) => v.id);
      const res = await fetch(`${peer.restUrl}/tasks/batch`, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          ...(traceparent !== undefined && { traceparent }),
        },
        body: JSON.stringify({ tasks: items(from, count) }),
      });
      if (res.status !== 202)
        throw new Error(`POST /tasks/batch answered ${res.status}: ${await res.text()}`);
      return ((await res.json()) as { ids: string[] }).ids;
    },
    finishedAt: async (ids) => {
      const out = new Map<string, number>();
      await runClosedLoop(
        ids.length,
        64,
        async (i) => {
          const view = await client.get(ids[i]);
          if (view.state !== 'done') throw new Error(`task ${ids[i]} is ${view.state}`);
          out.set(ids[i], view.finishedAt ?? view.updatedAt);
          const times: Record<string, number> = {};
          const seen: Record<string, number> = {};
          for (const h of view.history) {
            times[h.event] ??= h.at;
            seen[h.event] = (seen[h.event] ?? 0) + 1;
          }
          if (seen.completed !== 1 || (seen.started ?? 0) > 1)
            anomalies.push(
              `${ids[i]}: history ${view.history.map((h) => h.event).join(',')} ` +
                `(expected one 'completed', at most one 'started')`,
            );
          phases.set(ids[i], times);
        },
        () => {},
      );
      return out;
    },
  };
}

function bullDriver(peer: BullPeer, mode: Mode, s: RunSettings): Driver {
  if (mode !== 'lib') throw new Error('BullMQ has no REST API: only --modes lib applies to it');
  const { queue } = peer;
  const anomalies: string[] = [];
  const job = (i: number) => {
    const o = s.options?.(i);
    if (o?.group !== undefined) throw new Error('BullMQ groups are a BullMQ Pro feature');
    return o?.priority === undefined
      ? { name: TYPE, data: PAYLOAD }
      : { name: TYPE, data: PAYLOAD, opts: { priority: bullPriority(o.priority) } };
  };
  return {
    anomalies,
    completed: () => queue.getCompletedCount(),
    submit: async (from, count) => {
      const jobs = await queue.addBulk(Array.from({ length: count }, (_, k) => job(from + k)));
      return jobs.map((j) => j.id!);
    },
    finishedAt: async (ids) => {
      const out = new Map<string, number>();
      const total = await queue.getCompletedCount();
      let listed = 0;
      for (let start = 0; start < total; start += 1000) {
        const jobs = await queue.getJobs(['completed'], start, start + 999);
        for (const j of jobs) {
          listed++;
          if (j.id && out.has(j.id)) anomalies.push(`${j.id}: listed as completed twice`);
          if (j.id && j.finishedOn) out.set(j.id, j.finishedOn);
        }
      }
      if (listed !== ids.length) anomalies.push(`${listed} completed jobs for ${ids.length} ids`);
      const failed = await queue.getFailedCount();
      if (failed > 0) anomalies.push(`${failed} failed jobs`);
      return out;
    },
  };
}

/**
 * One measured run: `tasks` no-op tasks submitted in batches (at most `submitInFlight` calls
 * at once), waited for until all are completed. Latency of a task = its completion time as the
 * peer recorded it (Shepherd: finishedAt of its terminal record; BullMQ: finishedOn) minus the
 * moment this process started the submit call that carried it; tasks/s = tasks / (last
 * completion - first submit). Both sides stamp completions with the worker's wall clock, on
 * this same machine.
 */
export async function measure(
  peer: Peer,
  mode: Mode,
  s: RunSettings,
  onProgress: (n: number) => void,
): Promise<RunResult> {
  const driver =
    (peer as ShepherdPeer).kind === 'shepherd'
      ? shepherdDriver(peer as ShepherdPeer, mode, s)
      : bullDriver(peer as BullPeer, mode, s);
  // BullMQ keeps completed jobs: start each run from an empty completed set.
  if ((peer as BullPeer).kind === 'bullmq') await (peer as BullPeer).queue.clean(0, 0, 'completed');
  if (s.setup) await s.setup(peer);
  const base = await driver.completed();
  const batches = Math.ceil(s.tasks / s.batch);
  const ids: string[][] = new Array(batches);
  const sentAt = new Float64Array(batches);
  const cpu0 = peer.processes.map((p) => readCpuUs(p.pid));

  const submitting = runClosedLoop(
    batches,
    s.submitInFlight,
    async (b) => {
      const count = Math.min(s.batch, s.tasks - b * s.batch);
      sentAt[b] = Date.now();
      ids[b] = await driver.submit(b * s.batch, count);
    },
    () => {},
  );
  let failed: unknown;
  submitting.catch((err: unknown) => (failed = err));
  const deadline = Date.now() + s.timeoutMs;
  let seen = 0;
  for (;;) {
    if (failed) throw failed;
    const done = (await driver.completed()) - base;
    if (done > seen) {
      onProgress(Math.min(done, s.tasks) - seen);
      seen = Math.min(done, s.tasks);
    }
    if (done >= s.tasks) break;
    if (Date.now() > deadline)
      throw new Error(`${peer.name} ${mode}: ${done}/${s.tasks} completed after ${s.timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  await submitting;
  const cpu = peer.processes.map((p, i) => readCpuUs(p.pid) - cpu0[i]);

  const all = ids.flat();
  const finished = await driver.finishedAt(all);
  if (s.verifyExactlyOnce) await verifyExactlyOnce(peer, mode, s, driver, all, base);
  const latencies = new Float64Array(all.length);
  let first = Infinity;
  let last = -Infinity;
  let k = 0;
  for (const [b, batchIds] of ids.entries()) {
    first = Math.min(first, sentAt[b]);
    for (const id of batchIds) {
      const at = finished.get(id);
      if (at === undefined) throw new Error(`${peer.name} ${mode}: no completion time for ${id}`);
      last = Math.max(last, at);
      latencies[k++] = at - sentAt[b];
    }
  }
  latencies.sort();
  let phaseP50Ms: Record<string, number> | undefined;
  if (driver.phases) {
    phaseP50Ms = {};
    for (const [from, to] of PHASES) {
      const d = new Float64Array(all.length);
      let n = 0;
      for (const [b, batchIds] of ids.entries())
        for (const id of batchIds) {
          const t = driver.phases.get(id)!;
          const start = from === 'submit' ? sentAt[b] : t[from];
          if (start !== undefined && t[to] !== undefined) d[n++] = t[to] - start;
        }
      phaseP50Ms[`${from}->${to}`] = percentile(d.subarray(0, n).sort(), 50);
    }
  }
  let assignedPerSec: number | undefined;
  if (driver.phases) {
    let a0 = Infinity;
    let a1 = -Infinity;
    for (const t of driver.phases.values())
      if (t.assigned !== undefined) {
        a0 = Math.min(a0, t.assigned);
        a1 = Math.max(a1, t.assigned);
      }
    if (a1 > a0) assignedPerSec = all.length / ((a1 - a0) / 1000);
  }
  const seconds = (last - first) / 1000;
  const cpuUsPerTask: Record<string, number> = {};
  for (const [i, p] of peer.processes.entries())
    cpuUsPerTask[p.role] = (cpuUsPerTask[p.role] ?? 0) + cpu[i] / s.tasks;
  return {
    tasks: s.tasks,
    seconds,
    tasksPerSec: s.tasks / seconds,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    cpuUsPerTask,
    phaseP50Ms,
    assignedPerSec,
  };
}

/** Throws, naming what went wrong, unless every submitted task completed exactly once. */
async function verifyExactlyOnce(
  peer: Peer,
  mode: Mode,
  s: RunSettings,
  driver: Driver,
  ids: string[],
  base: number,
): Promise<void> {
  const problems = [...driver.anomalies];
  if (ids.length !== s.tasks) problems.push(`${ids.length} ids for ${s.tasks} tasks submitted`);
  const distinct = new Set(ids).size;
  if (distinct !== ids.length) problems.push(`${ids.length - distinct} duplicate ids`);
  // A task completed twice (or one nobody submitted) shows as more completions than tasks.
  const completed = (await driver.completed()) - base;
  if (completed !== s.tasks) problems.push(`completed count grew by ${completed}, not ${s.tasks}`);
  if (problems.length > 0)
    throw new Error(
      `${peer.name} ${mode}: not exactly once (${problems.length} problems):\n  ` +
        problems.slice(0, 20).join('\n  '),
    );
}
