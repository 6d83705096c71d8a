/**
 * Scaling with worker processes, against BullMQ: no-op tasks end to end (bench/throughput's
 * peers and driver), for each worker count W of the list
 *
 * - Shepherd on the embedded coordinator (coordinator app, one master, W worker processes),
 *   library submission;
 * - BullMQ on Debian's redis-server, W BullMQ worker processes;
 *
 * with the same concurrency per worker process on both sides, and, beside the 2-worker row,
 * Shepherd with 2 workers and --standby-masters more master processes standing by in the
 * election: what masters standing by cost the leader and the coordinator.
 *
 *   npm run bench:scaling [-- --workers-list 1,2,4,8 --standby-masters 16 --tasks 20000
 *                             --concurrency 64 --rounds 1 --peers embedded,bullmq
 *                             --batch 1000 --submit-in-flight 2 --out FILE]
 *
 * Each worker count starts fresh peers, warms them up, runs the rounds with the peers in an
 * order that alternates between rounds, and stops them. Prints the table, writes the JSON to
 * --out and an SVG chart beside it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { machineInfo } from '../common/machine';
import { scalingGroups } from './cells';
import { scalingChartSvg } from './chart';
import { scalingRows } from './rows';
import { CellRuns, runGroup } from './run-group';
import { ScalingArgs, USAGE, parseScalingArgs } from './scaling-args';
import { scalingNote, scalingSummary, scalingTable } from './table';
import { writeResultsFile } from '../common/results-file';

/** Bad flags exit 2 (a usage error), before any process is started. */
function argsOrExit(): ScalingArgs {
  try {
    return parseScalingArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(
      `bench:scaling: ${err instanceof Error ? err.message : String(err)}\n${USAGE}\n`,
    );
    process.exit(2);
  }
}

async function main(): Promise<void> {
  const args = argsOrExit();
  const groups = scalingGroups(args);
  const workDir = mkdtempSync(join(tmpdir(), 'shepherd-bench-scaling-'));
  const measured = new Map<string, CellRuns>();
  try {
    for (const group of groups)
      for (const [key, runs] of await runGroup(group, args, workDir)) measured.set(key, runs);
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
  // Taken as the results are written, as the other benchmarks do: the load says how shared it was.
  const machine = machineInfo();
  const rows = scalingRows(groups.flat(), measured);
  const summary = scalingSummary(rows);
  process.stdout.write(
    `\n${scalingNote(args, machine.cpus)}\n\n${scalingTable(rows, machine.cpus)}\n\n` +
      (summary ? `${summary}\n` : ''),
  );
  writeResultsFile(
    args.out,
    args,
    { rows, raw: Object.fromEntries([...measured].map(([k, v]) => [k, v.runs])) },
    machine,
  );
  const svg = args.out.replace(/\.json$/, '') + '.svg';
  writeFileSync(svg, scalingChartSvg(rows, machine.cpus, args.concurrency));
  process.stdout.write(`\nwrote ${args.out} and ${svg}\n`);
}

main().catch((err) => {
  process.stderr.write(`bench:scaling failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
