import { ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';

export const REPO_ROOT = resolve(__dirname, '..', '..');

/** Node options that run a TypeScript entry without a build (as the tests and LocalCluster do). */
export const TS_NODE_ARGS = [
  '-r',
  'ts-node/register/transpile-only',
  '-r',
  'tsconfig-paths/register',
];

export interface ChildOptions {
  name: string;
  command: string;
  args: string[];
  env?: Record<string, string>;
  /** Ready once a line of its stdout matches (otherwise the caller probes it). */
  readyLine?: RegExp;
}

/**
 * One process of a peer (a server, a master, a worker, the client app), with its output kept
 * for the error message if it dies, ready on a stdout line, stopped with SIGTERM then SIGKILL.
 */
export class Child {
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly child: ChildProcess;
  private output = '';
  private done = false;

  constructor(readonly options: ChildOptions) {
    this.child = spawn(options.command, options.args, {
      cwd: REPO_ROOT,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (d: Buffer): void => {
      this.output = (this.output + d.toString('utf8')).slice(-20_000);
    };
    this.child.stdout!.on('data', keep);
    this.child.stderr!.on('data', keep);
    this.exited = new Promise((done) =>
      this.child.once('exit', (code, signal) => {
        this.done = true;
        done({ code, signal });
      }),
    );
  }

  get name(): string {
    return this.options.name;
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** The tail of its stdout and stderr. */
  get log(): string {
    return this.output;
  }

  get hasExited(): boolean {
    return this.done;
  }

  /** Resolves when `probe` (default: the ready line) is true; rejects if the child dies first. */
  async ready(probe?: () => Promise<boolean>, timeoutMs = 120_000): Promise<this> {
    const deadline = Date.now() + timeoutMs;
    const line = this.options.readyLine;
    for (;;) {
      if (this.done) throw new Error(`${this.name} exited before it was ready:\n${this.output}`);
      if (probe ? await probe() : line !== undefined && line.test(this.output)) return this;
      if (Date.now() > deadline)
        throw new Error(`${this.name} not ready after ${timeoutMs} ms:\n${this.output}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** kill -9: a crash. */
  async kill(): Promise<void> {
    if (this.done) return;
    this.child.kill('SIGKILL');
    await this.exited;
  }

  async stop(timeoutMs = 15_000): Promise<void> {
    if (this.done) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    await this.exited;
    clearTimeout(timer);
  }
}
