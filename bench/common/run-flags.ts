import { resolve } from 'node:path';

/** The flags every end-to-end benchmark run takes (bench:throughput, bench:features). */
export interface RunFlags {
  tasks: number;
  workers: number;
  concurrency: number;
  rounds: number;
  batch: number;
  submitInFlight: number;
  cpuProf?: string;
  out: string;
}

export type FlagSetters = Record<string, (value: string) => void>;

export function runFlagDefaults(out: string): RunFlags {
  return {
    tasks: 20_000,
    workers: 2,
    concurrency: 64,
    rounds: 3,
    batch: 1000,
    submitInFlight: 2,
    out,
  };
}

/** Setters of the shared flags, writing into `args`. */
export function runFlagSetters(args: RunFlags): FlagSetters {
  return {
    '--tasks': (v) => (args.tasks = Number(v)),
    '--workers': (v) => (args.workers = Number(v)),
    '--concurrency': (v) => (args.concurrency = Number(v)),
    '--rounds': (v) => (args.rounds = Number(v)),
    '--batch': (v) => (args.batch = Number(v)),
    '--submit-in-flight': (v) => (args.submitInFlight = Number(v)),
    '--cpu-prof': (v) => (args.cpuProf = resolve(v)),
    '--out': (v) => (args.out = v),
  };
}

/** Applies `--flag value` pairs; an unknown flag or a missing value throws. */
export function applyFlags(argv: readonly string[], setters: FlagSetters): void {
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (setters[flag] && i + 1 < argv.length) setters[flag](argv[++i]);
    else throw new Error(`unknown flag or missing value: ${flag}`);
  }
}

/** Throws, naming them all, unless every value is a positive integer. */
export function checkPositiveIntegers(values: Record<string, number>): void {
  if (Object.values(values).some((n) => !(n > 0) || !Number.isInteger(n)))
    throw new Error(`${Object.keys(values).join(', ')}: positive integers`);
}
