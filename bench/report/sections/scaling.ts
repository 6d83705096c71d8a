/** Throughput as worker processes are added, and with masters standing by, BullMQ beside it. */
import { ScalingRow, scalingNote, scalingSummary, scalingTable } from '../../scaling/table';
import { copyChart } from '../charts';
import { commandLine } from '../command';
import { readResult } from '../results';
import type { ReportContext, Section } from '../types';
import { notRunSection } from './not-run';

const TITLE = 'Scaling with worker processes and standby masters';
const FILE = 'scaling.json';
const OUT = `bench/results/${FILE}`;

interface ScalingJson {
  args: { tasks: number; concurrency: number; rounds: number; batch: number } & Record<
    string,
    unknown
  >;
  machine?: { cpus?: number };
  rows: ScalingRow[];
}

/** No target of its own: the issue asks for the table and the chart, not a threshold. */
export function scalingSection(ctx: ReportContext): Section {
  const r = readResult<ScalingJson>(ctx.resultsDir, FILE);
  if (!r) return notRunSection(TITLE, FILE, 'npm run bench:scaling');
  const { args, rows } = r.data;
  const command = commandLine('bench:scaling', args, { defaultOut: OUT });
  const cpus = r.data.machine?.cpus ?? NaN;
  const markdown = [
    scalingNote(args, cpus),
    scalingTable(rows, cpus),
    scalingSummary(rows).split('\n').join(' '),
    copyChart(ctx, 'scaling.svg', 'tasks/s by worker processes, per peer') ?? '',
    `Command: \`${command}\``,
  ].filter(Boolean);
  return {
    title: TITLE,
    markdown: markdown.join('\n\n'),
    targets: [],
    sources: [r.source],
    commands: [command],
  };
}
