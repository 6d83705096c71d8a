import { ChildProcess, execFileSync, spawn } from 'child_process';
import * as path from 'path';
import { ChildExit, splitLines, stopProcess } from '../../../apps/up/src/child-app';
import { PinoLine, parsePinoLine } from '../../../apps/up/src/log-format';
import { waitFor } from '../../support/wait-for';

export const REPO_ROOT = path.resolve(__dirname, '../../..');

/** Node options that run an app's TypeScript entry without a build. */
export const TS_NODE_ARGS = [
  '-r',
  'ts-node/register/transpile-only',
  '-r',
  'tsconfig-paths/register',
];

/** apps/<app>/src/main.ts, absolute. */
export function appEntry(app: string): string {
  return path.join(REPO_ROOT, 'apps', app, 'src', 'main.ts');
}

export interface AppProcessOptions {
  /**
   * Whether the app gets the test's environment under the one given (the default), or only
   * PATH: then nothing in the test's environment can change the outcome.
   */
  inheritEnv?: boolean;
  /** Arguments after the entry (the shepherd command's subcommand and flags). */
  args?: readonly string[];
}

/**
 * One of the apps (cli, up, master, worker...) as a real process on its ts-node entry, with
 * the environment given (on top of the test's), its JSON log lines parsed and its stderr kept.
 */
export class AppProcess {
  readonly logs: PinoLine[] = [];
  stdout = '';
  stderr = '';
  readonly exited: Promise<ChildExit>;
  private readonly child: ChildProcess;
  private exit: ChildExit | undefined;

  constructor(
    readonly app: string,
    env: NodeJS.ProcessEnv,
    options: AppProcessOptions = {},
  ) {
    const base = (options.inheritEnv ?? true) ? process.env : { PATH: process.env.PATH ?? '' };
    const merged: NodeJS.ProcessEnv = { ...base, ...env };
    for (const [k, v] of Object.entries(env)) if (v === undefined) delete merged[k];
    this.child = spawn(
      process.execPath,
      [...TS_NODE_ARGS, appEntry(app), ...(options.args ?? [])],
      {
        cwd: REPO_ROOT,
        env: merged,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    splitLines(this.child.stdout!, (line) => {
      const parsed = parsePinoLine(line);
      if (parsed !== undefined) this.logs.push(parsed);
    });
    this.child.stdout!.on('data', (text: string) => (this.stdout += text));
    this.child.stderr!.on('data', (d: Buffer) => (this.stderr += d.toString('utf8')));
    this.exited = new Promise((resolve) =>
      this.child.once('close', (code, signal) => {
        this.exit = { code, signal };
        resolve(this.exit);
      }),
    );
  }

  get pid(): number {
    return this.child.pid!;
  }

  get hasExited(): boolean {
    return this.exit !== undefined;
  }

  /** The first log line (from index `from` on) whose message is `msg` or matches it. */
  async waitForLog(msg: string | RegExp, timeoutMs = 90_000, from = 0): Promise<PinoLine> {
    const matches = (l: PinoLine): boolean =>
      typeof msg === 'string' ? l.msg === msg : msg.test(l.msg ?? '');
    const died = this.exited.then((e) => {
      throw new Error(
        `${this.app} exited (${e.code ?? e.signal}) before logging "${String(msg)}":\n` +
          `${this.stderr}\n${this.stdout.slice(-4000)}`,
      );
    });
    const found = waitFor(
      `${this.app} to log "${String(msg)}"`,
      () => this.logs.slice(from).find(matches),
      { timeoutMs, intervalMs: 50 },
    );
    // Whichever loses the race must not end as an unhandled rejection.
    died.catch(() => undefined);
    found.catch(() => undefined);
    return Promise.race([found, died]);
  }

  signal(signal: NodeJS.Signals): void {
    if (!this.hasExited) this.child.kill(signal);
  }

  /** SIGTERM, and SIGKILL after `timeoutMs`; resolves with how it ended. */
  async stop(timeoutMs = 20_000): Promise<ChildExit> {
    return this.exit ?? stopProcess(this, timeoutMs);
  }
}

/** Whether a process with this pid still exists. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Waits for `shepherd up`'s banner; a launcher that never prints it fails with its output. */
export async function waitForBanner(launcher: AppProcess): Promise<void> {
  await waitFor('the banner', () => launcher.stdout.includes('Ctrl-C stops everything.'), {
    timeoutMs: 240_000,
    intervalMs: 200,
  }).catch((err: Error) => {
    throw new Error(`${err.message}\n${launcher.stdout}\n${launcher.stderr}`);
  });
}

/** The pids of a process's children (the apps a launcher started). */
export function childPids(pid: number): number[] {
  return execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)])
    .toString()
    .split('\n')
    .map((s) => Number(s.trim()))
    .filter((n) => n > 0);
}
