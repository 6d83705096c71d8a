import { ReceivedSpan, attributesOf } from './otlp-receiver';

/** A row of the waterfall: a span, or an attempt that never ended (its worker was killed). */
interface Row {
  label: string;
  service: string;
  startNs: bigint;
  endNs: bigint;
  depth: number;
  note: string;
  lost?: boolean;
  events: { name: string; atNs: bigint }[];
}

const SERVICE_COLOURS: Record<string, string> = {
  'shepherd-client': '#2b6cb0',
  'shepherd-master': '#d9822b',
  'shepherd-worker': '#2f855a',
};

const esc = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const ms = (ns: bigint) => Number(ns) / 1e6;

/**
 * One trace as a waterfall, the way trace viewers (Jaeger, Tempo, Honeycomb) draw it: a row
 * per span under its parent, in start order, a bar for its time, colour by service, events as
 * diamonds. An attempt whose worker was killed never ends, so no span of it is ever exported;
 * the attempt after it links to it, and `lostAttempt` draws it as a dashed bar from the end of
 * its assignment to the reassignment.
 */
export function traceWaterfallSvg(
  spans: ReceivedSpan[],
  options: { title: string; subtitle?: string; lostAttempt?: { worker: string; label: string } },
): string {
  const rows = rowsOf(spans, options.lostAttempt);
  const t0 = rows.reduce((m, r) => (r.startNs < m ? r.startNs : m), rows[0].startNs);
  const t1 = rows.reduce((m, r) => (r.endNs > m ? r.endNs : m), rows[0].endNs);
  const labelW = 300;
  const barW = 520;
  const noteW = 280;
  const rowH = 34;
  const top = 78;
  const width = labelW + barW + noteW;
  const height = top + rows.length * rowH + 44;
  const span = Math.max(1, ms(t1 - t0));
  const x = (ns: bigint) => labelW + (ms(ns - t0) / span) * barW;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">`,
    '<rect width="100%" height="100%" fill="white"/>',
    `<text x="12" y="24" font-size="15" font-weight="bold">${esc(options.title)}</text>`,
  ];
  if (options.subtitle)
    out.push(`<text x="12" y="44" fill="#4a5568">${esc(options.subtitle)}</text>`);
  // The time axis: about six ticks at a round step.
  const step = niceStep(span / 6);
  for (let t = 0; t <= span + 1e-9; t += step) {
    const tx = labelW + (t / span) * barW;
    out.push(
      `<line x1="${tx.toFixed(1)}" y1="${top - 8}" x2="${tx.toFixed(1)}" y2="${top + rows.length * rowH}" stroke="#e2e8f0"/>`,
      `<text x="${tx.toFixed(1)}" y="${top - 12}" text-anchor="middle" fill="#718096">${formatMs(t)}</text>`,
    );
  }
  rows.forEach((r, i) => {
    const y = top + i * rowH;
    const colour = SERVICE_COLOURS[r.service] ?? '#718096';
    const bx = x(r.startNs);
    const bw = Math.max(2, x(r.endNs) - bx);
    const indent = 12 + r.depth * 16;
    out.push(
      `<text x="${indent}" y="${y + 15}" font-weight="bold"${r.lost ? ' fill="#c53030"' : ''}>${esc(r.label)}</text>`,
      `<text x="${indent}" y="${y + 28}" fill="#718096" font-size="11">${esc(r.service)}</text>`,
    );
    if (r.lost)
      out.push(
        `<rect x="${bx.toFixed(1)}" y="${y + 8}" width="${bw.toFixed(1)}" height="16" fill="#fff5f5" stroke="#c53030" stroke-dasharray="4 3"/>`,
      );
    else
      out.push(
        `<rect x="${bx.toFixed(1)}" y="${y + 8}" width="${bw.toFixed(1)}" height="16" rx="2" fill="${colour}"/>`,
      );
    for (const e of r.events) {
      const ex = x(e.atNs);
      out.push(
        `<path d="M${ex.toFixed(1)} ${y + 4} l6 12 l-6 12 l-6 -12 z" fill="#c53030" stroke="white"/>`,
        `<text x="${(ex - 9).toFixed(1)}" y="${y + 20}" text-anchor="end" fill="#c53030">${esc(e.name)}</text>`,
      );
    }
    out.push(`<text x="${labelW + barW + 10}" y="${y + 20}" fill="#2d3748">${esc(r.note)}</text>`);
  });
  const legendY = top + rows.length * rowH + 26;
  let lx = 12;
  for (const [service, colour] of Object.entries(SERVICE_COLOURS)) {
    out.push(
      `<rect x="${lx}" y="${legendY - 10}" width="12" height="12" fill="${colour}"/>`,
      `<text x="${lx + 18}" y="${legendY}">${service}</text>`,
    );
    lx += 150;
  }
  out.push(
    `<rect x="${lx}" y="${legendY - 10}" width="12" height="12" fill="#fff5f5" stroke="#c53030" stroke-dasharray="3 2"/>`,
    `<text x="${lx + 18}" y="${legendY}">never ended (its process was killed): known from the links</text>`,
    '</svg>',
    '',
  );
  return out.join('\n');
}

function rowsOf(spans: ReceivedSpan[], lost?: { worker: string; label: string }): Row[] {
  const ids = new Set(spans.map((s) => s.spanId));
  const children = new Map<string, ReceivedSpan[]>();
  for (const s of spans) {
    const parent = s.parentSpanId && ids.has(s.parentSpanId) ? s.parentSpanId : '';
    children.set(parent, [...(children.get(parent) ?? []), s]);
  }
  const rows: Row[] = [];
  const visit = (parent: string, depth: number) => {
    const kids = (children.get(parent) ?? []).map((s) => rowOf(s, depth));
    if (lost !== undefined) {
      // The lost attempt sits among its siblings: after its assignment, before the reassignment.
      const assign = kids.find((k) => k.note === `→ ${lost.worker}`);
      const reassign = kids.find((k) => k.label.startsWith('reassign '));
      if (assign && reassign && assign.depth === depth)
        kids.push({
          label: lost.label,
          service: 'shepherd-worker',
          startNs: assign.endNs,
          endNs: reassign.startNs,
          depth,
          note: `attempt 1 on ${lost.worker}: killed`,
          lost: true,
          events: [],
        });
    }
    kids.sort((a, b) => (a.startNs < b.startNs ? -1 : a.startNs > b.startNs ? 1 : 0));
    for (const k of kids) {
      rows.push(k);
      const id = spans.find(
        (s) => s.name === k.label && BigInt(s.startTimeUnixNano) === k.startNs,
      )?.spanId;
      if (id !== undefined) visit(id, depth + 1);
    }
  };
  visit('', 0);
  return rows;
}

function rowOf(s: ReceivedSpan, depth: number): Row {
  const a = attributesOf(s.attributes);
  const startNs = BigInt(s.startTimeUnixNano);
  const endNs = BigInt(s.endTimeUnixNano);
  const took = formatMs(ms(endNs - startNs));
  let note = took;
  if (s.name.startsWith('assign ')) note = `→ ${String(a['shepherd.worker.id'])}`;
  else if (s.name.startsWith('process '))
    note = `attempt ${String(a['shepherd.task.attempt'])} on ${String(a['shepherd.worker.id'])}: ${String(a['shepherd.task.outcome'])}, ${took}`;
  else if (s.name.startsWith('reassign '))
    note = `${String(a['shepherd.worker.lost'])} lost (session expired), queued again`;
  else if (s.name.startsWith('send ')) note = `POST /tasks, ${took}`;
  return {
    label: s.name,
    service: s.service,
    startNs,
    endNs,
    depth,
    note,
    events: (s.events ?? []).map((e) => ({ name: e.name, atNs: BigInt(e.timeUnixNano) })),
  };
}

function niceStep(raw: number): number {
  const power = 10 ** Math.floor(Math.log10(Math.max(raw, 1e-3)));
  for (const m of [1, 2, 5, 10]) if (m * power >= raw) return m * power;
  return 10 * power;
}

function formatMs(v: number): string {
  if (v === 0) return '0';
  if (v >= 1000) return `${(v / 1000).toFixed(v % 1000 === 0 ? 0 : 1)} s`;
  if (v >= 10) return `${Math.round(v)} ms`;
  return `${v.toFixed(1)} ms`;
}
