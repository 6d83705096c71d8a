/** The embedded coordinator against Apache ZooKeeper: throughput per op, memory and restart. */
import { memoryReport, MemoryResult } from '../../coordinator/memory';
import { coordinatorTable, Measurements, RoundResult, TableRow } from '../../coordinator/report';
import { WRITE_OPS } from '../../coordinator/workload';
import { writeChart } from '../charts';
import { commandLine } from '../command';
import { countOf, num, ratio, seconds, status } from '../format';
import { readResult } from '../results';
import { horizontalBarsSvg } from '../svg-bars';
import type { ReportContext, Section, TargetRow } from '../types';
import { notRunSection } from './not-run';

const TITLE = 'Coordinator against Apache ZooKeeper';
const OUT = 'bench/results/coordinator.json';
const AREA = 'coordinator vs ZooKeeper';
const WRITE_TARGET = 1.5;
const READ_TARGET = 1;
const RSS_TARGET_MB = 400;
const RESTART_TARGET_MS = 10_000;

interface CoordinatorJson {
  args: { connections: number[]; inFlight: number[]; ops: number; rounds: number; znodes: number };
  zookeeper?: string;
  rows?: TableRow[];
  raw?: Record<string, RoundResult[]>;
  memory?: MemoryResult;
}

const rowName = (r: TableRow) => `${r.op}, ${r.connections} conn × ${r.inFlight} in flight`;
const goal = (r: TableRow) => (WRITE_OPS.has(r.op) ? WRITE_TARGET : READ_TARGET);

function throughputTargets(rows: TableRow[], command: string): TargetRow[] {
  return rows.map((r) => ({
    area: AREA,
    target: `${rowName(r)}: ratio >= ${goal(r).toFixed(1)}${WRITE_OPS.has(r.op) ? ' (fsync on both)' : ''}`,
    measured: `${ratio(r.ratio)} (${num(r.coordinatorOpsPerSec)} vs ${num(r.zookeeperOpsPerSec)} ops/s)`,
    status: status(r.ratio >= goal(r)),
    command,
  }));
}

function memoryTargets(m: MemoryResult, command: string): TargetRow[] {
  const c = m.coordinator;
  return [
    {
      area: AREA,
      target: `${num(c.znodes)} znodes: coordinator RSS <= ${RSS_TARGET_MB} MB`,
      measured: `${num(c.rssMB)} MB (idle: ${num(c.rssSettledMB)} MB)`,
      status: status(c.rssMB <= RSS_TARGET_MB),
      command,
    },
    {
      area: AREA,
      target: `${num(c.znodes)} znodes: kill -9 and restart to serving <= ${RESTART_TARGET_MS / 1000} s`,
      measured: seconds(c.restartToServingMs),
      status: status(c.restartToServingMs <= RESTART_TARGET_MS),
      command,
    },
  ];
}

/** One sentence per kind of row: how many meet their target and the lowest ratio. */
function summary(rows: TableRow[], write: boolean): string {
  const rs = rows.filter((r) => WRITE_OPS.has(r.op) === write);
  if (rs.length === 0) return '';
  const target = write ? WRITE_TARGET : READ_TARGET;
  const lowest = rs.reduce((a, b) => (b.ratio < a.ratio ? b : a));
  const met = rs.filter((r) => r.ratio >= target).length;
  return (
    `${write ? 'Writes' : 'Reads'}: ${countOf(met, rs.length)} rows at or above ${target.toFixed(1)} ` +
    `(lowest ${ratio(lowest.ratio)}: ${rowName(lowest)}).`
  );
}

function ratioChart(ctx: ReportContext, rows: TableRow[]): string {
  return writeChart(
    ctx,
    'coordinator-ratios.svg',
    horizontalBarsSvg({
      title: 'Coordinator / Apache ZooKeeper ops/s (median of per-round ratios)',
      bars: rows.map((r) => ({
        label: rowName(r),
        value: r.ratio,
        colour: r.ratio >= goal(r) ? '#2f855a' : '#d9822b',
      })),
      lines: [
        { value: READ_TARGET, label: '1.0 (reads)', colour: '#555' },
        { value: WRITE_TARGET, label: '1.5 (writes)', colour: '#c53030' },
      ],
      legend: 'green: target met (writes >= 1.5, reads >= 1.0); orange: missed',
    }),
    'coordinator / ZooKeeper ratio per row',
  );
}

export function coordinatorSection(ctx: ReportContext): Section {
  const r = readResult<CoordinatorJson>(ctx.resultsDir, 'coordinator.json');
  if (!r)
    return notRunSection(TITLE, 'coordinator.json', 'npm run bench:coordinator', [
      { area: AREA, target: `write rows: ratio >= ${WRITE_TARGET} (fsync on both)` },
      { area: AREA, target: `read rows: ratio >= ${READ_TARGET.toFixed(1)}` },
      { area: AREA, target: `1,000,000 znodes: RSS <= ${RSS_TARGET_MB} MB` },
      { area: AREA, target: `1,000,000 znodes: restart <= ${RESTART_TARGET_MS / 1000} s` },
    ]);
  const { args, raw, memory } = r.data;
  const command = commandLine('bench:coordinator', args, {
    defaultOut: OUT,
    placeholders: { cpuProf: 'DIR' },
  });
  const parts: string[] = [];
  const targets: TargetRow[] = [];
  if (raw) {
    const m = new Map(Object.entries(raw)) as Measurements;
    const { table, rows } = coordinatorTable(
      m,
      ['coordinator', 'zookeeper'],
      args.connections,
      args.inFlight,
    );
    parts.push(
      `The embedded coordinator and Apache ZooKeeper ${r.data.zookeeper ?? ''} standalone, each ` +
        `in its own process, fsync on for both, measured in the same run: ${args.ops} operations ` +
        `per op, configuration and round, ${args.rounds} rounds, 100-byte payloads. Medians ` +
        `over rounds; the ratio is the median of the per-round coordinator / ZooKeeper ops/s. ` +
        `multi = create p/m + setData p + delete p/m.`,
      table,
      [summary(rows, true), summary(rows, false)].filter(Boolean).join(' '),
      ratioChart(ctx, rows),
    );
    targets.push(...throughputTargets(rows, command));
  } else {
    parts.push('Throughput rows not in this run (it was run with `--memory-only`).');
  }
  if (memory) {
    parts.push(memoryReport(memory));
    targets.push(...memoryTargets(memory, command));
  } else {
    const memCommand = 'npm run bench:coordinator -- --memory-only';
    parts.push(`Memory and restart not in this run (\`--skip-memory\`); run \`${memCommand}\`.`);
  }
  parts.push(`Command: \`${command}\``);
  return { title: TITLE, markdown: parts.join('\n\n'), targets, sources: [r.source] };
}
