import type { StatsSample } from './stats-history.js';

export interface ChartData {
  /** Completions per second, one per second of the window, oldest first. */
  throughput: readonly number[];
  /** Latency samples (ms) in the same window. */
  latency: readonly StatsSample[];
  windowMs: number;
  now: number;
}

const COLORS = {
  grid: 'rgba(140, 150, 170, 0.25)',
  text: '#8a94a8',
  bars: '#4f8cff',
  p50: '#36c48f',
  p99: '#f0a540',
};

function niceMax(value: number): number {
  if (value <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(value));
  return [1, 2, 5, 10].map((m) => m * p).find((m) => m >= value) ?? value;
}

function fmt(n: number, unit: string): string {
  if (unit === 'ms' && n >= 1000) return `${(n / 1000).toFixed(n >= 10_000 ? 0 : 1)} s`;
  return `${n >= 100 ? Math.round(n) : Number(n.toFixed(1))}${unit === 'ms' ? ' ms' : unit}`;
}

/**
 * Two stacked panels on one canvas: completions per second as bars, and p50/p99 latency as
 * lines, over the same time axis. Drawn only when a /stats answer arrives, never per frame.
 */
export function drawChart(canvas: HTMLCanvasElement, data: ChartData): void {
  const ratio = window.devicePixelRatio || 1;
  const width = canvas.clientWidth;
  const height = canvas.clientHeight;
  if (width === 0 || height === 0) return;
  if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
  }
  const g = canvas.getContext('2d');
  if (!g) return;
  g.setTransform(ratio, 0, 0, ratio, 0, 0);
  g.clearRect(0, 0, width, height);
  g.font = '11px system-ui, sans-serif';
  g.textBaseline = 'top';

  const left = 44;
  const right = width - 8;
  const gap = 18;
  const panelH = (height - 16 - gap) / 2;
  const top1 = 4;
  const top2 = top1 + panelH + gap;
  const span = right - left;
  const start = data.now - data.windowMs;
  const xOf = (t: number) => left + ((t - start) / data.windowMs) * span;

  const frame = (top: number, max: number, unit: string, title: string) => {
    g.strokeStyle = COLORS.grid;
    g.lineWidth = 1;
    for (const f of [0, 0.5, 1]) {
      const y = Math.round(top + panelH * (1 - f)) + 0.5;
      g.beginPath();
      g.moveTo(left, y);
      g.lineTo(right, y);
      g.stroke();
      g.fillStyle = COLORS.text;
      g.textAlign = 'right';
      g.fillText(fmt(max * f, unit), left - 4, Math.min(y - 5, top + panelH - 11));
    }
    g.textAlign = 'left';
    g.fillText(title, left + 4, top);
  };

  // Throughput bars.
  const tp = data.throughput;
  const tpMax = niceMax(Math.max(0, ...tp));
  frame(top1, tpMax, '/s', 'completed per second');
  g.fillStyle = COLORS.bars;
  const barW = span / Math.max(1, tp.length);
  tp.forEach((v, i) => {
    if (v <= 0) return;
    const h = (v / tpMax) * panelH;
    g.fillRect(left + i * barW, top1 + panelH - h, Math.max(1, barW - 0.5), h);
  });

  // Latency lines.
  const lat = data.latency;
  const latMax = niceMax(Math.max(0, ...lat.map((s) => Math.max(s.p50 ?? 0, s.p99 ?? 0))));
  frame(top2, latMax, 'ms', 'latency p50 / p99 (submit to finish)');
  const line = (pick: (s: StatsSample) => number | undefined, color: string) => {
    g.strokeStyle = color;
    g.lineWidth = 1.5;
    g.beginPath();
    let drawing = false;
    for (const s of lat) {
      const v = pick(s);
      if (v === undefined) {
        drawing = false;
        continue;
      }
      const x = xOf(s.at);
      const y = top2 + panelH - (Math.min(v, latMax) / latMax) * panelH;
      if (drawing) g.lineTo(x, y);
      else g.moveTo(x, y);
      drawing = true;
    }
    g.stroke();
  };
  line((s) => s.p50, COLORS.p50);
  line((s) => s.p99, COLORS.p99);

  // Time axis and legend.
  g.fillStyle = COLORS.text;
  g.textAlign = 'left';
  g.fillText(`${Math.round(data.windowMs / 60_000)} min ago`, left, height - 12);
  g.textAlign = 'right';
  g.fillText('now', right, height - 12);
  g.textAlign = 'center';
  const mid = (left + right) / 2;
  g.fillStyle = COLORS.p50;
  g.fillText('— p50', mid - 30, height - 12);
  g.fillStyle = COLORS.p99;
  g.fillText('— p99', mid + 30, height - 12);
}
