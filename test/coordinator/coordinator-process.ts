import { ChildProcess, spawn } from 'child_process';
import * as path from 'path';
import { waitFor } from '../support/wait-for';

const REPO_ROOT = path.resolve(__dirname, '../..');

export interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

/**
 * The coordinator app as a real process (ts-node, no build step), with its JSON log lines
 * collected so tests can read the bound port and assert what it logged.
 */
export class CoordinatorProcess {
  readonly logs: LogLine[] = [];
  stdout = '';
  stderr = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly child: ChildProcess;

  constructor(args: string[], env: NodeJS.ProcessEnv = {}) {
    this.child = spawn(
      process.execPath,
      [
        '-r',
        'ts-node/register/transpile-only',
        '-r',
        'tsconfig-paths/register',
        'apps/coordinator/src/main.ts',
        ...args,
      ],
      { cwd: REPO_ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let partial = '';
    this.child.stdout!.on('data', (d: Buffer) => {
      this.stdout += d.toString('utf8');
      partial += d.toString('utf8');
      const lines = partial.split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        try {
          this.logs.push(JSON.parse(line) as LogLine);
        } catch {
          // --help text and the like: kept in stdout only.
        }
      }
    });
    this.child.stderr!.on('data', (d: Buffer) => (this.stderr += d.toString('utf8')));
    this.exited = new Promise((resolve) =>
      this.child.once('exit', (code, signal) => resolve({ code, signal })),
    );
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** Resolves with the port from the "listening" log line; fails with the output if it exits. */
  port(timeoutMs = 30000): Promise<number> {
    return this.listening('listening for client connections', timeoutMs);
  }

  /** The secureClientPort, from its own "listening" line. */
  securePort(timeoutMs = 30000): Promise<number> {
    return this.listening('listening for TLS client connections', timeoutMs);
  }

  private async listening(msg: string, timeoutMs: number): Promise<number> {
    let exited = false;
    void this.exited.then(() => (exited = true));
    const line = await waitFor(
      'the coordinator to log its port',
      () => {
        if (exited) throw new Error(`exited early:\n${this.stdout}\n${this.stderr}`);
        return this.find(msg);
      },
      { timeoutMs, intervalMs: 50 },
    );
    return line.port as number;
  }

  find(msg: string): LogLine | undefined {
    return this.logs.find((l) => l.msg === msg);
  }

  kill(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  /** For afterEach: never leave a process behind. */
  async ensureDead(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill('SIGKILL');
      await this.exited;
    }
  }
}

/** A zoo.cfg for tests: loopback, port 0 (logged once bound), short tick. */
export function testZooCfg(dataDir: string, extra: string[] = []): string {
  return [
    '# test config',
    'tickTime=200',
    `dataDir=${dataDir}`,
    'clientPort=0',
    'clientPortAddress=127.0.0.1',
    ...extra,
    '',
  ].join('\n');
}
