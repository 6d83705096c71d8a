import { TimePoint } from './scale-types';

export interface LineChartSpec {
  title: string;
  yUnit: string;
  series: { label: string; points: TimePoint[] }[];
  /** A dashed horizontal line, e.g. a target. */
  limit?: { value: number; label: string };
  /** Dashed vertical lines at these times (ms). */
  marks?: { t: number; label: string }[];
}

const COLOURS = ['#2b6cb0', '#d9822b', '#2f855a', '#9b2c2c', '#6b46c1'];
const esc = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * One line chart as an SVG <g> of the given size, translated to (x, y); time on the x axis in
 * seconds. Hand-written so the benchmark needs no charting dependency.
 */
export function lineChartSvg(spec: LineChartSpec, x: number, y: number, w = 760, h = 260): string {
  const left = 60;
  const top = 30;
  const plotW = w - left - 20;
  const plotH = h - top - 50;
  const all = spec.series.flatMap((s) => s.points);
  const tMax = Math.max(1, ...all.map((p) => p.t), ...(spec.marks ?? []).map((m) => m.t));
  const vMax = Math.max(1, ...all.map((p) => p.v), spec.limit ? spec.limit.value * 1.1 : 0);
  const px = (t: number) => left + (t / tMax) * plotW;
  const py = (v: number) => top + plotH - (v / vMax) * plotH;
  const out: string[] = [`<g transform="translate(${x},${y})">`];
  out.push(
    `<text x="0" y="16" font-size="14" font-weight="bold">${esc(`${spec.title} (${spec.yUnit})`)}</text>`,
  );
  out.push(
    `<rect x="${left}" y="${top}" width="${plotW}" height="${plotH}" fill="none" stroke="#999"/>`,
  );
  for (const f of [0, 0.5, 1]) {
    const v = vMax * f;
    out.push(
      `<text x="${left - 6}" y="${py(v) + 4}" text-anchor="end" font-size="11">${Math.round(v).toLocaleString('en-US')}</text>`,
    );
    const t = tMax * f;
    out.push(
      `<text x="${px(t)}" y="${top + plotH + 14}" text-anchor="middle" font-size="11">${(t / 1000).toFixed(0)} s</text>`,
    );
  }
  if (spec.limit) {
    const ly = py(spec.limit.value);
    out.push(
      `<line x1="${left}" y1="${ly}" x2="${left + plotW}" y2="${ly}" stroke="#c00" stroke-dasharray="6 4"/>`,
      `<text x="${left + plotW - 4}" y="${ly - 4}" text-anchor="end" font-size="11" fill="#c00">${esc(spec.limit.label)}</text>`,
    );
  }
  (spec.marks ?? []).forEach((m, i) => {
    const mx = px(m.t);
    out.push(
      `<line x1="${mx}" y1="${top}" x2="${mx}" y2="${top + plotH}" stroke="#777" stroke-dasharray="3 3"/>`,
      `<text x="${mx + 3}" y="${top + 12 + (i % 3) * 12}" font-size="10" fill="#555">${esc(m.label)}</text>`,
    );
  });
  spec.series.forEach((s, i) => {
    const colour = COLOURS[i % COLOURS.length];
    const d = s.points.map((p) => `${px(p.t).toFixed(1)},${py(p.v).toFixed(1)}`).join(' ');
    if (s.points.length > 0)
      out.push(`<polyline points="${d}" fill="none" stroke="${colour}" stroke-width="1.5"/>`);
    const lx = left + i * 190;
    out.push(
      `<rect x="${lx}" y="${top + plotH + 26}" width="12" height="4" fill="${colour}"/>`,
      `<text x="${lx + 16}" y="${top + plotH + 32}" font-size="11">${esc(s.label)}</text>`,
    );
  });
  out.push('</g>');
  return out.join('\n');
}
