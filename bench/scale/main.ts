/**
 * The scale benchmark: the task queue at the sizes the issue names, each part with real
 * processes (the embedded coordinator app, master and worker apps):
 *   backlog   - 100,000 queued tasks: submit and drain rates, master RSS, a new leader's takeover
 *   sessions  - 500 live worker sessions
 *   retention - 1,000,000 completed records under retention
 *
 *   npm run bench:scale [-- --parts backlog,sessions,retention --tasks 100000 --quick
 *                           --seed 1 --out bench/results/scale.json]
 *
 * Prints one table (part, metric, value, target, met) and writes the JSON plus an SVG beside it.
 */
import { loadavg } from 'node:os';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { machineInfo } from '../common/machine';
import { ProgressBar } from '../common/progress';
import { scaleSvg, scaleTable } from './report';
import { PART_BAR_STEPS, PART_NAMES, PartName, PartResult, ScaleArgs } from './scale-types';

type PartRunner = (args: ScaleArgs, bar: ProgressBar) => Promise<PartResult>;

/** Loaded on demand, so a run of some parts does not need the others' files to load. */
const RUNNERS: Record<PartName, () => Promise<PartRunner>> = {
  backlog: async () => (await import('./backlog')).runBacklog,
  sessions: async () => (await import('./sessions')).runSessions,
  retention: async () => (await import('./retention')).runRetention,
};

function parseArgs(argv: string[]): ScaleArgs {
  let tasks: number | undefined;
  const args: ScaleArgs = {
    quick: false,
    seed: 1,
    parts: [...PART_NAMES],
    tasks: 0,
    out: 'bench/results/scale.json',
  };
  const setters: Record<string, (v: string) => void> = {
    '--parts': (v) => (args.parts = v.split(',').map((p) => p.trim()) as PartName[]),
    '--tasks': (v) => (tasks = Number(v)),
    '--seed': (v) => (args.seed = Number(v)),
    '--out': (v) => (args.out = v),
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === '--quick') args.quick = true;
    else if (setters[flag] && i + 1 < argv.length) setters[flag](argv[++i]);
    else throw new Error(`unknown flag or missing value: ${flag}`);
  }
  const unknown = args.parts.filter((p) => !PART_NAMES.includes(p));
  if (unknown.length > 0 || args.parts.length === 0)
    throw new Error(`--parts: a comma-separated subset of ${PART_NAMES.join(',')}`);
  args.tasks = tasks ?? (args.quick ? 10_000 : 100_000);
  if (!(args.tasks > 0) || !Number.isInteger(args.tasks) || !Number.isInteger(args.seed))
    throw new Error('--tasks and --seed: integers (tasks positive)');
  return args;
}

function failedPart(part: PartName, err: unknown, started: number): PartResult {
  const message = err instanceof Error ? err.message : String(err);
  return {
    part,
    rows: [
      {
        part,
        metric: 'run',
        value: `failed: ${message.split('\n')[0]}`,
        target: 'completes',
        met: false,
      },
    ],
    raw: { error: err instanceof Error ? err.stack : message },
    seconds: Math.round((Date.now() - started) / 100) / 10,
  };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  // Taken before the run: its load average says how busy the shared machine was to begin with.
  const machine = machineInfo();
  const parts: PartResult[] = [];
  let failed = false;
  for (const name of args.parts) {
    const run = await RUNNERS[name]();
    const bar = new ProgressBar(PART_BAR_STEPS);
    const started = Date.now();
    try {
      parts.push(await run(args, bar));
    } catch (err) {
      // A failed part is reported as such (and fails the run) without losing the others' figures.
      failed = true;
      process.stderr.write(
        `\nbench:scale ${name} failed: ${(err as Error)?.stack ?? String(err)}\n`,
      );
      parts.push(failedPart(name, err, started));
    } finally {
      bar.finish();
    }
  }
  process.stdout.write(`\n${scaleTable(parts.flatMap((p) => p.rows))}\n`);
  mkdirSync(dirname(args.out), { recursive: true });
  const loadavgAfter = loadavg().map((l) => Math.round(l * 100) / 100);
  const report = { args, when: new Date().toISOString(), machine, loadavgAfter, parts };
  writeFileSync(args.out, JSON.stringify(report, null, 2));
  const svg = args.out.replace(/\.json$/, '') + '.svg';
  writeFileSync(svg, scaleSvg(parts));
  process.stdout.write(`\nwrote ${args.out} and ${svg}\n`);
  const missed = parts.flatMap((p) => p.rows).filter((r) => r.met === false);
  if (missed.length > 0)
    process.stdout.write(
      `targets missed: ${missed.map((r) => `${r.part} ${r.metric}`).join('; ')}\n`,
    );
  if (failed) process.exitCode = 1;
}

main().catch((err) => {
  process.stderr.write(`bench:scale failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
