import { median } from '../common/stats';
import { markdownTable } from '../common/table';

/** The slack over the session timeout the issue allows for detection and reassignment. */
export const TARGET_SLACK_MS = 250;

/** Peers' defaults for noticing a dead consumer (documented values, not measured here). */
export const PEER_DEFAULTS = [
  { peer: 'BullMQ', setting: 'stalledInterval', ms: 30_000 },
  { peer: 'Celery (Redis/SQS)', setting: 'visibility_timeout', ms: 3_600_000 },
] as const;

export type Scenario = 'worker kill -9' | 'master kill -9';

export interface Row {
  target: string;
  scenario: Scenario;
  sessionTimeoutMs: number;
  tickTimeMs: number;
  trials: number;
  samples: number;
  medianMs: number;
  p99Ms: number;
  maxMs: number;
  targetMs: number;
  met: boolean;
  /** Worker kill: median of kill -9 to the leader's "reassigned" entry (the loss detected). */
  detectedMedianMs?: number;
}

/** Nearest-rank percentile of plain numbers. */
export function percentileOf(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

export function makeRow(
  target: string,
  scenario: Scenario,
  sessionTimeoutMs: number,
  tickTimeMs: number,
  trials: number,
  samples: number[],
  detected?: number[],
): Row {
  const p99Ms = percentileOf(samples, 99);
  const targetMs = sessionTimeoutMs + TARGET_SLACK_MS;
  return {
    target,
    scenario,
    sessionTimeoutMs,
    tickTimeMs,
    trials,
    samples: samples.length,
    medianMs: median(samples),
    p99Ms,
    maxMs: Math.max(...samples),
    targetMs,
    met: p99Ms <= targetMs,
    ...(detected && detected.length > 0 ? { detectedMedianMs: median(detected) } : {}),
  };
}

export function failoverTable(rows: Row[]): string {
  const [bull, celery] = PEER_DEFAULTS;
  const headers = [
    'target',
    'failure',
    'session timeout ms (tick)',
    'trials / samples',
    'median ms (of which detection)',
    'p99 ms',
    'target p99 ms',
    `${bull.peer} ${bull.setting} (x p99)`,
    `${celery.peer} ${celery.setting} (x p99)`,
  ];
  const times = (peerMs: number, p99: number) =>
    `${peerMs / 1000} s (${(peerMs / p99).toFixed(0)}x)`;
  const cells = rows.map((r) => [
    r.target,
    r.scenario,
    `${r.sessionTimeoutMs} (${r.tickTimeMs})`,
    `${r.trials} / ${r.samples}`,
    r.detectedMedianMs === undefined
      ? r.medianMs.toFixed(0)
      : `${r.medianMs.toFixed(0)} (${r.detectedMedianMs.toFixed(0)})`,
    r.p99Ms.toFixed(0),
    `${r.targetMs} ${r.met ? 'met' : 'MISSED'}`,
    times(bull.ms, r.p99Ms),
    times(celery.ms, r.p99Ms),
  ]);
  return markdownTable(headers, cells);
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * A strip chart: one line per row, every sample as a dot, the median and p99 as ticks, and the
 * session timeout and the target (timeout + 250 ms) as marks, on one shared millisecond axis.
 */
export function failoverSvg(rows: Row[], samples: number[][]): string {
  const width = 900;
  const left = 300;
  const right = 30;
  const rowH = 46;
  const top = 40;
  const height = top + rows.length * rowH + 50;
  const maxMs = Math.max(...rows.map((r) => Math.max(r.maxMs, r.targetMs))) * 1.05;
  const x = (ms: number) => left + (ms / maxMs) * (width - left - right);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${left}" y="20" font-size="14">Failure detection and reassignment: kill -9 to work running again (ms)</text>`,
  ];
  const step = Math.pow(10, Math.floor(Math.log10(maxMs / 5)));
  const tick = [1, 2, 5, 10].map((m) => m * step).find((s) => maxMs / s <= 10) ?? step * 10;
  const axisY = top + rows.length * rowH + 5;
  for (let t = 0; t <= maxMs; t += tick) {
    parts.push(
      `<line x1="${x(t)}" x2="${x(t)}" y1="${top - 5}" y2="${axisY}" stroke="#eee"/>`,
      `<text x="${x(t)}" y="${axisY + 15}" text-anchor="middle" fill="#555">${t}</text>`,
    );
  }
  rows.forEach((r, i) => {
    const y = top + i * rowH + rowH / 2;
    const label = `${r.target}, ${r.scenario}, timeout ${r.sessionTimeoutMs} ms`;
    parts.push(`<text x="${left - 10}" y="${y + 4}" text-anchor="end">${esc(label)}</text>`);
    parts.push(
      `<line x1="${x(r.sessionTimeoutMs)}" x2="${x(r.sessionTimeoutMs)}" y1="${y - 16}" y2="${y + 16}" stroke="#999" stroke-dasharray="3,3"/>`,
      `<line x1="${x(r.targetMs)}" x2="${x(r.targetMs)}" y1="${y - 16}" y2="${y + 16}" stroke="#c00" stroke-width="2"/>`,
    );
    for (const s of samples[i])
      parts.push(`<circle cx="${x(s)}" cy="${y}" r="3" fill="#36c" fill-opacity="0.4"/>`);
    parts.push(
      `<line x1="${x(r.medianMs)}" x2="${x(r.medianMs)}" y1="${y - 12}" y2="${y + 12}" stroke="#000" stroke-width="2"/>`,
      `<line x1="${x(r.p99Ms)}" x2="${x(r.p99Ms)}" y1="${y - 12}" y2="${y + 12}" stroke="#f80" stroke-width="2"/>`,
    );
  });
  parts.push(
    `<text x="${left}" y="${height - 10}" fill="#555">dots: samples; black: median; orange: p99; grey dashed: session timeout; red: target (timeout + ${TARGET_SLACK_MS} ms)</text>`,
    '</svg>',
  );
  return parts.join('\n') + '\n';
}
