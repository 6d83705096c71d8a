/** Where each process's CPU time goes in the end-to-end run: the profiles issue 14 starts from. */
import type { ProfileReport } from '../../throughput/profiles';
import { markdownTable } from '../../common/table';
import { commandLine } from '../command';
import { readResult } from '../results';
import type { ReportContext, Section } from '../types';

const TITLE = 'Where the time goes, per process (CPU profiles of the end-to-end run)';
const FILE = 'throughput-profiled.json';
/** The same run on the code issue 14 started from, kept to compare against. */
const BEFORE = 'throughput-profiled-before.json';
const OUT = `bench/results/${FILE}`;

interface ProfiledJson {
  args: Record<string, unknown>;
  when?: string;
  rows: { peer: string; mode: string; tasksPerSec: number; cpu: string }[];
  profiles?: ProfileReport;
}

const list = (items: [string, number][], n: number) =>
  items
    .slice(0, n)
    .map(([k, p]) => `${k} ${p}%`)
    .join(', ');

/** One run's processes as a table, and its throughput line. */
function profileTable(run: ProfiledJson): string {
  const rows: string[][] = [];
  for (const [peer, roles] of Object.entries(run.profiles ?? {}))
    for (const [role, b] of Object.entries(roles))
      rows.push([
        `${peer} ${role}`,
        String(b.busyMs),
        list(b.kinds, 6),
        b.files.length > 0 ? list(b.files, 4) : '-',
      ]);
  const line = run.rows
    .map((x) => `${x.peer} ${Math.round(x.tasksPerSec)} tasks/s (CPU µs per task: ${x.cpu})`)
    .join('; ');
  return (
    markdownTable(['process', 'busy ms', 'by kind of work', 'top files of ours'], rows) +
    `\n\nThe run: ${line}.`
  );
}

export function throughputProfileSection(ctx: ReportContext): Section {
  const r = readResult<ProfiledJson>(ctx.resultsDir, FILE);
  const script = 'bench:throughput';
  if (!r?.data.profiles)
    return {
      title: TITLE,
      markdown:
        `Not run yet: \`npm run ${script} -- --tasks 20000 --rounds 1 --peers embedded,bullmq ` +
        `--modes lib --cpu-prof DIR --out ${OUT}\``,
      targets: [],
      sources: [],
    };
  const command = commandLine(script, r.data.args, { placeholders: { cpuProf: 'DIR' } });
  const before = readResult<ProfiledJson>(ctx.resultsDir, BEFORE);
  const markdown = [
    'Each process of one profiled run (`node --cpu-prof`, warm-up and the measured round ' +
      'together; start-up, up to the last sample of module loading and compiling, and idle ' +
      'time left out): its busy time and the share of it by kind of work (system calls, ' +
      "garbage collection, JSON, each of our libraries, dependencies, Node's own JavaScript), " +
      'then the files of ours that took most. Summed by `bench/common/profile-breakdown.ts`, ' +
      'which also reads a single profile. Profiling slows every process, so the tasks/s here ' +
      'are below the unprofiled runs above.',
    ...(before?.data.profiles
      ? [
          `**Before** (the code issue 14 started from, ${before.data.when ?? 'earlier'}):`,
          profileTable(before.data),
          `**After** (${r.data.when ?? 'this run'}):`,
        ]
      : []),
    profileTable(r.data),
    `Command: \`${command}\``,
  ];
  return {
    title: TITLE,
    markdown: markdown.join('\n\n'),
    targets: [],
    sources: before ? [before.source, r.source] : [r.source],
    commands: [command],
  };
}
