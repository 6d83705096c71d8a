/** The task queue at the sizes the issue names: backlog, live sessions, retention. */
import { scaleTable } from '../../scale/report';
import type { PartName, PartResult, ScaleRow } from '../../scale/scale-types';
import { copyChart } from '../charts';
import { commandLine } from '../command';
import { countOf } from '../format';
import { readResult } from '../results';
import type { ReportContext, Section, TargetRow } from '../types';
import { notRunSection } from './not-run';

const TITLE = 'Scale';
const OUT = 'bench/results/scale.json';
const AREA = 'scale';

interface ScaleJson {
  args: Record<string, unknown>;
  parts: PartResult[];
}

/** The issue's scale targets by part, listed as not run for a part the run left out. */
const ISSUE_TARGETS: { part: PartName; target: string }[] = [
  { part: 'backlog', target: 'master RSS <= 256 MB with 100,000 tasks queued' },
  { part: 'backlog', target: 'a new leader takes over <= 2 s after its election' },
  { part: 'sessions', target: '500 live worker sessions' },
  { part: 'retention', target: '1,000,000 completed records under retention' },
];

export function scaleSection(ctx: ReportContext): Section {
  const r = readResult<ScaleJson>(ctx.resultsDir, 'scale.json');
  if (!r)
    return notRunSection(
      TITLE,
      'scale.json',
      'npm run bench:scale',
      ISSUE_TARGETS.map(({ target }) => ({ area: AREA, target })),
    );
  const command = commandLine('bench:scale', r.data.args, { defaultOut: OUT });
  const rows: ScaleRow[] = r.data.parts.flatMap((p) => p.rows);
  const withTarget = rows.filter((x) => x.target !== undefined);
  const met = withTarget.filter((x) => x.met === true).length;
  const missed = withTarget.filter((x) => x.met === false);
  const isQuick = r.data.args.quick === true;
  const targets: TargetRow[] = withTarget.map((x) => ({
    area: AREA,
    target: `${x.part}: ${x.metric} ${x.target}`,
    // A --quick run is smaller than the issue asks: its verdicts must not pass for the real one.
    measured: isQuick ? `${x.value} (--quick run)` : x.value,
    status: x.met ? 'met' : 'missed',
    command,
  }));
  const ran = new Set(r.data.parts.map((p) => p.part));
  for (const t of ISSUE_TARGETS.filter((x) => !ran.has(x.part)))
    targets.push({
      area: AREA,
      target: `${t.part}: ${t.target}`,
      measured: '-',
      status: 'not run yet',
      command: `npm run bench:scale -- --parts ${t.part}`,
    });
  const quick = isQuick ? ' This was a `--quick` run, smaller than the issue asks.' : '';
  const markdown = [
    `Real processes (the embedded coordinator app, master and worker apps) at the sizes the ` +
      `issue names, one part at a time (${r.data.parts.map((p) => p.part).join(', ')}).${quick}`,
    scaleTable(rows),
    `${countOf(met, withTarget.length)} targets met` +
      (missed.length > 0
        ? `; missed: ${missed.map((x) => `${x.part} ${x.metric} (${x.value})`).join('; ')}.`
        : '.'),
    copyChart(ctx, 'scale.svg', 'scale benchmark') ?? '',
    `Command: \`${command}\``,
  ];
  return {
    title: TITLE,
    markdown: markdown.filter(Boolean).join('\n\n'),
    targets,
    sources: [r.source],
  };
}
