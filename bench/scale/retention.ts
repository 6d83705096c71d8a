/**
 * The retention part: 1,000,000 completed records under retention. 1,050,000 done records are
 * seeded into /status through the library's own transitions (retention-seed.ts; running a
 * million real tasks would take too long), then a master with retention maxCount 1,000,000
 * starts. Measured: the seed rate, the time until retention has pruned to the limit, the
 * coordinator's RSS with a million records, how long counts(), get(id) and a page of done tasks
 * take, what a retention pass with nothing to prune costs, then 5,000 new no-op tasks through 2
 * worker processes, that the next pass brings the count back to the limit, and how long the
 * coordinator takes to come back after a kill -9 with the million records on disk. The
 * coordinator runs from the build, as `npx shepherd coordinator` does, so its RSS is the
 * product's, not ts-node's.
 */
import { ZooKeeperConnection } from '@shepherd/coordination';
import { BUCKET_COUNT, ROOTS, TaskNotFoundError, TaskQueueClient } from '@shepherd/taskqueue';
import { RoleProcess } from '../../test/support/taskqueue/role-process';
import { waitFor } from '../../test/support/wait-for';
import { runClosedLoop } from '../common/closed-loop';
import { ProgressBar } from '../common/progress';
import { median } from '../common/stats';
import { readCpuUs } from '../coordinator/proc-stats';
import { Child, TS_NODE_ARGS } from '../throughput/child';
import { PartResult, ScaleArgs, ScaleRow } from './scale-types';
import { masterProblems, retentionPasses } from './retention-passes';
import { seedDoneRecords } from './retention-seed';
import { CoordinatorApp } from '../common/coordinator-app';
import { StageBar } from './sessions-stage-bar';
import { compileApps } from './compiled-master';

const MASTER_ENTRY = 'bench/scale/retention-master.ts';
/** Long enough that a coordinator busy with a million records does not expire anyone. */
const SESSION_TIMEOUT_MS = 10_000;
const TICK_MS = SESSION_TIMEOUT_MS / 20;
const WORKERS = 2;
const CONCURRENCY = 64;
const SUBMIT_BATCH = 1000;
const TIMING_ROUNDS = 5;

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;
const ms = (n: number) => `${round(n, n < 10 ? 2 : 0)} ms`;
const secs = (n: number) => `${round(n / 1000, 1)} s`;
const thousands = (n: number) => n.toLocaleString('en-US');

/** Durations (ms) of `rounds` sequential calls. */
async function timed(rounds: number, call: () => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const t0 = process.hrtime.bigint();
    await call();
    out.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return out;
}

export async function runRetention(args: ScaleArgs, bar: ProgressBar): Promise<PartResult> {
  const started = Date.now();
  const maxCount = args.quick ? 100_000 : 1_000_000;
  const settings = {
    records: Math.round(maxCount * 1.05),
    maxCount,
    intervalMs: args.quick ? 5000 : 10_000,
    newTasks: args.quick ? 1000 : 5000,
    workers: WORKERS,
    concurrency: CONCURRENCY,
    seedSpanMs: 3600_000,
    seedPerMulti: 250,
    seedInFlight: 16,
  };
  const stages = new StageBar(bar);
  const coordinator = new CoordinatorApp(TICK_MS, { compiled: true });
  const roles: RoleProcess[] = [];
  let master: Child | undefined;
  let connection: ZooKeeperConnection | undefined;
  try {
    stages.stage('retention: building, coordinator', 2);
    compileApps();
    await coordinator.start();
    connection = new ZooKeeperConnection({
      connectString: coordinator.connectString,
      sessionTimeoutMs: SESSION_TIMEOUT_MS,
    });
    await connection.connect();
    // Its list cache stays warm through the whole part, as a dashboard listing every few
    // seconds keeps it; `cold` lists /status from the server every time.
    const client = new TaskQueueClient({ connection, listCache: { idleMs: 3_600_000 } });
    const cold = new TaskQueueClient({ connection, listCache: false });

    stages.stage(`retention: seeding ${thousands(settings.records)} done records`, 45);
    const seed = await seedDoneRecords(
      connection.client,
      {
        records: settings.records,
        spanMs: settings.seedSpanMs,
        perMulti: settings.seedPerMulti,
        inFlight: settings.seedInFlight,
        seed: args.seed,
      },
      (n) => stages.at(n / settings.records, thousands(n)),
    );
    const rssSeededMB = coordinator.rssMB();

    // Retention: a master with the limit, started on the seeded tree.
    stages.stage('retention: pruning to the limit', 20);
    master = new Child({
      name: 'master',
      command: process.execPath,
      args: [...TS_NODE_ARGS, MASTER_ENTRY],
      env: {
        ZK: coordinator.connectString,
        ID: 'master-1',
        SESSION_TIMEOUT_MS: String(SESSION_TIMEOUT_MS),
        RETENTION_MAX_COUNT: String(maxCount),
        RETENTION_INTERVAL_MS: String(settings.intervalMs),
      },
      readyLine: /^ready$/m,
    });
    await master.ready();
    const masterReadyAt = Date.now();
    const excess = settings.records - maxCount;
    const afterPrune = await waitFor(
      'retention to prune to the limit',
      async () => {
        const { finished } = await client.counts();
        stages.at((settings.records - finished) / excess, `${thousands(finished)} records`);
        return finished <= maxCount ? finished : undefined;
      },
      // counts() at a million records costs the coordinator ~0.3 s: polled sparingly.
      { timeoutMs: 900_000, intervalMs: 2000 },
    );
    const pruneMs = Date.now() - masterReadyAt;
    const firstPass = retentionPasses(master.log)[0];
    const rssRetainedMB = coordinator.rssMB();

    stages.stage(`retention: reads at ${thousands(maxCount)} records`, 8);
    const countsMs = await timed(TIMING_ROUNDS, () => client.counts());
    stages.at(0.2);
    const getMs = await timed(TIMING_ROUNDS, () => client.get(seed.newestId));
    const getMissMs = await timed(TIMING_ROUNDS, () =>
      client.get(seed.oldestId).then(
        () => {
          throw new Error(`${seed.oldestId} should have been pruned`);
        },
        (err: unknown) => {
          if (!(err instanceof TaskNotFoundError)) throw err;
        },
      ),
    );
    stages.at(0.4);
    const newestDone = () => client.list({ state: 'done', limit: 100 });
    const coldListMs = await timed(TIMING_ROUNDS, () => cold.list({ state: 'done', limit: 100 }));
    const [firstListMs] = await timed(1, newestDone); // builds the window
    const listMs = await timed(TIMING_ROUNDS, newestDone);

    // What a pass that finds nothing to prune costs: it still lists every name in /status.
    stages.stage('retention: idle passes', 5);
    const idleSpanMs = 2 * settings.intervalMs;
    const cpu0 = { coordinator: readCpuUs(coordinator.pid), master: readCpuUs(master.pid) };
    await new Promise((r) => setTimeout(r, idleSpanMs));
    const idleCpuPct = {
      coordinator: (readCpuUs(coordinator.pid) - cpu0.coordinator) / 10 / idleSpanMs,
      master: (readCpuUs(master.pid) - cpu0.master) / 10 / idleSpanMs,
    };

    // New work on top of the million records.
    stages.stage(`retention: ${thousands(settings.newTasks)} new no-op tasks`, 12);
    for (let i = 0; i < WORKERS; i++)
      roles.push(
        new RoleProcess({
          role: 'worker',
          id: `worker-${i + 1}`,
          connectString: coordinator.connectString,
          sessionTimeoutMs: SESSION_TIMEOUT_MS,
          concurrency: CONCURRENCY,
        }),
      );
    await Promise.all(roles.map((r) => r.ready()));
    const submittedAt = Date.now();
    const ids: string[] = [];
    for (let i = 0; i < settings.newTasks; i += SUBMIT_BATCH) {
      const n = Math.min(SUBMIT_BATCH, settings.newTasks - i);
      const views = await client.submitMany(
        Array.from({ length: n }, () => ({ type: 'noop', payload: null })),
      );
      ids.push(...views.map((v) => v.id));
    }
    // Polled on the two small areas only: counts() also counts the million records each time
    // (a quarter of a second of the coordinator's CPU), which would slow the run it measures.
    const zk = connection.client;
    await waitFor(
      'the new tasks to finish',
      async () => {
        const [tasks, assign, folders] = await Promise.all([
          zk.getAllChildrenNumber(ROOTS.tasks),
          zk.getAllChildrenNumber(ROOTS.assign),
          zk.getChildren(ROOTS.assign),
        ]);
        const left = tasks - BUCKET_COUNT + (assign - folders.length);
        stages.at(1 - left / settings.newTasks);
        return left === 0;
      },
      { timeoutMs: 600_000, intervalMs: 100 },
    );
    const tasksDoneAt = Date.now();
    let lastFinish = 0;
    let done = 0;
    await runClosedLoop(
      ids.length,
      64,
      async (i) => {
        const v = await client.get(ids[i]);
        if (v.state === 'done') done++;
        lastFinish = Math.max(lastFinish, v.finishedAt ?? v.updatedAt);
      },
      () => undefined,
    );
    const newTasksPerSec = settings.newTasks / ((lastFinish - submittedAt) / 1000);
    // The window kept by notifications while the new tasks ran must page as the server does.
    const pageIds = async (c: TaskQueueClient) =>
      (await c.list({ state: 'done', limit: 100 })).items.map((v) => v.id).join();
    const listAfterMs = await timed(TIMING_ROUNDS, newestDone);
    const windowRight = (await pageIds(client)) === (await pageIds(cold));

    stages.stage('retention: the next pass', 8);
    const afterNext = await waitFor(
      'the next pass to prune back to the limit',
      async () => {
        const pass = retentionPasses(master!.log).find((p) => p.endedAt >= tasksDoneAt);
        if (!pass) return undefined;
        const { finished } = await client.counts();
        return finished <= maxCount ? { finished, pass } : undefined;
      },
      { timeoutMs: 3 * settings.intervalMs + 300_000, intervalMs: 250 },
    );
    const nextPassMs = Date.now() - tasksDoneAt;
    client.close();
    cold.close();

    // A crash and a restart holding the records: from the new process's spawn to a record read.
    stages.stage(`retention: restart holding ${thousands(afterNext.finished)} records`, 10);
    await Promise.all(roles.map((r) => r.stop()));
    await master.stop();
    await connection.close();
    connection = undefined;
    const restart = await timedRestart(coordinator, seed.newestId);

    const passes = retentionPasses(master.log);
    const prunedSinceSubmit = passes
      .filter((p) => p.endedAt >= submittedAt)
      .reduce((n, p) => n + p.pruned, 0);
    const problems = masterProblems(master.log);
    const rows: ScaleRow[] = [
      {
        part: 'retention',
        metric: `seeding ${thousands(seed.records)} done records (${seed.recordBytes} bytes each, multis of ${settings.seedPerMulti}, ${settings.seedInFlight} in flight)`,
        value: `${thousands(Math.round(seed.recordsPerSec))} records/s (${secs(seed.ms)})`,
      },
      {
        part: 'retention',
        metric: `retention (maxCount ${thousands(maxCount)}, every ${secs(settings.intervalMs)}): ${thousands(settings.records)} pruned to the limit`,
        value: `${thousands(afterPrune)} left after ${secs(pruneMs)} (the pass itself ${secs(firstPass?.ms ?? NaN)}, ${thousands(firstPass?.pruned ?? 0)} pruned)`,
        target: `<= ${thousands(maxCount)}`,
        met: afterPrune <= maxCount,
      },
      {
        part: 'retention',
        metric: `coordinator RSS with ${thousands(afterPrune)} records (${thousands(settings.records)} before retention)`,
        value: `${round(rssRetainedMB, 0)} MB (${round(rssSeededMB, 0)} MB)`,
        target: '<= 400 MB',
        met: rssRetainedMB <= 400,
      },
      {
        part: 'retention',
        metric: `counts() / get(id) / get(pruned id) at ${thousands(afterPrune)} records, median of ${TIMING_ROUNDS}`,
        value: `${ms(median(countsMs))} / ${ms(median(getMs))} / ${ms(median(getMissMs))}`,
      },
      {
        part: 'retention',
        metric: `list({state: 'done', limit: 100}) at ${thousands(afterPrune)} records, median of ${TIMING_ROUNDS}: list cache warm (the first list, which builds it; listing the server every time)`,
        value: `${ms(median(listMs))} (${ms(firstListMs)}; ${ms(median(coldListMs))})`,
        target: '<= 50 ms',
        met: median(listMs) <= 50,
      },
      {
        part: 'retention',
        metric: `the same list after the new tasks ran, the cache kept by notifications, median of ${TIMING_ROUNDS}`,
        value: `${ms(median(listAfterMs))}, ${windowRight ? 'the same page' : 'NOT the page'} a server listing gives`,
        target: 'the same page',
        met: windowRight,
      },
      {
        part: 'retention',
        metric: 'CPU while idle: retention passes with nothing to prune (coordinator / master)',
        value: `${round(idleCpuPct.coordinator)}% / ${round(idleCpuPct.master)}% of a core`,
      },
      {
        part: 'retention',
        metric: `${thousands(settings.newTasks)} new no-op tasks, ${WORKERS} workers x ${CONCURRENCY}, on top of the records`,
        value: `${round(newTasksPerSec, 0)} tasks/s, ${thousands(done)} of ${thousands(ids.length)} done`,
        target: `all ${thousands(settings.newTasks)} done`,
        met: done === settings.newTasks,
      },
      {
        part: 'retention',
        metric: 'records after the next retention pass',
        value: `${thousands(afterNext.finished)} (${thousands(prunedSinceSubmit)} pruned by the passes since the submit; back at the limit ${secs(nextPassMs)} after the tasks finished)`,
        target: `<= ${thousands(maxCount)}`,
        met: afterNext.finished <= maxCount,
      },
      {
        part: 'retention',
        metric: `coordinator restart after kill -9 with ${thousands(afterNext.finished)} records: spawn to serving / to a record read`,
        value: `${secs(restart.servingMs)} / ${secs(restart.readMs)} (RSS after ${round(restart.rssMB, 0)} MB)`,
        target: '<= 5 s',
        met: restart.readMs <= 5000,
      },
    ];
    stages.done('retention: done');
    return {
      part: 'retention',
      rows,
      seconds: (Date.now() - started) / 1000,
      raw: {
        settings,
        seed,
        coordinator: { rssSeededMB, rssRetainedMB, idleCpuPct, idleSpanMs },
        prune: { msAfterMasterReady: pruneMs, left: afterPrune },
        readsMs: {
          counts: countsMs,
          get: getMs,
          getPruned: getMissMs,
          listDone100: listMs,
          listDone100Cold: coldListMs,
          listDone100First: firstListMs,
          listDone100AfterNewTasks: listAfterMs,
        },
        newTasks: {
          tasks: ids.length,
          done,
          tasksPerSec: newTasksPerSec,
          submitToLastFinishMs: lastFinish - submittedAt,
        },
        nextPass: { finished: afterNext.finished, msAfterTasksDone: nextPassMs },
        restart,
        passes,
        masterProblems: problems,
      },
    };
  } finally {
    await Promise.all(roles.map((r) => r.stop()));
    await master?.stop();
    await connection?.close();
    await coordinator.stop();
  }
}

/**
 * kill -9 of the coordinator, then the same one started again on its dataDir: ms from the
 * spawn until it answers ruok, and until a new session reads `id`'s record.
 */
async function timedRestart(
  coordinator: CoordinatorApp,
  id: string,
): Promise<{ servingMs: number; readMs: number; rssMB: number }> {
  const spawnedAt = Date.now();
  const servingMs = await coordinator.restart();
  const connection = new ZooKeeperConnection({
    connectString: coordinator.connectString,
    sessionTimeoutMs: SESSION_TIMEOUT_MS,
  });
  try {
    await connection.connect();
    const client = new TaskQueueClient({ connection });
    const view = await client.get(id);
    if (view.state !== 'done') throw new Error(`${id} is ${view.state} after the restart`);
    const readMs = Date.now() - spawnedAt;
    client.close();
    return { servingMs, readMs, rssMB: coordinator.rssMB() };
  } finally {
    await connection.close();
  }
}
