import { ChildProcess, spawn } from 'child_process';
import * as path from 'path';
import { waitFor } from '../wait-for';

const REPO_ROOT = path.resolve(__dirname, '../../..');
const ENTRY = 'test/support/taskqueue/role-main.ts';

export interface RoleOptions {
  role: 'master' | 'worker';
  id: string;
  connectString: string;
  sessionTimeoutMs?: number;
  concurrency?: number;
  execLog?: string;
}

/** A master or worker in its own process (ts-node, no build), killable for real. */
export class RoleProcess {
  stdout = '';
  stderr = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly child: ChildProcess;
  private hasExited = false;

  constructor(readonly options: RoleOptions) {
    this.child = spawn(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', ENTRY],
      {
        cwd: REPO_ROOT,
        env: {
          ...process.env,
          ROLE: options.role,
          ID: options.id,
          ZK: options.connectString,
          SESSION_TIMEOUT_MS: String(options.sessionTimeoutMs ?? 4000),
          CONCURRENCY: String(options.concurrency ?? 4),
          EXEC_LOG: options.execLog ?? '',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    this.child.stdout!.on('data', (d: Buffer) => (this.stdout += d.toString('utf8')));
    this.child.stderr!.on('data', (d: Buffer) => (this.stderr += d.toString('utf8')));
    this.exited = new Promise((resolve) =>
      this.child.once('exit', (code, signal) => {
        this.hasExited = true;
        resolve({ code, signal });
      }),
    );
  }

  get id(): string {
    return this.options.id;
  }

  get pid(): number {
    return this.child.pid!;
  }

  async ready(timeoutMs = 60000): Promise<this> {
    const started = waitFor(
      `${this.options.role} ${this.id} to start`,
      () => this.stdout.includes('ready\n') || undefined,
      { timeoutMs, intervalMs: 50 },
    );
    const died = this.exited.then(({ code, signal }) => {
      throw new Error(`${this.id} exited (${code ?? signal}) before it was ready:\n${this.stderr}`);
    });
    await Promise.race([started, died]);
    return this;
  }

  signal(signal: NodeJS.Signals): void {
    if (!this.hasExited) this.child.kill(signal);
  }

  /** kill -9: no goodbye, no closeSession; its session lives on until the timeout. */
  async crash(): Promise<void> {
    this.signal('SIGKILL');
    await this.exited;
  }

  async stop(timeoutMs = 15000): Promise<void> {
    if (this.hasExited) return;
    this.signal('SIGTERM');
    const timer = setTimeout(() => this.signal('SIGKILL'), timeoutMs);
    await this.exited;
    clearTimeout(timer);
  }
}
