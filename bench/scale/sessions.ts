/**
 * The sessions part: 500 live worker sessions on one embedded coordinator. The coordinator app,
 * one master and 10 host processes of 50 workers each (every worker its own session), all real
 * processes. Measured: the time until all are registered, the coordinator's RSS and CPU with
 * them connected, the drain rate of 10,000 no-op tasks and how many workers ran some, and a
 * kill -9 of one host (50 sessions) while its workers hold tasks: the time until those run
 * again elsewhere, and that every task ends with exactly one done record.
 */
import { ZooKeeperConnection } from '@shepherd/coordination';
import { TaskQueueClient } from '@shepherd/taskqueue';
import { RoleProcess } from '../../test/support/taskqueue/role-process';
import { waitFor } from '../../test/support/wait-for';
import { ProgressBar } from '../common/progress';
import { percentile } from '../common/stats';
import { readCpuUs } from '../coordinator/proc-stats';
import { PartResult, ScaleArgs, ScaleRow, TimePoint } from './scale-types';
import { auditTerminal } from './sessions-audit';
import { CoordinatorApp } from '../common/coordinator-app';
import { compileApps } from './compiled-master';
import { killHostHoldingTasks } from './sessions-failover';
import { Fleet } from './sessions-fleet';
import { StageBar } from './sessions-stage-bar';

const SESSION_TIMEOUT_MS = 4000;
/** The shortest tick that admits the timeout (20 ticks at most): expiry is checked per tick. */
const TICK_MS = SESSION_TIMEOUT_MS / 20;
const CONCURRENCY = 4;
const SUBMIT_BATCH = 1000;
/** How long a task held at the kill sleeps: past the detection, short enough to wait for. */
const HOLD_MS = 8000;
/** Share of the sessions that must have run tasks for "tasks spread". */
const SPREAD_TARGET = 0.95;

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;
const mb = (n: number) => `${round(n, 0)} MB`;
const secs = (ms: number) => `${round(ms / 1000, 2)} s`;

function sorted(values: number[]): Float64Array {
  return Float64Array.from(values).sort();
}

export async function runSessions(args: ScaleArgs, bar: ProgressBar): Promise<PartResult> {
  const started = Date.now();
  const settings = {
    hosts: args.quick ? 5 : 10,
    workersPerHost: args.quick ? 10 : 50,
    concurrency: CONCURRENCY,
    sessionTimeoutMs: SESSION_TIMEOUT_MS,
    tickTimeMs: TICK_MS,
    noopTasks: args.quick ? 2000 : 10_000,
    holdMs: HOLD_MS,
  };
  const stages = new StageBar(bar);
  // The build, as `npx shepherd coordinator` runs it: its RSS is measured (ts-node adds ~100 MB).
  const coordinator = new CoordinatorApp(TICK_MS, { compiled: true });
  let master: RoleProcess | undefined;
  let fleet: Fleet | undefined;
  let connection: ZooKeeperConnection | undefined;
  try {
    stages.stage('sessions: coordinator and master', 5);
    compileApps();
    await coordinator.start();
    master = await new RoleProcess({
      role: 'master',
      id: 'master-1',
      connectString: coordinator.connectString,
      sessionTimeoutMs: SESSION_TIMEOUT_MS,
    }).ready();
    connection = new ZooKeeperConnection({
      connectString: coordinator.connectString,
      sessionTimeoutMs: SESSION_TIMEOUT_MS,
    });
    await connection.connect();
    const client = new TaskQueueClient({ connection });
    await waitFor('master-1 to lead', async () => (await client.masters()).leader === 'master-1');

    // Registration: every host spawned at once, /workers watched through the client.
    fleet = new Fleet({ ...settings, connectString: coordinator.connectString });
    const total = fleet.size;
    stages.stage(`sessions: ${total} workers registering`, 20);
    const spawnedAt = Date.now();
    const registered: TimePoint[] = [];
    const hostsReady = fleet.start();
    // A host that dies before it is ready ends the wait below at once, not at its timeout.
    let failed: unknown;
    hostsReady.catch((err: unknown) => (failed = err));
    await waitFor(
      `${total} workers to register`,
      async () => {
        if (failed) throw failed;
        const n = (await client.workers()).length;
        registered.push({ t: Date.now() - spawnedAt, v: n });
        stages.at(n / total, `${n}/${total}`);
        return n === total;
      },
      { timeoutMs: 300_000, intervalMs: 250 },
    );
    const allRegisteredMs = Date.now() - spawnedAt;
    const hostReadyMs = await hostsReady;
    const firstSeen = registered.find((p) => p.v > 0)?.t ?? 0;
    const rssRegisteredMB = coordinator.rssMB();
    const cpu0 = readCpuUs(coordinator.pid);
    const idleFrom = Date.now();
    await new Promise((r) => setTimeout(r, 5000));
    const idleCpuPct = (readCpuUs(coordinator.pid) - cpu0) / 10 / (Date.now() - idleFrom);

    // Drain: no-op tasks submitted in batches, completions counted until all are done.
    stages.stage(`sessions: ${settings.noopTasks} no-op tasks`, 40);
    const drainFrom = Date.now();
    const noopIds: string[] = [];
    for (let i = 0; i < settings.noopTasks; i += SUBMIT_BATCH) {
      const n = Math.min(SUBMIT_BATCH, settings.noopTasks - i);
      const views = await client.submitMany(
        Array.from({ length: n }, () => ({ type: 'noop', payload: null })),
      );
      noopIds.push(...views.map((v) => v.id));
    }
    const submitMs = Date.now() - drainFrom;
    await waitFor(
      'the no-op tasks to complete',
      async () => {
        const { finished } = await client.counts();
        stages.at(finished / settings.noopTasks, `${finished}/${settings.noopTasks}`);
        return finished >= settings.noopTasks;
      },
      { timeoutMs: 600_000, intervalMs: 100 },
    );
    const drainMs = Date.now() - drainFrom;
    const rssDrainedMB = coordinator.rssMB();
    const noop = new Set(noopIds);
    const perWorker = new Map<string, number>();
    for (const e of fleet.executions())
      if (noop.has(e.task)) perWorker.set(e.worker, (perWorker.get(e.worker) ?? 0) + 1);
    const counts = [...perWorker.values()].sort((a, b) => a - b);

    // Failover: one host killed while its workers hold tasks.
    stages.stage('sessions: kill -9 of one host', 25);
    const victim = fleet.hosts[fleet.hosts.length - 1];
    const { kill, ids: holdIds } = await killHostHoldingTasks(
      client,
      fleet,
      victim,
      settings.holdMs,
      (f, detail) => stages.at(f, detail),
    );
    const all = [...noopIds, ...holdIds];
    await waitFor(
      'every task to finish',
      async () => (await client.counts()).finished >= all.length,
      { timeoutMs: 300_000, intervalMs: 250 },
    );
    const liveAfterKill = (await client.workers()).length;

    stages.stage('sessions: auditing terminal records', 10);
    const audit = await auditTerminal(client, connection.client, all);
    client.close();

    const rescue = sorted(kill.runningAgainMs);
    const detect = sorted(kill.detectedMs);
    const allRegistered = registered[registered.length - 1]?.v === total;
    const spread = perWorker.size;
    const noLoss =
      audit.doneOnce === all.length &&
      audit.lost === 0 &&
      audit.inTwoPlaces === 0 &&
      kill.heldTasks > 0;
    const met = allRegistered && spread >= SPREAD_TARGET * total && noLoss;
    const rows: ScaleRow[] = [
      {
        part: 'sessions',
        metric: `worker sessions registered (${settings.hosts} processes x ${settings.workersPerHost})`,
        value: `${total} of ${total} in ${secs(allRegisteredMs)} (${secs(allRegisteredMs - firstSeen)} after the first)`,
      },
      {
        part: 'sessions',
        metric: `coordinator RSS with ${total} sessions (idle / after the drain)`,
        value: `${mb(rssRegisteredMB)} / ${mb(rssDrainedMB)}`,
      },
      {
        part: 'sessions',
        metric: `coordinator CPU with ${total} idle sessions (pings)`,
        value: `${round(idleCpuPct)}% of a core`,
      },
      {
        part: 'sessions',
        metric: `drain of ${settings.noopTasks} no-op tasks (submit to all done)`,
        value: `${round(settings.noopTasks / (drainMs / 1000), 0)} tasks/s`,
      },
      {
        part: 'sessions',
        metric: 'workers that ran no-op tasks (tasks per worker min / median / max)',
        value: `${spread} of ${total} (${counts[0] ?? 0} / ${counts[counts.length >> 1] ?? 0} / ${counts[counts.length - 1] ?? 0})`,
      },
      {
        part: 'sessions',
        metric: `kill -9 of a host (${kill.sessions} sessions, ${kill.heldTasks} tasks held): running again elsewhere, p50 / max`,
        value: `${secs(percentile(rescue, 50))} / ${secs(percentile(rescue, 100))} (loss seen after ${secs(percentile(detect, 50))})`,
      },
      {
        part: 'sessions',
        metric: `tasks with exactly one done record (of ${all.length}); lost; in two places`,
        value: `${audit.doneOnce}; ${audit.lost}; ${audit.inTwoPlaces}`,
      },
      {
        part: 'sessions',
        metric: `${total} live sessions: all registered, tasks spread, no task lost`,
        value: `${allRegistered ? 'all registered' : 'NOT all registered'}, ${spread} ran tasks, ${all.length - audit.doneOnce} not done once`,
        target: `all ${total} registered, >= ${SPREAD_TARGET * 100}% ran tasks, 0 lost`,
        met,
      },
    ];
    stages.done('sessions: done');
    return {
      part: 'sessions',
      rows,
      seconds: (Date.now() - started) / 1000,
      raw: {
        settings,
        registration: { allRegisteredMs, firstSeenMs: firstSeen, hostReadyMs, series: registered },
        coordinator: { rssRegisteredMB, rssDrainedMB, idleCpuPct },
        drain: {
          tasks: settings.noopTasks,
          submitMs,
          drainMs,
          tasksPerSec: settings.noopTasks / (drainMs / 1000),
          workersThatRanTasks: spread,
          tasksPerWorker: Object.fromEntries(perWorker),
        },
        kill: { ...kill, liveSessionsAfter: liveAfterKill },
        audit,
      },
    };
  } finally {
    await fleet?.stop();
    await master?.stop();
    await connection?.close();
    await coordinator.stop();
  }
}
