/** kill -9 of a worker or the leading master, to work running again; one file per target. */
import { failoverTable, Row } from '../../failover/report';
import { copyChart } from '../charts';
import { commandLine } from '../command';
import { countOf, num, status } from '../format';
import { readResult } from '../results';
import type { ReportContext, Section, Source, TargetRow } from '../types';

const TITLE = 'Failure detection and reassignment';
const AREA = 'failover';
const FLAGS = { sessionTimeouts: 'session-timeout-ms', tickTime: 'tick-time-ms' };

interface FailoverJson {
  args: Record<string, unknown>;
  rows: Row[];
}

/** The runs the page shows, and the command that makes each when it is missing. */
const RUNS = [
  {
    file: 'failover.json',
    missing: 'npm run bench:failover -- --trials 20 --session-timeout-ms 1000,5000',
    server: 'embedded coordinator',
  },
  {
    file: 'failover-ensemble.json',
    missing:
      'npm run bench:failover -- --targets ensemble --trials 20 --session-timeout-ms 1000 ' +
      '--out bench/results/failover-ensemble.json',
    server: 'Apache ZooKeeper ensemble',
  },
];

export function failoverSection(ctx: ReportContext): Section {
  const parts: string[] = [
    'Worker: `kill -9` of a worker holding tasks, measured per task from the kill to the ' +
      "task's `started` entry on another worker. Master: `kill -9` of the leading master, " +
      "measured from the kill to the new leader's first `assigned` entry. Every role is its " +
      'own process; times come from the history timestamps the processes write. Target: ' +
      'p99 <= session timeout + 250 ms. The BullMQ and Celery columns are their documented ' +
      'defaults, not measurements.',
  ];
  const targets: TargetRow[] = [];
  const sources: Source[] = [];
  for (const run of RUNS) {
    const r = readResult<FailoverJson>(ctx.resultsDir, run.file);
    if (!r) {
      parts.push(`**${run.server}**: not run yet: \`${run.missing}\``);
      targets.push({
        area: AREA,
        target: `${run.server}: p99 <= session timeout + 250 ms`,
        measured: '-',
        status: 'not run yet',
        command: run.missing,
      });
      continue;
    }
    const command = commandLine('bench:failover', r.data.args, {
      defaultOut: 'bench/results/failover.json',
      flags: FLAGS,
    });
    const { rows } = r.data;
    const met = rows.filter((x) => x.met).length;
    const worst = rows.reduce((a, b) => (b.p99Ms - b.targetMs > a.p99Ms - a.targetMs ? b : a));
    parts.push(
      `**${run.server}** (\`${command}\`): ${countOf(met, rows.length)} rows meet the target; ` +
        `closest to it: ${worst.scenario}, timeout ${worst.sessionTimeoutMs} ms, p99 ` +
        `${num(worst.p99Ms)} ms against ${num(worst.targetMs)} ms.`,
      failoverTable(rows),
      copyChart(ctx, run.file.replace(/\.json$/, '.svg'), `failover, ${run.server}`) ?? '',
    );
    sources.push(r.source);
    for (const x of rows)
      targets.push({
        area: AREA,
        target: `${x.target}, ${x.scenario}, session timeout ${x.sessionTimeoutMs} ms: p99 <= ${num(x.targetMs)} ms`,
        measured: `p99 ${num(x.p99Ms)} ms (median ${num(x.medianMs)}, ${x.samples} samples)`,
        status: status(x.p99Ms <= x.targetMs),
        command,
      });
  }
  return { title: TITLE, markdown: parts.filter(Boolean).join('\n\n'), targets, sources };
}
