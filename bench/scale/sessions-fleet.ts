import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Execution, readExecutions } from '../../test/support/taskqueue/exec-log';
import { Child, TS_NODE_ARGS } from '../throughput/child';

const HOST_ENTRY = 'bench/scale/sessions-host.ts';

export interface FleetSettings {
  connectString: string;
  hosts: number;
  workersPerHost: number;
  concurrency: number;
  sessionTimeoutMs: number;
}

/** One host process and the worker ids it runs. */
export interface Host {
  name: string;
  child: Child;
  workerIds: string[];
  execLog: string;
}

/**
 * The worker sessions of the sessions part: `hosts` processes of `workersPerHost` workers each
 * (sessions-host.ts), each host appending its handler starts to its own execution log.
 */
export class Fleet {
  readonly hosts: Host[] = [];
  private readonly logDir = mkdtempSync(join(tmpdir(), 'shepherd-bench-sessions-'));

  constructor(readonly settings: FleetSettings) {}

  get size(): number {
    return this.settings.hosts * this.settings.workersPerHost;
  }

  /** Spawns every host at once; resolves when each printed "ready", with each one's own ms. */
  async start(): Promise<number[]> {
    const s = this.settings;
    for (let h = 0; h < s.hosts; h++) {
      const name = `host${String(h).padStart(2, '0')}`;
      const execLog = join(this.logDir, `${name}.log`);
      const child = new Child({
        name,
        command: process.execPath,
        args: [...TS_NODE_ARGS, HOST_ENTRY],
        env: {
          ZK: s.connectString,
          HOST: name,
          WORKERS: String(s.workersPerHost),
          CONCURRENCY: String(s.concurrency),
          SESSION_TIMEOUT_MS: String(s.sessionTimeoutMs),
          EXEC_LOG: execLog,
        },
        readyLine: /^ready \d+$/m,
      });
      const workerIds = Array.from(
        { length: s.workersPerHost },
        (_, i) => `${name}-w${String(i).padStart(3, '0')}`,
      );
      this.hosts.push({ name, child, workerIds, execLog });
    }
    await Promise.all(this.hosts.map((h) => h.child.ready(undefined, 300_000)));
    return this.hosts.map((h) => Number(/^ready (\d+)$/m.exec(h.child.log)?.[1] ?? NaN));
  }

  /** kill -9 of one host: its sessions end only when the coordinator times them out. */
  async crash(host: Host): Promise<void> {
    process.kill(host.child.pid, 'SIGKILL');
    await host.child.exited;
  }

  /** Every handler start logged by every host so far (a killed host's log stays readable). */
  executions(): Execution[] {
    return this.hosts.flatMap((h) => readExecutions(h.execLog));
  }

  async stop(): Promise<void> {
    await Promise.all(this.hosts.map((h) => h.child.stop()));
    rmSync(this.logDir, { recursive: true, force: true });
  }
}
