/** End to end against BullMQ on Redis, both measured in the same run. */
import { markdownTable } from '../../common/table';
import { PHASE_COLUMN, THROUGHPUT_COLUMNS } from '../../throughput/table-columns';
import { copyChart } from '../charts';
import { commandLine } from '../command';
import { num, ratio, status } from '../format';
import { readResult } from '../results';
import type { ReportContext, Section, TargetRow } from '../types';
import { notRunSection } from './not-run';

const TITLE = 'End to end against BullMQ';
const OUT = 'bench/results/throughput.json';
const AREA = 'throughput vs BullMQ';
const MODES: Record<string, string> = { lib: 'library', rest: 'REST' };

interface Row {
  peer: string;
  label: string;
  mode: string;
  tasksPerSec: number;
  p50Ms: number;
  p99Ms: number;
  ratio: number | null;
  cpu: string;
  phases?: string;
}

/** What the OpenTelemetry instrumentation costs a task with no SDK (bench/throughput/otel-cost.ts). */
interface OtelNoSdk {
  submit: { cpuNs: number };
  assign: { cpuNs: number };
  process: { cpuNs: number };
  totalCpuNs: number;
  taskCpuUs: number | null;
  share: number | null;
}

interface ThroughputJson {
  args: { tasks: number; workers: number; concurrency: number; rounds: number; batch: number };
  rows: Row[];
  otelNoSdk?: OtelNoSdk;
  otelSdk?: { peer: string; tasks: number; spans: Record<string, number> };
}

/** The peer that traces every task answers what tracing costs; it is not held to BullMQ. */
const TRACED_PEER = 'embedded-otel';
const isShepherd = (r: Row) => !r.peer.startsWith('bullmq') && r.peer !== TRACED_PEER;
/** "Nothing measurable": well under the run-to-run noise of an end-to-end run (several %). */
const NO_SDK_SHARE_TARGET = 0.01;

export function throughputSection(ctx: ReportContext): Section {
  const r = readResult<ThroughputJson>(ctx.resultsDir, 'throughput.json');
  if (!r)
    return notRunSection(TITLE, 'throughput.json', 'npm run bench:throughput', [
      { area: AREA, target: "Shepherd tasks/s >= BullMQ's (ratio >= 1.0)" },
    ]);
  const { args, rows } = r.data;
  const command = commandLine('bench:throughput', args, {
    defaultOut: OUT,
    placeholders: { cpuProf: 'DIR' },
  });
  // JSON has no NaN: a run without BullMQ stores its ratios as null.
  const hasRatio = (x: Row): x is Row & { ratio: number } =>
    typeof x.ratio === 'number' && Number.isFinite(x.ratio);
  const table = markdownTable(
    THROUGHPUT_COLUMNS.concat(rows.some((x) => x.phases) ? [PHASE_COLUMN] : []),
    rows.map((x) =>
      [
        x.label,
        MODES[x.mode] ?? x.mode,
        num(x.tasksPerSec),
        num(x.p50Ms),
        num(x.p99Ms),
        hasRatio(x) ? ratio(x.ratio) : '-',
        x.cpu,
      ].concat(rows.some((y) => y.phases) ? [x.phases ?? ''] : []),
    ),
  );
  const targets: TargetRow[] = rows.filter(isShepherd).map((x) => ({
    area: AREA,
    target: `${x.label}, ${MODES[x.mode] ?? x.mode} submission: tasks/s >= BullMQ's (ratio >= 1.0)`,
    measured: hasRatio(x) ? `${ratio(x.ratio)} (${num(x.tasksPerSec)} tasks/s)` : 'BullMQ not run',
    status: hasRatio(x) ? status(x.ratio >= 1) : 'not run yet',
    command,
  }));
  const bull = rows.find((x) => !isShepherd(x));
  const best = rows
    .filter(isShepherd)
    .filter(hasRatio)
    .sort((a, b) => b.ratio - a.ratio)[0];
  const verdict =
    bull && best
      ? best.ratio >= 1
        ? `The target is met: ${best.label} (${MODES[best.mode]}) reaches ${ratio(best.ratio)}x BullMQ's tasks/s.`
        : `The target is not met: the best Shepherd row, ${best.label} (${MODES[best.mode]}), ` +
          `reaches ${ratio(best.ratio)}x BullMQ's ${num(bull.tasksPerSec)} tasks/s.`
      : '';
  // CPU per task summed over a peer's roles (the table's column, "role N, role N, ...").
  const cpuTotal = (x: Row) =>
    [...x.cpu.matchAll(/(\d+(?:\.\d+)?)/g)].reduce((n, m) => n + Number(m[1]), 0);
  const cost =
    bull && best && best.ratio < 1
      ? `Where the rest goes: ${best.label} spends ${num(cpuTotal(best))} µs of CPU per task ` +
        `over its processes against BullMQ's ${num(cpuTotal(bull))}, and on this machine CPU ` +
        `is the limit. A Shepherd task is three or four durable transactions (created, moved ` +
        `to an assignment, started unless its start folds into its outcome, moved to its ` +
        `terminal record), each carrying the whole record, as compact JSON (also read once by the master ` +
        `and once by the worker), and every move reaches the master and the worker as watch ` +
        `events; a BullMQ job ` +
        `is one Lua script per step inside Redis. What closed the gap so far, and what is ` +
        `next, is in the README (Benchmarks, end to end against BullMQ).`
      : '';
  const otel = otelText(r.data, rows);
  const noSdk = r.data.otelNoSdk;
  if (noSdk && noSdk.share !== null)
    targets.push({
      area: 'OpenTelemetry',
      target: `instrumentation with no SDK registered: nothing measurable (< ${NO_SDK_SHARE_TARGET * 100} % of a task's CPU)`,
      measured: `${num(noSdk.totalCpuNs)} ns per task, ${(noSdk.share * 100).toFixed(2)} % of ${num(noSdk.taskCpuUs ?? 0)} µs`,
      status: status(noSdk.share < NO_SDK_SHARE_TARGET),
      command,
    });
  const markdown = [
    `Submit to completed for no-op tasks, every peer started in the same run on the same ` +
      `machine: ${args.tasks} tasks per run, ${args.workers} worker processes × concurrency ` +
      `${args.concurrency} on each side, batches of ${args.batch}, ${args.rounds} rounds. Medians ` +
      `over rounds; "vs BullMQ" is the median of the per-round ratios against BullMQ ` +
      `submitting through its library.`,
    table,
    verdict,
    cost,
    otel,
    copyChart(ctx, 'throughput.svg', 'tasks/s per peer') ?? '',
    `Command: \`${command}\``,
  ].filter(Boolean);
  return { title: TITLE, markdown: markdown.join('\n\n'), targets, sources: [r.source] };
}

/** The instrumentation's cost: with no SDK (always measured), and tracing every task (if run). */
function otelText(data: ThroughputJson, rows: Row[]): string {
  const parts: string[] = [];
  const noSdk = data.otelNoSdk;
  if (noSdk) {
    const share =
      noSdk.share === null
        ? ''
        : `, ${(noSdk.share * 100).toFixed(2)} % of the ${num(noSdk.taskCpuUs ?? 0)} µs of CPU a task costs (embedded, library)`;
    parts.push(
      `OpenTelemetry with no SDK registered (the calls a task makes into the instrumentation, ` +
        `timed in the benchmark's process): submitter ${num(noSdk.submit.cpuNs)} ns, master ` +
        `${num(noSdk.assign.cpuNs)} ns, worker ${num(noSdk.process.cpuNs)} ns; ` +
        `${num(noSdk.totalCpuNs)} ns per task${share}.`,
    );
  }
  const traced = rows.find((x) => x.peer === TRACED_PEER && x.mode === 'lib');
  const plain = rows.find((x) => x.peer === 'embedded' && x.mode === 'lib');
  if (data.otelSdk && traced && plain) {
    const spans = Object.values(data.otelSdk.spans).reduce((a, b) => a + b, 0);
    parts.push(
      `With the SDK on and every task traced (${traced.label}): ${num(traced.tasksPerSec)} ` +
        `tasks/s against ${num(plain.tasksPerSec)}, ${(spans / data.otelSdk.tasks).toFixed(2)} ` +
        `spans exported per task over OTLP/HTTP.`,
    );
  }
  return parts.join(' ');
}
