/**
 * A horizontal bar chart as a standalone SVG with vertical reference lines (e.g. ratio 1.0 and
 * 1.5), for results whose benchmark draws no chart of its own. The same plain-SVG approach as
 * bench/throughput/chart.ts, with reference lines, per-bar colours and a shared axis added.
 */

export interface Bar {
  label: string;
  value: number;
  /** Defaults to blue; callers colour bars by whether they meet their target. */
  colour?: string;
}

export interface ReferenceLine {
  value: number;
  label: string;
  colour: string;
}

export interface BarChart {
  title: string;
  bars: Bar[];
  lines?: ReferenceLine[];
  /** How a value is printed beside its bar. */
  format?: (v: number) => string;
  /** A line under the chart saying what the colours mean. */
  legend?: string;
}

export const esc = (t: string): string =>
  t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A round step for axis ticks: about five to ten of them across `max`. */
function tickStep(max: number): number {
  const step = Math.pow(10, Math.floor(Math.log10(max / 5)));
  return [1, 2, 5, 10].map((m) => m * step).find((s) => max / s <= 10) ?? step * 10;
}

/** A white outline under a value's text, so that a reference line behind it does not cut it. */
const HALO = 'stroke="white" stroke-width="3" paint-order="stroke"';

export function horizontalBarsSvg(chart: BarChart): string {
  const format = chart.format ?? ((v: number) => v.toFixed(2));
  const lines = chart.lines ?? [];
  // Labels are measured roughly (7 px a character at 12 px sans-serif): no font metrics in Node.
  const labelW = Math.max(120, ...chart.bars.map((b) => b.label.length * 7 + 16));
  const plotW = 520;
  const rowH = 22;
  // Room above the plot for the reference lines' labels, staggered so that close lines stay legible.
  const top = 40 + Math.min(2, lines.length) * 14;
  const width = labelW + plotW + 80;
  const axisY = top + chart.bars.length * rowH + 4;
  const height = axisY + (chart.legend ? 48 : 30);
  const max =
    Math.max(...chart.bars.map((b) => b.value), ...lines.map((l) => l.value), 1e-9) * 1.08;
  const x = (v: number) => labelW + (v / max) * plotW;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="10" y="22" font-size="15" font-weight="bold">${esc(chart.title)}</text>`,
  ];
  const step = tickStep(max);
  for (let t = 0; t <= max; t += step) {
    const label = Number(t.toPrecision(6));
    parts.push(
      `<line x1="${x(t).toFixed(1)}" x2="${x(t).toFixed(1)}" y1="${top - 4}" y2="${axisY}" stroke="#eee"/>`,
      `<text x="${x(t).toFixed(1)}" y="${axisY + 14}" text-anchor="middle" fill="#555">${label}</text>`,
    );
  }
  // Reference lines go under the bars and values; their labels sit above the plot.
  lines.forEach((l, i) => {
    const lx = x(l.value).toFixed(1);
    parts.push(
      `<line x1="${lx}" x2="${lx}" y1="${top - 4}" y2="${axisY}" stroke="${l.colour}" stroke-width="2" stroke-dasharray="5,3"/>`,
      `<text x="${lx}" y="${top - 8 - (i % 2) * 14}" text-anchor="middle" fill="${l.colour}">${esc(l.label)}</text>`,
    );
  });
  chart.bars.forEach((b, i) => {
    const y = top + i * rowH;
    const w = Math.max(1, x(b.value) - labelW);
    parts.push(
      `<text x="${labelW - 8}" y="${y + 15}" text-anchor="end">${esc(b.label)}</text>`,
      `<rect x="${labelW}" y="${y + 3}" width="${w.toFixed(1)}" height="${rowH - 6}" fill="${b.colour ?? '#2b6cb0'}"/>`,
      `<text x="${(labelW + w + 5).toFixed(1)}" y="${y + 15}" ${HALO}>${esc(format(b.value))}</text>`,
    );
  });
  if (chart.legend)
    parts.push(`<text x="10" y="${height - 10}" fill="#555">${esc(chart.legend)}</text>`);
  parts.push('</svg>', '');
  return parts.join('\n');
}
