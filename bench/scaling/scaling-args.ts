/** The flags of bench:scaling, checked before anything starts. */
import {
  FlagSetters,
  applyFlags,
  checkPositiveIntegers,
  runFlagDefaults,
  runFlagSetters,
} from '../common/run-flags';

export type ScalingPeer = 'embedded' | 'bullmq';
export const SCALING_PEERS: ScalingPeer[] = ['embedded', 'bullmq'];

export const DEFAULT_OUT = 'bench/results/scaling.json';

/** The worker count of the standby row, as the issue asks (2 workers, masters standing by). */
export const STANDBY_WORKERS = 2;

export interface ScalingArgs {
  workersList: number[];
  standbyMasters: number;
  tasks: number;
  concurrency: number;
  rounds: number;
  peers: ScalingPeer[];
  batch: number;
  submitInFlight: number;
  out: string;
}

/** The shared flags that apply here: not --workers (the list replaces it), not --cpu-prof. */
const SHARED = ['--tasks', '--concurrency', '--rounds', '--batch', '--submit-in-flight', '--out'];

const list = (v: string) => v.split(',').map((x) => x.trim());

export function parseScalingArgs(argv: readonly string[]): ScalingArgs {
  // One round by default: the sweep starts a fresh pair of peers for every worker count.
  const flags = { ...runFlagDefaults(DEFAULT_OUT), rounds: 1 };
  const extra = {
    workersList: [1, 2, 4, 8],
    standbyMasters: 16,
    peers: [...SCALING_PEERS],
  };
  const shared = runFlagSetters(flags);
  const setters: FlagSetters = Object.fromEntries(SHARED.map((f) => [f, shared[f]]));
  applyFlags(argv, {
    ...setters,
    '--workers-list': (v) => (extra.workersList = list(v).map(Number)),
    '--standby-masters': (v) => (extra.standbyMasters = Number(v)),
    '--peers': (v) => (extra.peers = list(v) as ScalingPeer[]),
  });
  const args: ScalingArgs = {
    workersList: extra.workersList,
    standbyMasters: extra.standbyMasters,
    tasks: flags.tasks,
    concurrency: flags.concurrency,
    rounds: flags.rounds,
    peers: extra.peers,
    batch: flags.batch,
    submitInFlight: flags.submitInFlight,
    out: flags.out,
  };
  checkPositiveIntegers({
    '--tasks': args.tasks,
    '--concurrency': args.concurrency,
    '--rounds': args.rounds,
    '--batch': args.batch,
    '--submit-in-flight': args.submitInFlight,
  });
  for (const w of args.workersList) checkPositiveIntegers({ '--workers-list': w });
  if (new Set(args.workersList).size !== args.workersList.length)
    throw new Error('--workers-list: each count at most once');
  if (!(args.standbyMasters >= 0) || !Number.isInteger(args.standbyMasters))
    throw new Error('--standby-masters: a whole number, 0 to leave the standby row out');
  if (args.batch > 1000) throw new Error('--batch: at most 1000');
  for (const p of args.peers)
    if (!SCALING_PEERS.includes(p))
      throw new Error(`--peers: among ${SCALING_PEERS.join(', ')}, not ${p}`);
  if (new Set(args.peers).size !== args.peers.length) throw new Error('--peers: each at most once');
  // The standby row is read against the 2-worker row measured in the same rounds.
  if (
    args.standbyMasters > 0 &&
    args.peers.includes('embedded') &&
    !args.workersList.includes(STANDBY_WORKERS)
  )
    throw new Error(
      `--workers-list must include ${STANDBY_WORKERS} for the standby row ` +
        '(or --standby-masters 0 to leave it out)',
    );
  return args;
}

export const USAGE =
  'usage: npm run bench:scaling [-- --workers-list 1,2,4,8 --standby-masters 16 --tasks 20000 ' +
  '--concurrency 64 --rounds 1 --peers embedded,bullmq --batch 1000 --submit-in-flight 2 ' +
  `--out ${DEFAULT_OUT}]`;
