/**
 * Failure detection and reassignment: the time from `kill -9` of a worker holding tasks to each
 * of those tasks running again on another worker (its `started` history entry), and from
 * `kill -9` of the leading master to the backup assigning again (the first `assigned` entry of
 * tasks submitted right after the kill), over --trials trials each, per session timeout. Every
 * role is its own process (test/support/taskqueue/role-main.ts); the coordinator is the product's
 * apps/coordinator with a tickTime that admits the session timeout; the ensemble is three Apache
 * ZooKeeper 3.8 servers (Debian's).
 *
 *   npm run bench:failover [-- --trials 20 --session-timeout-ms 1000,5000 --tasks-per-worker 4
 *                              --targets embedded,ensemble --scenarios worker,master
 *                              --tick-time-ms N --out FILE]
 *
 * The delays are read from timestamps the roles write into task histories (Date.now() on this
 * machine), so polling does not add to them. Target: p99 <= session timeout + 250 ms. Peers'
 * defaults (BullMQ's 30 s stalled interval, Celery's 1 h visibility timeout) are shown beside.
 */
import { writeFileSync } from 'node:fs';
import { startEnsemble } from '../../test/support/zk-harness';
import { ProgressBar } from '../common/progress';
import { CoordinatorApp } from '../common/coordinator-app';
import { failoverSvg, failoverTable, makeRow, Row, TARGET_SLACK_MS } from './report';
import { masterTrials, workerTrials, TrialSetup } from './trials';
import { writeResultsFile } from '../common/results-file';

type TargetName = 'embedded' | 'ensemble';

interface Args {
  trials: number;
  sessionTimeouts: number[];
  tasksPerWorker: number;
  targets: TargetName[];
  scenarios: ('worker' | 'master')[];
  tickTime?: number;
  out: string;
}

function parseArgs(argv: string[]): Args {
  const args: Args = {
    trials: 20,
    sessionTimeouts: [1000, 5000],
    tasksPerWorker: 4,
    targets: ['embedded'],
    scenarios: ['worker', 'master'],
    out: 'bench/results/failover.json',
  };
  const list = (v: string) => v.split(',').map(Number);
  const setters: Record<string, (v: string) => void> = {
    '--trials': (v) => (args.trials = Number(v)),
    '--session-timeout-ms': (v) => (args.sessionTimeouts = list(v)),
    '--tasks-per-worker': (v) => (args.tasksPerWorker = Number(v)),
    '--targets': (v) => (args.targets = v.split(',') as TargetName[]),
    '--scenarios': (v) => (args.scenarios = v.split(',') as Args['scenarios']),
    '--tick-time-ms': (v) => (args.tickTime = Number(v)),
    '--out': (v) => (args.out = v),
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (setters[flag] && i + 1 < argv.length) setters[flag](argv[++i]);
    else throw new Error(`unknown flag or missing value: ${flag}`);
  }
  const counts = [args.trials, args.tasksPerWorker, ...args.sessionTimeouts, args.tickTime ?? 1];
  if (counts.some((n) => !(n > 0) || !Number.isInteger(n)))
    throw new Error(
      '--trials, --tasks-per-worker, --session-timeout-ms, --tick-time-ms: positive integers',
    );
  if (args.targets.some((t) => t !== 'embedded' && t !== 'ensemble'))
    throw new Error('--targets: embedded, ensemble or both');
  if (args.scenarios.some((s) => s !== 'worker' && s !== 'master'))
    throw new Error('--scenarios: worker, master or both');
  return args;
}

/**
 * The shortest tick that still admits the timeout (at most 20 ticks): sessions expire in tick
 * buckets, so a short tick adds the least. An ensemble also syncs followers in ticks; below
 * 100 ms a busy machine drops followers, so it gets at least that.
 */
function tickFor(target: TargetName, sessionTimeoutMs: number, override?: number): number {
  if (override !== undefined) return override;
  return Math.max(target === 'embedded' ? 50 : 100, Math.ceil(sessionTimeoutMs / 20));
}

async function startTarget(target: TargetName, tickTime: number) {
  if (target === 'embedded') {
    const app = new CoordinatorApp(tickTime);
    await app.start();
    return { connectString: app.connectString, stop: () => app.stop() };
  }
  const ensemble = await startEnsemble(3, { tickTime });
  return { connectString: ensemble.connectString, stop: () => ensemble.stop() };
}

const TARGET_LABEL: Record<TargetName, string> = {
  embedded: 'coordinator',
  ensemble: 'ZooKeeper 3.8 x3',
};

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const bar = new ProgressBar(
    args.targets.length * args.sessionTimeouts.length * args.scenarios.length * args.trials,
  );
  const rows: Row[] = [];
  const samples: number[][] = [];
  const raw: Record<string, unknown>[] = [];
  try {
    for (const target of args.targets) {
      for (const sessionTimeoutMs of args.sessionTimeouts) {
        const tickTime = tickFor(target, sessionTimeoutMs, args.tickTime);
        if (sessionTimeoutMs < 2 * tickTime || sessionTimeoutMs > 20 * tickTime)
          throw new Error(
            `a ${sessionTimeoutMs} ms session needs a tick in [timeout/20, timeout/2]`,
          );
        const server = await startTarget(target, tickTime);
        try {
          const setup: TrialSetup = {
            connectString: server.connectString,
            sessionTimeoutMs,
            trials: args.trials,
            tasksPerWorker: args.tasksPerWorker,
            onTrial: (label) => bar.tick(`${target} ${sessionTimeoutMs} ms ${label}`),
          };
          const label = TARGET_LABEL[target];
          const result: Record<string, unknown> = { target, sessionTimeoutMs, tickTime };
          if (args.scenarios.includes('worker')) {
            const workers = await workerTrials(setup);
            const w = workers.flatMap((t) => t.delaysMs);
            const d = workers.flatMap((t) => t.detectedMs ?? []);
            rows.push(
              makeRow(label, 'worker kill -9', sessionTimeoutMs, tickTime, workers.length, w, d),
            );
            samples.push(w);
            result.workers = workers;
          }
          if (args.scenarios.includes('master')) {
            const masters = await masterTrials(setup);
            const m = masters.flatMap((t) => t.delaysMs);
            rows.push(
              makeRow(label, 'master kill -9', sessionTimeoutMs, tickTime, masters.length, m),
            );
            samples.push(m);
            result.masters = masters;
          }
          raw.push(result);
        } finally {
          await server.stop();
        }
      }
    }
  } finally {
    bar.finish();
  }
  const table = failoverTable(rows);
  process.stdout.write(
    `\nkill -9 to running again: worker = each held task's "started" on another worker; ` +
      `master = the new leader's first "assigned"; ${args.trials} trials per row, ` +
      `${args.tasksPerWorker} tasks per killed worker; target p99 <= session timeout + ` +
      `${TARGET_SLACK_MS} ms; peers' columns are their documented defaults (not measured) and how many ` +
      `times our p99 fits in them\n\n${table}\n`,
  );
  writeResultsFile(args.out, args, { rows, raw });
  const svg = args.out.replace(/\.json$/, '') + '.svg';
  writeFileSync(svg, failoverSvg(rows, samples));
  process.stdout.write(`\nwrote ${args.out} and ${svg}\n`);
}

main().catch((err) => {
  process.stderr.write(
    `bench:failover failed: ${err instanceof Error ? err.stack : String(err)}\n`,
  );
  process.exit(1);
});
