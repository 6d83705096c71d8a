import { markdownTable } from '../common/table';
import { lineChartSvg } from './line-chart';
import { BacklogSeries, PartResult, ScaleRow } from './scale-types';

/** The one table of the run: every part's rows, with its target and whether it was met. */
export function scaleTable(rows: ScaleRow[]): string {
  const met = (r: ScaleRow) => (r.met === undefined ? '' : r.met ? 'met' : 'MISSED');
  return markdownTable(
    ['part', 'metric', 'value', 'target', 'met'],
    rows.map((r) => [r.part, r.metric, r.value, r.target ?? '', met(r)]),
  );
}

function backlogSeries(parts: PartResult[]): BacklogSeries | undefined {
  const raw = parts.find((p) => p.part === 'backlog')?.raw as { series?: BacklogSeries };
  return raw?.series;
}

const esc = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * The run as one SVG: the backlog part's master RSS and queue progress over time (when that
 * part ran), then every row with a target as met / missed.
 */
export function scaleSvg(parts: PartResult[]): string {
  const width = 800;
  const body: string[] = [];
  let y = 10;
  const series = backlogSeries(parts);
  if (series) {
    const marks = series.events;
    body.push(
      lineChartSvg(
        {
          title: 'Backlog: master RSS over time, every 200 ms',
          yUnit: 'MB',
          series: Object.entries(series.rssMB).map(([label, points]) => ({ label, points })),
          limit: { value: 256, label: 'target 256 MB' },
          marks,
        },
        20,
        y,
      ),
    );
    y += 270;
    body.push(
      lineChartSvg(
        {
          title: 'Backlog: tasks submitted and completed over time',
          yUnit: 'tasks',
          series: [
            { label: 'submitted', points: series.submitted },
            { label: 'completed', points: series.completed },
          ],
          marks,
        },
        20,
        y,
      ),
    );
    y += 270;
  }
  const targeted = parts.flatMap((p) => p.rows).filter((r) => r.target !== undefined);
  body.push(`<text x="20" y="${y + 16}" font-size="14" font-weight="bold">Targets</text>`);
  y += 26;
  for (const r of targeted) {
    const colour = r.met ? '#2f855a' : '#c00';
    body.push(
      `<text x="20" y="${y + 14}" font-size="12"><tspan fill="${colour}" font-weight="bold">${r.met ? 'met' : 'MISSED'}</tspan> ${esc(`${r.part}: ${r.metric} = ${r.value} (target ${r.target})`)}</text>`,
    );
    y += 18;
  }
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${y + 20}" font-family="sans-serif" font-size="13">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    ...body,
    '</svg>',
    '',
  ].join('\n');
}
