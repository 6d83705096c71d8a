/**
 * The chaos suite: `npm run test:chaos -- [--tasks N] [--faults F] [--seed S] [--rate R]
 * [--target embedded|ensemble|both] [--workers W] [--short] [--out FILE]`; --short is the CI form
 * (300 tasks, 8 faults); --out writes the results as JSON, for the benchmark report. Starts a
 * real cluster of separate processes, submits tasks at a steady rate, injects faults on a seeded
 * schedule, then checks the invariants over the final state and every event. Exits non-zero on
 * any violation.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { machineInfo } from '../../bench/common/machine';
import { ChaosResult, runChaos } from './chaos-run';

function flags(argv: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) throw new Error(`unexpected argument ${a}`);
    const [k, v] = a.slice(2).split('=', 2);
    if (v !== undefined) out[k] = v;
    else if (argv[i + 1] === undefined || argv[i + 1].startsWith('--')) out[k] = 'true';
    else out[k] = argv[++i];
  }
  return out;
}

function num(f: Record<string, string>, key: string, fallback: number): number {
  if (f[key] === undefined) return fallback;
  const n = Number(f[key]);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${key} must be a positive number`);
  return n;
}

function print(r: ChaosResult): void {
  const kinds = Object.entries(r.faultsByKind)
    .map(([k, n]) => `${k}=${n}`)
    .join(' ');
  process.stdout.write(
    [
      `chaos on ${r.target} (seed ${r.seed}, ${(r.durationMs / 1000).toFixed(1)} s)`,
      `  tasks: ${r.tasks}  terminal: ${r.terminal}  faults injected: ${r.faultsInjected} (${kinds}; ${r.faultsUnderLoad} with tasks in flight)`,
      `  lost: ${r.lost}  duplicated: ${r.duplicated}  zombie writes landed: ${r.zombieWritesLanded}` +
        ` (attempted: ${r.zombieWritesAttempted})  history mismatches: ${r.historyMismatches}` +
        `  unknown tasks: ${r.unknownTasks}`,
      `  scheduled tasks: ${r.scheduled ?? 0}  flows: ${r.flows ?? 0}  executions logged: ${r.executions}  events seen: ${r.eventsSeen}  submit retries: ${r.submitRetries}`,
      ...r.violations.map((v) => `  VIOLATION ${v}`),
      '',
    ].join('\n'),
  );
}

async function main(): Promise<number> {
  const f = flags(process.argv.slice(2));
  // --short: the CI form, the same fault kinds on a smaller run (explicit flags still win).
  const short = f.short !== undefined;
  if (short) {
    delete f.short;
    f.tasks ??= '300';
    f.faults ??= '8';
    f.rate ??= '6';
  }
  if (f.out === 'true') throw new Error('--out needs a file name');
  const target = f.target ?? 'embedded';
  if (!['embedded', 'ensemble', 'both'].includes(target))
    throw new Error('--target must be embedded, ensemble or both');
  const targets =
    target === 'both'
      ? (['embedded', 'ensemble'] as const)
      : ([target] as ('embedded' | 'ensemble')[]);
  const args = {
    short,
    target,
    tasks: num(f, 'tasks', 20000),
    faults: num(f, 'faults', 30),
    seed: num(f, 'seed', 1),
    rate: num(f, 'rate', 200),
    workers: num(f, 'workers', 3),
  };
  let failed = false;
  const results: ChaosResult[] = [];
  for (const t of targets) {
    const result = await runChaos({ ...args, target: t });
    print(result);
    results.push(result);
    if (
      result.violations.length > 0 ||
      result.lost + result.duplicated + result.zombieWritesLanded > 0
    )
      failed = true;
  }
  process.stdout.write(failed ? 'chaos: VIOLATIONS FOUND\n' : 'chaos: all invariants hold\n');
  if (f.out !== undefined) {
    const when = new Date().toISOString();
    const json = { args, when, machine: machineInfo(), passed: !failed, results };
    mkdirSync(dirname(f.out), { recursive: true });
    writeFileSync(f.out, JSON.stringify(json, null, 2) + '\n');
    process.stdout.write(`wrote ${f.out}\n`);
  }
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(2);
  },
);
