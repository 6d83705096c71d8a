import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fourLetterWord } from '../../test/support/four-letter-word';
import { freePort } from '../../test/support/free-port';
import { readRssBytes } from '../coordinator/proc-stats';
import { Child, TS_NODE_ARGS } from '../throughput/child';

const ENTRY = 'apps/coordinator/src/main.ts';

/**
 * The embedded coordinator as the product runs it (apps/coordinator, on its ts-node entry), on
 * a free loopback port and a fresh dataDir, with the tickTime the session timeout under test
 * needs (the server bounds a session to [2, 20] ticks). The per-IP connection limit
 * (maxClientCnxns, 60 by default) is lifted: every session of a benchmark comes from
 * 127.0.0.1, 500 of them in the scale benchmark. Its pid is there for RSS and CPU readings.
 */
export class CoordinatorApp {
  readonly dataDir = mkdtempSync(join(tmpdir(), 'shepherd-bench-coordinator-'));
  port = 0;
  private child: Child | undefined;

  constructor(readonly tickTime: number) {}

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
    this.child = new Child({
      name: 'coordinator',
      command: process.execPath,
      args: [
        ...TS_NODE_ARGS,
        ENTRY,
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
    );
  }

  async stop(): Promise<void> {
    await this.child?.stop();
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}
