/** Shepherd's ZooKeeper client against node-zookeeper-client, both on one Apache ZooKeeper. */
import { clientTable, Measurements } from '../../client/report';
import type { Summary } from '../../common/stats';
import { writeChart } from '../charts';
import { commandLine } from '../command';
import { countOf, ratio } from '../format';
import { readResult } from '../results';
import { horizontalBarsSvg } from '../svg-bars';
import type { ReportContext, Section } from '../types';
import { notRunSection } from './not-run';

const TITLE = 'ZooKeeper client against node-zookeeper-client';
const OUT = 'bench/results/client.json';

interface ClientJson {
  args: { inFlight: number[]; ops: number; rounds: number };
  server?: string;
  raw: Record<string, Summary[]>;
}

export function clientSection(ctx: ReportContext): Section {
  const r = readResult<ClientJson>(ctx.resultsDir, 'client.json');
  if (!r)
    return {
      ...notRunSection(TITLE, 'client.json', 'npm run bench:client'),
      commands: ['npm run bench:client'],
    };
  const { args, raw } = r.data;
  const command = commandLine('bench:client', args, { defaultOut: OUT });
  const clients = [...new Set(Object.keys(raw).map((k) => k.split('|')[0]))];
  const ours = clients.find((c) => c.startsWith('shepherd')) ?? clients[0];
  const peer = clients.find((c) => c !== ours) ?? ours;
  const m = new Map(Object.entries(raw)) as Measurements;
  const { table, rows } = clientTable(m, [ours, peer], args.inFlight);
  const bars = rows.map((row) => ({
    label: `${row[0]}, ${row[1]} in flight`,
    value: Number(row[4]),
    colour: Number(row[4]) >= 1 ? '#2f855a' : '#d9822b',
  }));
  const chart = writeChart(
    ctx,
    'client-ratios.svg',
    horizontalBarsSvg({
      title: `ops/s ratio, ${ours} / ${peer} (median of per-round ratios)`,
      bars,
      lines: [{ value: 1, label: '1.0 (as fast)', colour: '#555' }],
      legend: 'green: at least as fast as the peer; orange: slower',
    }),
    'client ratio per operation',
  );
  const prose = args.inFlight.map((f) => {
    const mine = bars.filter((_, i) => rows[i][1] === f);
    const atLeast = mine.filter((b) => b.value >= 1).length;
    const lowest = mine.reduce((a, b) => (b.value < a.value ? b : a));
    return (
      `With ${f} in flight, Shepherd's client is at least as fast on ` +
      `${countOf(atLeast, mine.length)} operations (lowest ratio ${ratio(lowest.value)}, ` +
      `${lowest.label.split(',')[0]}).`
    );
  });
  const markdown = [
    `Both clients against the same Apache ZooKeeper ${r.data.server ?? ''} standalone server ` +
      `started by the benchmark, side by side in the same run, taking turns op by op; ` +
      `${args.ops} operations per op and round, ${args.rounds} rounds. Figures are medians over ` +
      `rounds; the ratio is the median of the per-round ratios (above 1: Shepherd is faster).`,
    table,
    prose.join(' '),
    chart,
    `Command: \`${command}\``,
  ].join('\n\n');
  return { title: TITLE, markdown, targets: [], sources: [r.source], commands: [command] };
}
