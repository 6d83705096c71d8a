/** What priorities, queue limits and groups cost plain throughput, BullMQ in the same run. */
import { FeatureRow, featuresNote, featuresTable } from '../../features/table';
import { commandLine } from '../command';
import { num, ratio, status } from '../format';
import { readResult } from '../results';
import type { ReportContext, Section, TargetRow } from '../types';
import { notRunSection } from './not-run';

const TITLE = 'Priorities, limits and groups against plain throughput';
const FILE = 'features.json';
const OUT = `bench/results/${FILE}`;
const AREA = 'features vs plain';
const FEATURES = ['priorities', 'limits', 'groups', 'all'];
const TARGET = (v: string) =>
  `${v === 'all' ? 'priorities + limits + groups' : v}: tasks/s >= 0.90 of Shepherd plain's`;

interface FeaturesJson {
  args: {
    tasks: number;
    workers: number;
    concurrency: number;
    rounds: number;
    groups: number;
    variants: string[];
  } & Record<string, unknown>;
  targetRatio: number;
  rows: FeatureRow[];
}

export function featuresSection(ctx: ReportContext): Section {
  const r = readResult<FeaturesJson>(ctx.resultsDir, FILE);
  if (!r)
    return notRunSection(
      TITLE,
      FILE,
      'npm run bench:features',
      FEATURES.map((v) => ({ area: AREA, target: TARGET(v) })),
    );
  const { args, rows, targetRatio } = r.data;
  const command = commandLine('bench:features', args, {
    defaultOut: OUT,
    placeholders: { cpuProf: 'DIR' },
  });
  const targets: TargetRow[] = FEATURES.map((v) => {
    const row = rows.find((x) => x.variant === v);
    const measured = row?.vsPlain;
    return {
      area: AREA,
      target: TARGET(v),
      measured:
        typeof measured === 'number'
          ? `${ratio(measured)} (${num(row!.tasksPerSec)} tasks/s)`
          : 'not in the run',
      status: typeof measured === 'number' ? status(measured >= targetRatio) : 'not run yet',
      command,
    };
  });
  const groups = rows.find((x) => x.variant === 'groups');
  const markdown = [
    featuresNote(args),
    featuresTable(rows),
    groups?.assignedPerSec != null
      ? `Assignment throughput with ${num(args.groups)} distinct groups: ` +
        `${num(groups.assignedPerSec)} assignments/s (${num(groups.tasksPerSec)} tasks/s end ` +
        `to end).`
      : '',
    'Where the variants spend their time (CPU profiles of the master) and what was changed ' +
      'for it: README, Benchmarks, "Priorities, limits and groups". The tasks/s ratios move ' +
      'by up to 2x between rounds on a shared machine; the CPU per task is the steadier figure.',
    `Command: \`${command}\``,
  ].filter(Boolean);
  return { title: TITLE, markdown: markdown.join('\n\n'), targets, sources: [r.source] };
}
