import { applyFlags, checkPositiveIntegers } from '../common/run-flags';
import { PEER_NAMES, PeerName } from '../throughput/peers';

export interface LatencyArgs {
  /** Offered loads, tasks per second, each measured on its own. */
  rates: number[];
  /** Seconds measured per (peer, rate). */
  duration: number;
  /** Seconds of the same load before the window, not measured (JIT, connections, steady state). */
  warmup: number;
  workers: number;
  concurrency: number;
  peers: PeerName[];
  out: string;
}

export const DEFAULT_OUT = 'bench/results/latency.json';

export function parseLatencyArgs(argv: string[]): LatencyArgs {
  const args: LatencyArgs = {
    rates: [200, 1000, 3000],
    duration: 60,
    warmup: 5,
    workers: 2,
    concurrency: 64,
    peers: ['embedded', 'bullmq'],
    out: DEFAULT_OUT,
  };
  applyFlags(argv, {
    '--rates': (v) => (args.rates = v.split(',').map(Number)),
    '--duration': (v) => (args.duration = Number(v)),
    '--warmup': (v) => (args.warmup = Number(v)),
    '--workers': (v) => (args.workers = Number(v)),
    '--concurrency': (v) => (args.concurrency = Number(v)),
    '--peers': (v) => (args.peers = v.split(',') as PeerName[]),
    '--out': (v) => (args.out = v),
  });
  checkPositiveIntegers({
    '--duration': args.duration,
    '--workers': args.workers,
    '--concurrency': args.concurrency,
  });
  checkPositiveIntegers(Object.fromEntries(args.rates.map((r, i) => [`--rates[${i}]`, r])));
  // Zero warm-up is allowed: the window then starts with cold processes, which is a choice.
  if (!Number.isInteger(args.warmup) || args.warmup < 0)
    throw new Error('--warmup: a whole number of seconds, 0 or more');
  // The traced peer is bench:throughput's question (what tracing every task costs), not this one's.
  const allowed: PeerName[] = PEER_NAMES.filter((p) => p !== 'embedded-otel');
  for (const p of args.peers)
    if (!allowed.includes(p)) throw new Error(`--peers: among ${allowed.join(', ')}, not ${p}`);
  if (new Set(args.peers).size !== args.peers.length) throw new Error('--peers: each at most once');
  return args;
}
