/**
 * Throughput against BullMQ, end to end: no-op tasks from submit to completed, with the same
 * number of worker processes and the same concurrency per worker on each side, all peers
 * started in this run on this machine:
 *
 * - embedded: Shepherd on the embedded coordinator (the coordinator app in its own process,
 *   fsync on), one master process, W worker processes;
 * - ensemble: Shepherd on a 3-server Apache ZooKeeper ensemble (Debian's package), the same roles;
 * - bullmq:   BullMQ on Debian's redis-server (default configuration, on a free loopback port),
 *   W BullMQ worker processes;
 * - bullmq-fsync: the same with Redis fsyncing every write (appendfsync always);
 * - embedded-otel (only when --peers names it): `embedded` with the OpenTelemetry SDK
 *   registered in its master and workers, exporting over OTLP/HTTP to a receiver in this
 *   process, and every task submitted with a sampled W3C traceparent (one per submit call), so
 *   each task costs an exported assign span (master) and process span (worker): what tracing
 *   every task costs. The receiver's count of spans is printed (about 2 per task), and its
 *   tasks/s and CPU against `embedded`. It is not in the default set: it answers another
 *   question than the target's, it adds two runs to each round's six (and their warm-ups), and
 *   its receiver (this process) takes CPU on the same two cores while it runs.
 *
 * Submitting goes through the library (TaskQueueClient.submitMany / Queue.addBulk), and for
 * Shepherd also through the REST API (the client app in its own process, POST /tasks/batch).
 *
 *   npm run bench:throughput [-- --tasks 20000 --workers 2 --concurrency 64 --rounds 3
 *                                --peers embedded,ensemble,bullmq,bullmq-fsync --modes lib,rest
 *                                --batch 1000 --submit-in-flight 2 --cpu-prof DIR --out FILE]
 *
 * Each round runs every (peer, mode) once, in an order that alternates between rounds; the
 * table shows medians over rounds, and the ratio is the median of the per-round ratios
 * peer tasks/s / BullMQ tasks/s (BullMQ submitting through its library).
 *
 * After the runs, with every peer stopped, a second table shows what the OpenTelemetry
 * instrumentation costs a task when no SDK is registered (the case of every peer but
 * embedded-otel): the calls a task makes into it on the submitter, the master and the worker,
 * timed in this process, which registers no SDK (otel-cost.ts), in ns per task and as a share
 * of the CPU a task cost the embedded peer (library) in this run.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProgressBar } from '../common/progress';
import { median } from '../common/stats';
import { markdownTable } from '../common/table';
import { barChartSvg } from './chart';
import { PHASE_COLUMN, THROUGHPUT_COLUMNS } from './table-columns';
import {
  BullPeer,
  PEER_NAMES,
  Peer,
  PeerName,
  PeerSettings,
  ShepherdPeer,
  startBullMQ,
  startEmbedded,
  startEmbeddedOtel,
  startOnEnsemble,
} from './peers';
import { Mode, RunResult, RunSettings, measure } from './run';
import { profileText, readProfiles } from './profiles';
import {
  applyFlags,
  checkPositiveIntegers,
  runFlagDefaults,
  runFlagSetters,
} from '../common/run-flags';
import { writeResultsFile } from '../common/results-file';
import { cpuByRole, sumCpu } from './cpu-summary';
import { OtelCost, measureOtelCost } from './otel-cost';

interface Args {
  tasks: number;
  workers: number;
  concurrency: number;
  rounds: number;
  peers: PeerName[];
  modes: Mode[];
  batch: number;
  submitInFlight: number;
  cpuProf?: string;
  out: string;
}

/** Every peer but embedded-otel, which runs only when asked for (see the header). */
const DEFAULT_PEERS: PeerName[] = ['embedded', 'ensemble', 'bullmq', 'bullmq-fsync'];

function parseArgs(argv: string[]): Args {
  const args: Args = {
    ...runFlagDefaults('bench/results/throughput.json'),
    peers: [...DEFAULT_PEERS],
    modes: ['lib', 'rest'],
  };
  applyFlags(argv, {
    ...runFlagSetters(args),
    '--peers': (v) => (args.peers = v.split(',') as PeerName[]),
    '--modes': (v) => (args.modes = v.split(',') as Mode[]),
  });
  checkPositiveIntegers({
    '--tasks': args.tasks,
    '--workers': args.workers,
    '--concurrency': args.concurrency,
    '--rounds': args.rounds,
    '--batch': args.batch,
    '--submit-in-flight': args.submitInFlight,
  });
  if (args.batch > 1000)
    throw new Error('--batch: at most 1000 (the REST API takes 1000 per batch)');
  for (const p of args.peers)
    if (!PEER_NAMES.includes(p))
      throw new Error(`--peers: one of ${PEER_NAMES.join(', ')}, not ${p}`);
  for (const m of args.modes)
    if (m !== 'lib' && m !== 'rest') throw new Error(`--modes: lib or rest, not ${String(m)}`);
  return args;
}

type AnyPeer = ShepherdPeer | BullPeer;

interface Cell {
  peer: Peer;
  mode: Mode;
}

const key = (c: { peer: { name: string }; mode: Mode }) => `${c.peer.name}/${c.mode}`;
const MODE_LABEL: Record<Mode, string> = { lib: 'library', rest: 'REST API' };

async function startPeers(args: Args, workDir: string): Promise<AnyPeer[]> {
  const settings = (name: string): PeerSettings => ({
    workers: args.workers,
    concurrency: args.concurrency,
    workDir: join(workDir, name),
    profArgs: args.cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${join(args.cpuProf, name)}`] : [],
  });
  const peers: AnyPeer[] = [];
  try {
    // One after the other: starting JVMs and ts-node processes at once on 2 cores is slow.
    for (const name of args.peers) {
      process.stderr.write(`starting ${name}...\n`);
      if (name === 'embedded') peers.push(await startEmbedded(settings(name)));
      else if (name === 'embedded-otel') peers.push(await startEmbeddedOtel(settings(name)));
      else if (name === 'ensemble') peers.push(await startOnEnsemble(settings(name)));
      else peers.push(await startBullMQ(settings(name), name === 'bullmq-fsync'));
    }
  } catch (err) {
    for (const p of peers) await p.stop();
    throw err;
  }
  return peers;
}

function cellsOf(mode: Mode, peers: AnyPeer[]): Cell[] {
  return peers
    .filter((p) => mode === 'lib' || p.kind === 'shepherd')
    .map((peer) => ({ peer, mode }));
}

function phaseColumn(results: RunResult[]): string {
  const first = results[0].phaseP50Ms;
  if (!first) return '-';
  return Object.keys(first)
    .map((k) => `${k.split('->')[1]} ${Math.round(median(results.map((r) => r.phaseP50Ms![k])))}`)
    .join(', ');
}

const thousands = (n: number) => n.toLocaleString('en-US');
const signed = (n: number) => `${n >= 0 ? '+' : ''}${Math.round(n)}`;

/** Rows of the no-SDK cost table: each side's calls, then a task's, against its CPU. */
function otelCostTable(cost: OtelCost, taskCpuUs: number | undefined): string {
  const share = (ns: number) =>
    taskCpuUs === undefined ? '-' : `${((100 * ns) / (taskCpuUs * 1000)).toFixed(2)} %`;
  const row = (label: string, ns: number) => [label, Math.round(ns), share(ns)];
  return markdownTable(
    [
      'OpenTelemetry, no SDK registered',
      'ns per task',
      "share of a task's CPU (embedded, library)",
    ],
    [
      row('submitter: send span', cost.submit.cpuNs),
      row('master: assign span (none: no trace), wait metric', cost.assign.cpuNs),
      row('worker: process span, trace ids in log fields, run metrics', cost.process.cpuNs),
      row('a task, all three', cost.totalCpuNs),
    ],
  );
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const workDir = mkdtempSync(join(tmpdir(), 'shepherd-bench-throughput-'));
  const run: RunSettings = {
    tasks: args.tasks,
    batch: args.batch,
    submitInFlight: args.submitInFlight,
    timeoutMs: Math.max(120_000, args.tasks * 20),
  };
  const results = new Map<string, RunResult[]>();
  // Tasks each peer was given, warm-ups included: what a traced peer's span count is against.
  const submitted = new Map<string, number>();
  const measureCounted: typeof measure = (peer, mode, s, onProgress) => {
    submitted.set(peer.name, (submitted.get(peer.name) ?? 0) + s.tasks);
    return measure(peer, mode, s, onProgress);
  };
  let peers: AnyPeer[] = [];
  try {
    peers = await startPeers(args, workDir);
    // Library runs first, then the REST runs with the client apps started.
    for (const mode of args.modes) {
      if (mode === 'rest') for (const p of peers) if (p.kind === 'shepherd') await p.startRest();
      const cells = cellsOf(mode, peers);
      // One short unmeasured run per cell: JIT, connections and the JVMs warm.
      const warm = { ...run, tasks: Math.min(args.tasks, 2000) };
      const warmBar = new ProgressBar(cells.length * warm.tasks);
      for (const c of cells)
        await measureCounted(c.peer, c.mode, warm, (n) => warmBar.tick(`warm-up ${key(c)}`, n));
      warmBar.finish();

      const bar = new ProgressBar(args.rounds * cells.length * args.tasks);
      for (let round = 0; round < args.rounds; round++) {
        const order = round % 2 === 0 ? cells : [...cells].reverse();
        for (const c of order) {
          const label = `round ${round + 1}/${args.rounds} ${key(c)}`;
          const r = await measureCounted(c.peer, c.mode, run, (n) => bar.tick(label, n));
          results.set(key(c), [...(results.get(key(c)) ?? []), r]);
        }
      }
      bar.finish();
    }
  } finally {
    for (const p of peers) await p.stop().catch(() => undefined);
    rmSync(workDir, { recursive: true, force: true });
  }
  // Written by each process as it exits: read once they all stopped.
  const profiles = args.cpuProf ? readProfiles(args.cpuProf, peers) : undefined;
  // With every peer stopped: the cores are this process's alone.
  process.stderr.write('timing the OpenTelemetry calls of a task with no SDK registered...\n');
  const otelCost = measureOtelCost();

  const bull = results.get('bullmq/lib');
  const rows = [...results.entries()].map(([k, rs]) => {
    const [name, mode] = k.split('/') as [PeerName, Mode];
    const peer = peers.find((p) => p.name === name)!;
    const ratio = bull ? median(rs.map((r, i) => r.tasksPerSec / bull[i].tasksPerSec)) : NaN;
    return {
      peer: name,
      label: peer.label,
      mode,
      tasksPerSec: median(rs.map((r) => r.tasksPerSec)),
      p50Ms: median(rs.map((r) => r.p50Ms)),
      p99Ms: median(rs.map((r) => r.p99Ms)),
      ratio,
      cpu: cpuByRole(rs),
      phases: phaseColumn(rs),
    };
  });
  const table = markdownTable(
    [...THROUGHPUT_COLUMNS, PHASE_COLUMN],
    rows.map((r) => [
      r.label,
      MODE_LABEL[r.mode],
      Math.round(r.tasksPerSec),
      Math.round(r.p50Ms),
      Math.round(r.p99Ms),
      Number.isNaN(r.ratio) ? '-' : r.ratio.toFixed(2),
      r.cpu,
      r.phases,
    ]),
  );
  const embedded = rows.find((r) => r.peer === 'embedded' && r.mode === 'lib');
  const target =
    embedded && bull
      ? `\nShepherd (embedded, library) / BullMQ: ${embedded.ratio.toFixed(2)} ` +
        `(target >= 1.0: ${embedded.ratio >= 1 ? 'met' : 'MISSED'})\n`
      : '';
  // Beside the target: the same ratio against BullMQ when Redis, too, fsyncs every write.
  const durable = results.get('bullmq-fsync/lib');
  const embeddedRuns = results.get('embedded/lib');
  const durableLine =
    durable && embeddedRuns
      ? `Shepherd (embedded, library) / BullMQ with appendfsync always: ${median(
          embeddedRuns.map((r, i) => r.tasksPerSec / durable[i].tasksPerSec),
        ).toFixed(2)}\n`
      : '';
  const embeddedLib = results.get('embedded/lib');
  const taskCpuUs = embeddedLib ? median(embeddedLib.map(sumCpu)) : undefined;
  const otelNoSdk = {
    ...otelCost,
    taskCpuUs: taskCpuUs ?? null,
    share: taskCpuUs === undefined ? null : otelCost.totalCpuNs / (taskCpuUs * 1000),
  };
  const otelText =
    `\n${otelCostTable(otelCost, taskCpuUs)}\n\n` +
    `ns: CPU time of this process (no SDK registered) per task, median of ${otelCost.repeats} ` +
    `x ${thousands(otelCost.iterations)} tasks after ${thousands(otelCost.warmup)} untimed; ` +
    `a task's CPU: ` +
    (taskCpuUs === undefined
      ? 'embedded, library not run.\n'
      : `${Math.round(taskCpuUs)} µs (embedded, library: coordinator, master and workers ` +
        `together, median over rounds; the submitter, this process, is not in it).\n`);
  const traced = peers.find((p) => p.kind === 'shepherd' && p.tracing);
  const otelSdk =
    traced?.kind === 'shepherd' && traced.tracing
      ? { peer: traced.name, tasks: submitted.get(traced.name) ?? 0, spans: traced.tracing.spans() }
      : undefined;
  let sdkText = '';
  if (otelSdk) {
    const total = Object.values(otelSdk.spans).reduce((a, b) => a + b, 0);
    const names = Object.entries(otelSdk.spans)
      .map(([name, n]) => `${name} ${n}`)
      .join(', ');
    sdkText =
      `\nOpenTelemetry SDK on (${otelSdk.peer}): the receiver got ${total} spans for ` +
      `${otelSdk.tasks} tasks submitted, warm-ups included (${(total / otelSdk.tasks).toFixed(2)} ` +
      `per task; ${names || 'none'}).\n`;
    const tracedLib = results.get(`${otelSdk.peer}/lib`);
    if (tracedLib && embeddedLib) {
      const cpu = (runs: RunResult[], role: string) =>
        median(runs.map((r) => r.cpuUsPerTask[role] ?? 0));
      const more = ['master', 'worker']
        .map((role) => `${role} ${signed(cpu(tracedLib, role) - cpu(embeddedLib, role))}`)
        .join(', ');
      sdkText += `Against embedded (library): tasks/s x${median(
        tracedLib.map((r, i) => r.tasksPerSec / embeddedLib[i].tasksPerSec),
      ).toFixed(2)}, CPU µs per task ${more}.\n`;
    }
  }
  process.stdout.write(
    `\nSubmit to completed, ${args.tasks} no-op tasks per run, ${args.workers} worker processes ` +
      `x concurrency ${args.concurrency} on each side, batches of ${args.batch} ` +
      `(${args.submitInFlight} in flight), ${args.rounds} rounds; medians over rounds; ` +
      `ratio = median of per-round tasks/s ratios against BullMQ (library); CPU by role, ` +
      `coordinator = the coordination server(s) (coordinator, ZooKeeper JVMs, Redis); steps ` +
      `(Shepherd, from the task history): submit call -> queued (client), -> assigned ` +
      `(master), -> started (worker), -> completed (handler and completion)\n\n` +
      `${table}\n${target}${durableLine}${sdkText}${otelText}`,
  );
  if (profiles)
    process.stdout.write(
      `\nWhere each process's CPU time went (profiles in ${args.cpuProf}; start-up and idle ` +
        `left out):\n${profileText(profiles)}\n`,
    );
  writeResultsFile(args.out, args, {
    rows,
    raw: Object.fromEntries(results),
    otelNoSdk,
    ...(otelSdk && { otelSdk }),
    ...(profiles && { profiles }),
  });

  const svg = args.out.replace(/\.json$/, '') + '.svg';
  writeFileSync(
    svg,
    barChartSvg(
      `Submit to completed, no-op tasks (${args.workers} workers x ${args.concurrency})`,
      'tasks/s',
      rows.map((r) => ({ label: `${r.label} (${MODE_LABEL[r.mode]})`, value: r.tasksPerSec })),
    ),
  );
  process.stdout.write(`\nwrote ${args.out} and ${svg}\n`);
}

main().catch((err) => {
  process.stderr.write(
    `bench:throughput failed: ${err instanceof Error ? err.stack : String(err)}\n`,
  );
  process.exit(1);
});
