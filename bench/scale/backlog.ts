/**
 * Scale, backlog: N queued no-op tasks (100,000) on the embedded coordinator app, two master app
 * processes and, once everything is queued, two worker processes (concurrency 64). Measures the
 * submit rate, the masters' RSS all along (VmRSS every 200 ms), the drain rate, and the backup's
 * takeover after a kill -9 of the leader while most of the backlog is still queued; then checks
 * that every task ran exactly once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProgressBar } from '../common/progress';
import { waitFor } from '../../test/support/wait-for';
import { auditExecutions } from './exactly-once';
import { BacklogCluster, MASTER_SESSION_TIMEOUT_MS, TICK_TIME_MS } from './backlog-cluster';
import { backlogRows } from './backlog-rows';
import { BacklogProgress } from './backlog-progress';
import { RssSampler } from './rss-sampler';
import { BacklogSeries, PART_BAR_STEPS, PartResult, ScaleArgs } from './scale-types';
import { submitBacklog } from './submit-backlog';
import { entryTimes, readTasks } from './task-times';
import { logOffset, measureTakeover } from './takeover';

const WORKERS = 2;
const CONCURRENCY = 64;
/** The leader is killed once this share of the backlog is done: most of it is still queued. */
const KILL_AT_DONE = 0.1;
/** The queued phase lasts this long after the last submit, so the leader's peak is seen. */
const HOLD_QUEUED_MS = 5000;
/** Share of the progress bar for submitting; the rest is the drain. */
const SUBMIT_SHARE = 0.4;

export async function runBacklog(args: ScaleArgs, bar: ProgressBar): Promise<PartResult> {
  const started = Date.now();
  const n = args.tasks;
  const workDir = mkdtempSync(join(tmpdir(), 'shepherd-bench-scale-'));
  const execLog = join(workDir, 'executions.log');
  const cluster = new BacklogCluster();
  const progress = new BacklogProgress(bar, PART_BAR_STEPS);
  // Generous: a busy 2-core machine drains at 1,000 tasks/s or more.
  const drainTimeoutMs = Math.max(300_000, n * 10);
  let sampler: RssSampler | undefined;
  try {
    const client = await cluster.start();
    const a = await cluster.startMaster('master-a');
    await waitFor('master-a to lead', async () => (await client.masters()).leader === a.id);
    const b = await cluster.startMaster('master-b');
    await waitFor('master-b to stand by', async () =>
      (await client.masters()).candidates.some((c) => c.id === b.id),
    );
    const t0 = Date.now();
    const at = (epochMs: number) => epochMs - t0;
    // 2. Both masters' RSS, from here to the end (the victim's series ends at its kill).
    sampler = new RssSampler(
      new Map([
        [a.id, a.child.pid],
        [b.id, b.child.pid],
      ]),
      t0,
    );
    progress.watch(client, t0, [a, b]);
    const events: BacklogSeries['events'] = [];

    // 1. The backlog, with no worker to take any of it.
    const submit = await submitBacklog(client, n, (done) => {
      progress.submitted(done);
      progress.to((done / n) * SUBMIT_SHARE, `backlog: submitted ${done}/${n}`);
    });
    events.push({ t: at(submit.endedAt), label: 'all submitted' });
    await new Promise((r) => setTimeout(r, HOLD_QUEUED_MS));

    // 3. Workers drain it.
    const workersAt = Date.now();
    await cluster.startWorkers(WORKERS, CONCURRENCY, execLog);
    const workersReady = Date.now();
    events.push({ t: at(workersReady), label: 'workers ready' });
    progress.onCompleted((done) =>
      progress.to(SUBMIT_SHARE + (done / n) * (1 - SUBMIT_SHARE), `backlog: done ${done}/${n}`),
    );

    // 4. kill -9 of the leader with most of the backlog still queued.
    await waitFor(
      'the first tenth of the backlog to be done',
      () => (progress.completed >= n * KILL_AT_DONE ? true : undefined),
      { timeoutMs: drainTimeoutMs, intervalMs: 50 },
    );
    const doneAtKill = progress.completed;
    const execOffset = logOffset(execLog);
    const killedAt = Date.now();
    process.kill(a.child.pid, 'SIGKILL');
    await a.child.exited;
    events.push({ t: at(killedAt), label: `${a.id} kill -9` });
    const takeover = await measureTakeover(
      client,
      b,
      killedAt,
      execLog,
      execOffset,
      Math.min(600, n - doneAtKill),
      drainTimeoutMs,
    );
    events.push({ t: at(takeover.electedAt), label: `${b.id} elected` });

    // 5. Drain to the end, then count.
    await waitFor(
      'the whole backlog to be done',
      () => (progress.completed >= n ? true : undefined),
      { timeoutMs: drainTimeoutMs, intervalMs: 100 },
    );
    const counts = await client.counts();
    const edge = Math.min(500, n);
    const [first, last] = await Promise.all([
      readTasks(client, submit.ids.slice(0, edge)),
      readTasks(client, submit.ids.slice(-edge)),
    ]);
    const firstDoneAt = Math.min(...entryTimes(first, 'completed'));
    const lastDoneAt = Math.max(...entryTimes(last, 'completed'));
    sampler.stop();
    await progress.stop();
    const audit = auditExecutions(execLog, submit.ids);
    const measured = {
      tasks: n,
      workers: WORKERS,
      concurrency: CONCURRENCY,
      masterSessionTimeoutMs: MASTER_SESSION_TIMEOUT_MS,
      tickTimeMs: TICK_TIME_MS,
      submit: { startedAt: submit.startedAt, endedAt: submit.endedAt },
      workersAt,
      workersReady,
      doneAtKill,
      takeover,
      firstDoneAt,
      lastDoneAt,
      counts,
      audit: {
        once: audit.once,
        never: audit.never.length,
        repeated: audit.repeated.slice(0, 20),
        strangers: audit.strangers.length,
      },
      rss: {
        leaderIdle: sampler.series.get(a.id)![0]?.v ?? 0,
        leaderQueued: sampler.peak(a.id, at(submit.startedAt), at(workersAt)),
        leaderDraining: sampler.peak(a.id, at(workersAt), at(killedAt)),
        newLeaderDraining: sampler.peak(b.id, at(takeover.electedAt)),
        backupStandingBy: sampler.peak(b.id, 0, at(takeover.electedAt)),
        backupIdle: sampler.series.get(b.id)![0]?.v ?? 0,
      },
    };
    const series: BacklogSeries = {
      rssMB: {
        [`${a.id} (first leader)`]: sampler.series.get(a.id)!,
        [`${b.id} (backup, then leader)`]: sampler.series.get(b.id)!,
      },
      submitted: progress.submittedSeries,
      completed: progress.completedSeries,
      events,
    };
    const result: PartResult = {
      part: 'backlog',
      rows: backlogRows(measured),
      raw: { ...measured, series },
      seconds: Math.round((Date.now() - started) / 100) / 10,
    };
    const wrong = audit.never.length + audit.repeated.length + audit.strangers.length;
    if (wrong > 0 || counts.finished !== n || counts.dead !== 0)
      throw new Error(
        `backlog: not every task completed exactly once: ${JSON.stringify(measured.audit)}, ` +
          `counts ${JSON.stringify(counts)}`,
      );
    return result;
  } finally {
    sampler?.stop();
    await progress.stop();
    await cluster.stop();
    rmSync(workDir, { recursive: true, force: true });
  }
}
