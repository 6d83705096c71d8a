// Fuzzes a ZooKeeper-compatible server with malformed and hostile frames while a correct
// client works beside the fuzzers. Usage:
//   npm run fuzz:coordinator -- [--frames 1000000] [--seed N] [--connections 64] [--tls]
//                                [--connect host:port] [--out bench/results/fuzz-coordinator.json]
// Without --connect, a ZkServer runs in a child process so that a crash is observable; with
// --tls it serves a secureClientPort only (a throwaway CA) and every frame travels inside TLS.
// Writes what it prints as JSON to --out, for the benchmark report.
// Exits 1 on a crash, a well-behaved client error, an invalid reply or a hung connection.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { createThrowawayCa } from '@shepherd/zk-server';
import { machineInfo } from '../../bench/common/machine';
import { ProgressBar } from '../../bench/common/progress';
import { runFuzz } from '../support/fuzz/fuzz-run';
import { randomSeed } from '../support/fuzz/prng';
import { ServerChild } from '../support/fuzz/server-child';
import { ServerStats } from '../support/fuzz/server-process';
import { WellBehavedClient } from '../support/fuzz/well-behaved-client';

interface Args {
  frames: number;
  seed: number;
  connections: number;
  connect?: string;
  tls: boolean;
  out: string;
}

function parseArgs(argv: string[]): Args {
  const args: Args = {
    frames: 1_000_000,
    seed: randomSeed(),
    connections: 64,
    tls: false,
    out: 'bench/results/fuzz-coordinator.json',
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    const int = () => {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 0) throw new Error(`${flag} needs a non-negative integer`);
      i++;
      return n;
    };
    if (flag === '--frames') args.frames = int();
    else if (flag === '--seed') args.seed = int() >>> 0;
    else if (flag === '--connections') args.connections = Math.max(1, int());
    else if (flag === '--tls') args.tls = true;
    else if (flag === '--connect') {
      if (!value || !/^.+:\d+$/.test(value)) throw new Error('--connect needs host:port');
      args.connect = value;
      i++;
    } else if (flag === '--out') {
      if (!value) throw new Error('--out needs a file name');
      args.out = value;
      i++;
    } else throw new Error(`unknown argument ${flag}`);
  }
  return args;
}

const PROGRESS_BATCH = 2000;

const mib = (n: number | undefined) =>
  n === undefined ? 'n/a' : `${(n / 1048576).toFixed(1)} MiB`;

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  process.stderr.write(
    `fuzz: seed ${args.seed}, ${args.frames} frames, ${args.connections} connections, ` +
      `${args.connect ? `server ${args.connect}` : 'embedded server in a child process'}` +
      `${args.tls ? ' over TLS' : ''}\n`,
  );
  if (args.tls && args.connect) throw new Error('--tls makes its own server: drop --connect');
  const ca = args.tls ? createThrowawayCa() : undefined;
  const serverCert = ca?.issue({ commonName: 'localhost', hosts: ['127.0.0.1'] });
  const clientCert = ca?.issue({ commonName: 'fuzzer' });
  const tls = ca && clientCert && { ca: ca.cert, cert: clientCert.cert, key: clientCert.key };
  const child = args.connect
    ? undefined
    : await ServerChild.start(serverCert && { ...serverCert, ca: ca!.cert });
  const [host, port] = args.connect
    ? [args.connect.slice(0, args.connect.lastIndexOf(':')), Number(args.connect.split(':').pop())]
    : ['127.0.0.1', child!.port];
  const before: ServerStats | undefined = await child?.stats();
  const client = new WellBehavedClient(`${host}:${port}`, tls);
  await client.start();
  const bar = new ProgressBar(args.frames);
  let pending = 0;
  const started = Date.now();
  const report = await runFuzz({
    host,
    port,
    seed: args.seed,
    frames: args.frames,
    connections: args.connections,
    settleMs: 30000,
    tls,
    // Batched ticks: ProgressBar throttles redraws, and on a pipe it only prints a tick that
    // moves the bar, so single-frame ticks would rarely show.
    onFrame: () => {
      if (++pending === PROGRESS_BATCH) {
        bar.tick('frames', pending);
        pending = 0;
      }
    },
  });
  bar.tick('frames', pending);
  bar.finish();
  const seconds = (Date.now() - started) / 1000;
  const wb = await client.stop();
  const after = await child?.stats();
  const crash = child?.crash ?? (child && !after ? 'server process gone' : undefined);
  await child?.stop();

  const lines = [
    ['seed', String(report.seed)],
    ['frames sent', String(report.framesSent)],
    ['time', `${seconds.toFixed(1)} s (${Math.round(report.framesSent / seconds)} frames/s)`],
    ['connections opened', String(report.connectionsOpened)],
    ['connections closed by server', String(report.closedByServer)],
    ['connections refused', String(report.refused)],
    ['connections hung', String(report.hung)],
    ['replies / notifications', `${report.replies} / ${report.notifications}`],
    ['invalid replies', String(report.invalid.length)],
    ['server crashes', crash ? `1 (${crash})` : '0'],
    ['server unexpected errors', after ? String(after.unexpectedErrors) : 'n/a'],
    ['server frame-length closes', after ? String(after.frameErrors) : 'n/a'],
    ['well-behaved client rounds', String(wb.rounds)],
    ['well-behaved client errors', String(wb.errors.length)],
    ['server RSS before / after', `${mib(before?.rss)} / ${mib(after?.rss)}`],
    ['server heap after', mib(after?.heapUsed)],
  ];
  for (const [k, v] of lines) process.stdout.write(`${k.padEnd(30)} ${v}\n`);
  process.stdout.write(
    `mutations: ${Object.entries(report.kinds)
      .sort((a, b) => b[1] - a[1])
      .map(([k, n]) => `${k}=${n}`)
      .join(' ')}\n`,
  );
  for (const s of report.invalid) process.stdout.write(`invalid: ${s}\n`);
  for (const e of wb.errors) process.stdout.write(`client error: ${e}\n`);
  for (const s of after?.samples ?? []) process.stdout.write(`server error: ${s}\n`);
  const failed =
    crash !== undefined ||
    wb.errors.length > 0 ||
    report.invalid.length > 0 ||
    report.hung > 0 ||
    (after?.unexpectedErrors ?? 0) > 0;
  const result = {
    args,
    when: new Date().toISOString(),
    machine: machineInfo(),
    passed: !failed,
    frames: report.framesSent,
    seconds,
    framesPerSec: Math.round(report.framesSent / seconds),
    connections: {
      opened: report.connectionsOpened,
      closedByServer: report.closedByServer,
      refused: report.refused,
      hung: report.hung,
    },
    replies: report.replies,
    notifications: report.notifications,
    crashes: crash ? 1 : 0,
    crash: crash ?? null,
    wellBehavedRounds: wb.rounds,
    wellBehavedErrors: wb.errors.length,
    invalidReplies: report.invalid.length,
    hung: report.hung,
    // null when the server is external (--connect): its stats are not ours to read.
    serverUnexpectedErrors: after?.unexpectedErrors ?? null,
    serverFrameLengthCloses: after?.frameErrors ?? null,
    serverRssBeforeBytes: before?.rss ?? null,
    serverRssAfterBytes: after?.rss ?? null,
    serverHeapAfterBytes: after?.heapUsed ?? null,
    mutations: report.kinds,
    samples: {
      invalid: report.invalid,
      clientErrors: wb.errors,
      serverErrors: after?.samples ?? [],
    },
  };
  mkdirSync(dirname(args.out), { recursive: true });
  writeFileSync(args.out, JSON.stringify(result, null, 2) + '\n');
  process.stdout.write(`wrote ${args.out}\n`);
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`fuzz-coordinator: ${(err as Error)?.stack ?? String(err)}\n`);
    process.exit(2);
  },
);
