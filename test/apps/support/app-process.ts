import { ChildProcess, spawn } from 'child_process';
import * as path from 'path';
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

export interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/**
 * One of the apps (master, worker, shepherd...) as a real process on its ts-node entry, with
 * the environment given (on top of the test's), its JSON log lines parsed and its stderr kept.
 */
export class AppProcess {
  readonly logs: LogLine[] = [];
  stdout = '';
  stderr = '';
  readonly exited: Promise<Exit>;
  private readonly child: ChildProcess;
  private exit: Exit | undefined;

  constructor(
    readonly app: string,
    env: NodeJS.ProcessEnv,
  ) {
    const merged: NodeJS.ProcessEnv = { ...process.env, ...env };
    for (const [k, v] of Object.entries(env)) if (v === undefined) delete merged[k];
    this.child = spawn(process.execPath, [...TS_NODE_ARGS, appEntry(app)], {
      cwd: REPO_ROOT,
      env: merged,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let partial = '';
    this.child.stdout!.on('data', (d: Buffer) => {
      const text = d.toString('utf8');
      this.stdout += text;
      partial += text;
      const lines = partial.split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        if (!line.startsWith('{')) continue;
        try {
          this.logs.push(JSON.parse(line) as LogLine);
        } catch {
          // not a log line
        }
      }
    });
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
  async waitForLog(msg: string | RegExp, timeoutMs = 90_000, from = 0): Promise<LogLine> {
    const matches = (l: LogLine): boolean =>
      typeof msg === 'string' ? l.msg === msg : msg.test(l.msg);
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
  async stop(timeoutMs = 20_000): Promise<Exit> {
    if (this.exit) return this.exit;
    this.signal('SIGTERM');
    const timer = setTimeout(() => this.signal('SIGKILL'), timeoutMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
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
