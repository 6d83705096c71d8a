import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fourLetterWord } from '../../test/support/zk-harness';
import { freePort } from '../../test/support/free-port';
import { waitFor } from '../../test/support/wait-for';

const REPO_ROOT = resolve(__dirname, '../..');
const ENTRY = 'apps/coordinator/src/main.ts';

/**
 * The embedded coordinator as the product runs it (apps/coordinator, on its ts-node entry), on a
 * free loopback port and a fresh dataDir, with the tickTime the session timeout under test needs
 * (the server bounds a session to [2, 20] ticks).
 */
export class CoordinatorApp {
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  private stderr = '';
  readonly dataDir = mkdtempSync(join(tmpdir(), 'shepherd-bench-failover-'));
  port = 0;

  constructor(readonly tickTime: number) {}

  get connectString(): string {
    return `127.0.0.1:${this.port}`;
  }

  async start(timeoutMs = 120000): Promise<void> {
    this.port = await freePort();
    const child = spawn(
      process.execPath,
      [
        '-r',
        'ts-node/register/transpile-only',
        '-r',
        'tsconfig-paths/register',
        ENTRY,
        '--clientPort',
        String(this.port),
        '--clientPortAddress',
        '127.0.0.1',
        '--dataDir',
        this.dataDir,
        '--tickTime',
        String(this.tickTime),
        '--4lw.commands.whitelist',
        'ruok,srvr',
      ],
      {
        cwd: REPO_ROOT,
        env: { ...process.env, LOG_LEVEL: 'warn' },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    this.child = child;
    child.stderr!.on(
      'data',
      (d: Buffer) => (this.stderr = (this.stderr + d.toString()).slice(-4000)),
    );
    this.exited = new Promise((done) => child.once('exit', () => done()));
    let gone = false;
    void this.exited.then(() => (gone = true));
    await waitFor(
      'the coordinator to answer ruok',
      async () => {
        if (gone) throw new Error(`the coordinator exited:\n${this.stderr}`);
        return (await fourLetterWord(this.port, 'ruok').catch(() => '')) === 'imok';
      },
      { timeoutMs, intervalMs: 100 },
    );
  }

  async stop(): Promise<void> {
    this.child?.kill('SIGTERM');
    const timer = setTimeout(() => this.child?.kill('SIGKILL'), 10000);
    await this.exited;
    clearTimeout(timer);
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}
