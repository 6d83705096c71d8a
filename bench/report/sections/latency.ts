/** Latency at a fixed offered load against BullMQ on Redis, both measured in the same run. */
import type { LatencyRow } from '../../latency/summary';
import {
  STEPS_NOTE,
  bullmqAt,
  latencyNote,
  latencyTable,
  rateVerdicts,
  stepsTable,
  withRatios,
} from '../../latency/table';
import { commandLine } from '../command';
import { num } from '../format';
import { readResult } from '../results';
import type { ReportContext, Section, TargetRow } from '../types';
import { notRunSection } from './not-run';

const TITLE = 'Latency at fixed offered load';
const FILE = 'latency.json';
const OUT = `bench/results/${FILE}`;
const AREA = 'latency vs BullMQ';
/** A percentile of no tasks is null in the JSON. */
const ms = (n: number | null) => (typeof n === 'number' ? num(n) : '-');
const TARGET = "submit -> done p99 <= BullMQ's at each offered rate Shepherd sustains";

interface LatencyJson {
  args: { duration: number; warmup: number; workers: number; concurrency: number } & Record<
    string,
    unknown
  >;
  rows: LatencyRow[];
}

/**
 * One row per Shepherd peer: met when it sustains at least one rate and, at every rate it
 * sustains, its done p99 is no worse than BullMQ's (a rate it does not sustain is listed, not
 * judged: above what it sustains its latency is its backlog).
 */
function targetsOf(rows: LatencyRow[], command: string): TargetRow[] {
  const verdicts = rateVerdicts(rows);
  const peers = [...new Set(verdicts.map((v) => v.label))];
  return peers.map((label) => {
    const mine = verdicts.filter((v) => v.label === label);
    const judged = mine.filter((v) => v.verdict === 'met' || v.verdict === 'missed');
    const measured = mine
      .map((v) => {
        const row = rows.find((r) => r.label === label && r.rate === v.rate)!;
        const bull = bullmqAt(rows, v.rate);
        const at = `${num(v.rate)}/s`;
        if (v.verdict === 'not sustained')
          return `${at}: not sustained (${num(row.achievedPerSec)}/s)`;
        if (!bull) return `${at}: no BullMQ row`;
        return `${at}: ${ms(row.doneMs.p99)} vs ${ms(bull.doneMs.p99)} ms`;
      })
      .join('; ');
    const noBull = mine.every((v) => v.verdict === 'no BullMQ row');
    return {
      area: AREA,
      target: `${label}: ${TARGET}`,
      measured,
      status: noBull
        ? 'not run yet'
        : judged.length > 0 && judged.every((v) => v.verdict === 'met')
          ? 'met'
          : 'missed',
      command,
    };
  });
}

export function latencySection(ctx: ReportContext): Section {
  const r = readResult<LatencyJson>(ctx.resultsDir, FILE);
  if (!r)
    return notRunSection(TITLE, FILE, 'npm run bench:latency', [
      { area: AREA, target: `Shepherd: ${TARGET}` },
    ]);
  const { args } = r.data;
  // Ratios recomputed from the rows, so a hand-trimmed file cannot show a stale one.
  const rows = withRatios(r.data.rows);
  const command = commandLine('bench:latency', args, { defaultOut: OUT });
  const verdicts = rateVerdicts(rows);
  const markdown = [
    latencyNote(args),
    latencyTable(rows),
    verdicts.length > 0
      ? `Target, at each rate Shepherd sustains: done p99 no worse than BullMQ's.\n\n` +
        verdicts.map((v) => `- ${v.line}`).join('\n')
      : '',
    STEPS_NOTE,
    stepsTable(rows),
    `Command: \`${command}\``,
  ].filter(Boolean);
  return {
    title: TITLE,
    markdown: markdown.join('\n\n'),
    targets: targetsOf(rows, command),
    sources: [r.source],
  };
}
