import { ZooKeeperConnection } from '@shepherd/coordination';
import { HistoryEntry, TaskQueueClient, TaskView } from '@shepherd/taskqueue';
import { createChroot } from '../../test/support/taskqueue/chroot';
import { RoleProcess } from '../../test/support/taskqueue/role-process';
import { waitFor } from '../../test/support/wait-for';

/** One measured failure: when the victim was killed, and the delays (ms) that followed it. */
export interface Trial {
  trial: number;
  victim: string;
  successor: string;
  killedAt: number;
  /** Worker kill: kill -9 to "started" on the successor, one per task the victim held. */
  delaysMs: number[];
  /** Worker kill: kill -9 to the leader's "reassigned" entry (the loss seen), per task. */
  detectedMs?: number[];
}

export interface TrialSetup {
  /** A ZooKeeper connect string (no chroot): the coordinator or the ensemble. */
  connectString: string;
  sessionTimeoutMs: number;
  trials: number;
  /** Tasks each victim worker holds when it is killed (its concurrency). */
  tasksPerWorker: number;
  onTrial: (label: string) => void;
}

/** How long a held task sleeps: far beyond any trial, it is cancelled once measured. */
const HOLD_MS = 600_000;

interface Bench {
  connectString: string;
  client: TaskQueueClient;
  roles: RoleProcess[];
  spawn(role: 'master' | 'worker', id: string): RoleProcess;
  close(): Promise<void>;
}

let benchCount = 0;

async function openBench(setup: TrialSetup, name: string): Promise<Bench> {
  const chroot = `/failover-${name}-${process.pid}-${++benchCount}`;
  await createChroot(setup.connectString, chroot);
  const connectString = `${setup.connectString}${chroot}`;
  // The server clamps this to its maximum (20 ticks); the benchmark's own session only reads.
  const connection = new ZooKeeperConnection({ connectString, sessionTimeoutMs: 30000 });
  await connection.connect();
  const client = new TaskQueueClient({ connection });
  const roles: RoleProcess[] = [];
  return {
    connectString,
    client,
    roles,
    spawn(role, id) {
      const p = new RoleProcess({
        role,
        id,
        connectString,
        sessionTimeoutMs: setup.sessionTimeoutMs,
        concurrency: setup.tasksPerWorker,
      });
      roles.push(p);
      return p;
    },
    async close() {
      await Promise.all(roles.map((r) => r.stop()));
      client.close();
      await connection.close();
    },
  };
}

const entryAfter = (
  view: TaskView,
  event: HistoryEntry['event'],
  worker: string | undefined,
  t0: number,
) =>
  view.history.find(
    (h) => h.event === event && h.at >= t0 && (worker === undefined || h.worker === worker),
  );

/** Generous bound for anything the benchmark waits on: many session timeouts on a busy machine. */
const waitBound = (setup: TrialSetup) => Math.max(60000, setup.sessionTimeoutMs * 10);

/**
 * Worker failure: a worker runs `tasksPerWorker` long tasks; a fresh worker registers; the first
 * is killed with SIGKILL. Each task's delay is from the kill to its `started` entry written by the
 * successor (the worker's own clock, the same machine's). The successor is the next trial's
 * victim: its rescued tasks are cancelled, the next batch can only go to it.
 */
export async function workerTrials(setup: TrialSetup): Promise<Trial[]> {
  const bench = await openBench(setup, 'worker');
  const results: Trial[] = [];
  try {
    await bench.spawn('master', 'm1').ready();
    await waitFor('m1 to lead', async () => (await bench.client.masters()).leader === 'm1');
    let holder = await bench.spawn('worker', 'w0').ready();
    for (let trial = 0; trial < setup.trials; trial++) {
      const tasks = await bench.client.submitMany(
        Array.from({ length: setup.tasksPerWorker }, () => ({
          type: 'sleep',
          payload: { ms: HOLD_MS },
          options: { maxAttempts: 10 },
        })),
      );
      const ids = tasks.map((t) => t.id);
      await waitFor(
        `${holder.id} to run its ${ids.length} tasks`,
        async () => {
          const views = await Promise.all(ids.map((id) => bench.client.get(id)));
          return views.every((v) => v.state === 'running' && v.worker === holder.id);
        },
        { timeoutMs: waitBound(setup), intervalMs: 50 },
      );
      const successor = await bench.spawn('worker', `w${trial + 1}`).ready();
      await waitFor('the successor to register', async () =>
        (await bench.client.workers()).some((w) => w.id === successor.id),
      );
      const killedAt = Date.now();
      await holder.crash();
      const views = await waitFor(
        `the tasks of ${holder.id} to start on ${successor.id}`,
        async () => {
          const vs = await Promise.all(ids.map((id) => bench.client.get(id)));
          return vs.every((v) => entryAfter(v, 'started', successor.id, killedAt)) ? vs : undefined;
        },
        { timeoutMs: waitBound(setup), intervalMs: 50 },
      );
      const delaysMs = views.map(
        (v) => entryAfter(v, 'started', successor.id, killedAt)!.at - killedAt,
      );
      const detectedMs = views.map(
        (v) => (entryAfter(v, 'reassigned', holder.id, killedAt)?.at ?? NaN) - killedAt,
      );
      results.push({
        trial,
        victim: holder.id,
        successor: successor.id,
        killedAt,
        delaysMs,
        detectedMs,
      });
      await Promise.all(ids.map((id) => bench.client.cancel(id, 'measured')));
      await waitFor(`${successor.id} to be idle`, async () => {
        const w = (await bench.client.workers()).find((x) => x.id === successor.id);
        return w !== undefined && w.running.length === 0;
      });
      holder = successor;
      setup.onTrial(`worker kill ${trial + 1}/${setup.trials}: max ${Math.max(...delaysMs)} ms`);
    }
  } finally {
    await bench.close();
  }
  return results;
}

/**
 * Master failure: the leader is killed with SIGKILL with a backup standing by and an idle worker;
 * tasks submitted right after the kill wait for a leader. The delay is from the kill to the first
 * `assigned` entry (written by the new leader) among them; the `started` entry is kept beside it.
 * A fresh master joins as the next backup before the next trial.
 */
export async function masterTrials(setup: TrialSetup): Promise<(Trial & { startedMs: number })[]> {
  const bench = await openBench(setup, 'master');
  const results: (Trial & { startedMs: number })[] = [];
  const byId = new Map<string, RoleProcess>();
  try {
    const m0 = await bench.spawn('master', 'm0').ready();
    byId.set(m0.id, m0);
    await waitFor('m0 to lead', async () => (await bench.client.masters()).leader === 'm0');
    await bench.spawn('worker', 'w1').ready();
    for (let trial = 0; trial < setup.trials; trial++) {
      const backup = await bench.spawn('master', `m${trial + 1}`).ready();
      byId.set(backup.id, backup);
      const { leader } = await waitFor('a leader with the backup standing by', async () => {
        const m = await bench.client.masters();
        return m.leader !== null &&
          m.leader !== backup.id &&
          m.candidates.some((c) => c.id === backup.id)
          ? m
          : undefined;
      });
      const victim = byId.get(leader!)!;
      const killedAt = Date.now();
      await victim.crash();
      const tasks = await bench.client.submitMany(
        Array.from({ length: setup.tasksPerWorker }, () => ({ type: 'noop', payload: null })),
      );
      const views = await waitFor(
        'the backup to assign',
        async () => {
          const vs = await Promise.all(tasks.map((t) => bench.client.get(t.id)));
          return vs.every((v) => v.state === 'done') ? vs : undefined;
        },
        { timeoutMs: waitBound(setup), intervalMs: 50 },
      );
      const first = (event: HistoryEntry['event']) =>
        Math.min(...views.map((v) => entryAfter(v, event, undefined, killedAt)!.at)) - killedAt;
      const delay = first('assigned');
      results.push({
        trial,
        victim: victim.id,
        successor: backup.id,
        killedAt,
        delaysMs: [delay],
        startedMs: first('started'),
      });
      setup.onTrial(`master kill ${trial + 1}/${setup.trials}: ${delay} ms`);
    }
  } finally {
    await bench.close();
  }
  return results;
}
