import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fourLetterWord } from '../../test/support/four-letter-word';
import { freePort } from '../../test/support/free-port';
import { readRssBytes } from '../coordinator/proc-stats';
import { Child, REPO_ROOT, TS_NODE_ARGS } from '../throughput/child';

const ENTRY = 'apps/coordinator/src/main.ts';
/** The build of the same entry (`npm run build`), as `npx shepherd coordinator` runs it. */
const COMPILED_ENTRY = join(REPO_ROOT, 'apps/dist/coordinator/src/main.js');

export interface CoordinatorAppOptions {
  /**
   * Run the build instead of ts-node (call compileApps() first): ts-node's compiler adds about
   * 100 MB to the process's RSS, which matters where RSS is what is measured.
   */
  compiled?: boolean;
}

/**
 * The embedded coordinator as the product runs it (apps/coordinator, on its ts-node entry), on
 * a free loopback port and a fresh dataDir, with the tickTime the session timeout under test
 * needs (the server bounds a session to [2, 20] ticks). The per-IP connection limit
 * (maxClientCnxns, 60 by default) is lifted: every session of a benchmark comes from
 * 127.0.0.1, 500 of them in the scale benchmark. Its pid is there for RSS and CPU readings.
 * restart() kills it (SIGKILL, a crash) and starts it again on the same port and dataDir.
 */
export class CoordinatorApp {
  readonly dataDir = mkdtempSync(join(tmpdir(), 'shepherd-bench-coordinator-'));
  port = 0;
  private child: Child | undefined;

  constructor(
    readonly tickTime: number,
    private readonly options: CoordinatorAppOptions = {},
  ) {}

  get connectString(): string {
    return `127.0.0.1:${this.port}`;
  }

  get pid(): number {
    if (!this.child) throw new Error('the coordinator is not started');
    return this.child.pid;
  }

  rssMB(): number {
    return readRssBytes(this.pid) / 2 ** 20;
  }

  async start(): Promise<void> {
    this.port = await freePort();
    await this.spawn();
  }

  /**
   * kill -9, then the same coordinator again (same port, same dataDir): it recovers from its
   * snapshot and log. Resolves when it answers ruok; returns ms from the spawn to then.
   */
  async restart(): Promise<number> {
    await this.child?.kill();
    const t0 = Date.now();
    await this.spawn();
    return Date.now() - t0;
  }

  private async spawn(): Promise<void> {
    this.child = new Child({
      name: 'coordinator',
      command: process.execPath,
      args: [
        ...(this.options.compiled ? [COMPILED_ENTRY] : [...TS_NODE_ARGS, ENTRY]),
        '--clientPort',
        String(this.port),
        '--clientPortAddress',
        '127.0.0.1',
        '--dataDir',
        this.dataDir,
        '--tickTime',
        String(this.tickTime),
        '--maxClientCnxns',
        '0',
        '--4lw.commands.whitelist',
        'ruok,srvr',
      ],
      env: { LOG_LEVEL: 'warn' },
    });
    await this.child.ready(
      async () => (await fourLetterWord(this.port, 'ruok').catch(() => '')) === 'imok',
      600_000,
    );
  }

  async stop(): Promise<void> {
    await this.child?.stop();
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}
