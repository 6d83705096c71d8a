/**
 * Throughput against BullMQ, end to end: no-op tasks from submit to completed, with the same
 * number of worker processes and the same concurrency per worker on each side, all peers
 * started in this run on this machine:
 *
 * - embedded: Shepherd on the embedded coordinator (the coordinator app in its own process,
 *   fsync on), one master process, W worker processes;
 * - ensemble: Shepherd on a 3-server Apache ZooKeeper ensemble (Debian's package), the same roles;
 * - bullmq:   BullMQ on Debian's redis-server (default configuration, on a free loopback port),
 *   W BullMQ worker processes.
 *
 * Submitting goes through the library (TaskQueueClient.submitMany / Queue.addBulk), and for
 * Shepherd also through the REST API (the client app in its own process, POST /tasks/batch).
 *
 *   npm run bench:throughput [-- --tasks 20000 --workers 2 --concurrency 64 --rounds 3
 *                                --peers embedded,ensemble,bullmq --modes lib,rest
 *                                --batch 1000 --submit-in-flight 2 --cpu-prof DIR --out FILE]
 *
 * Each round runs every (peer, mode) once, in an order that alternates between rounds; the
 * table shows medians over rounds, and the ratio is the median of the per-round ratios
 * peer tasks/s / BullMQ tasks/s (BullMQ submitting through its library).
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
import { cpuByRole } from './cpu-summary';

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

function parseArgs(argv: string[]): Args {
  const args: Args = {
    ...runFlagDefaults('bench/results/throughput.json'),
    peers: [...PEER_NAMES],
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
        await measure(c.peer, c.mode, warm, (n) => warmBar.tick(`warm-up ${key(c)}`, n));
      warmBar.finish();

      const bar = new ProgressBar(args.rounds * cells.length * args.tasks);
      for (let round = 0; round < args.rounds; round++) {
        const order = round % 2 === 0 ? cells : [...cells].reverse();
        for (const c of order) {
          const label = `round ${round + 1}/${args.rounds} ${key(c)}`;
          const r = await measure(c.peer, c.mode, run, (n) => bar.tick(label, n));
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
  process.stdout.write(
    `\nSubmit to completed, ${args.tasks} no-op tasks per run, ${args.workers} worker processes ` +
      `x concurrency ${args.concurrency} on each side, batches of ${args.batch} ` +
      `(${args.submitInFlight} in flight), ${args.rounds} rounds; medians over rounds; ` +
      `ratio = median of per-round tasks/s ratios against BullMQ (library); CPU by role, ` +
      `coordinator = the coordination server(s) (coordinator, ZooKeeper JVMs, Redis); steps ` +
      `(Shepherd, from the task history): submit call -> queued (client), -> assigned ` +
      `(master), -> started (worker), -> completed (handler and completion)\n\n` +
      `${table}\n${target}${durableLine}`,
  );
  if (profiles)
    process.stdout.write(
      `\nWhere each process's CPU time went (profiles in ${args.cpuProf}; start-up and idle ` +
        `left out):\n${profileText(profiles)}\n`,
    );
  writeResultsFile(args.out, args, {
    rows,
    raw: Object.fromEntries(results),
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
