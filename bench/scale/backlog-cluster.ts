import { ZooKeeperConnection } from '@shepherd/coordination';
import { TaskQueueClient } from '@shepherd/taskqueue';
import { CoordinatorApp } from '../common/coordinator-app';
import { Child } from '../throughput/child';
import { RoleProcess } from '../../test/support/taskqueue/role-process';
import { compileApps, compiledMaster } from './compiled-master';
import { MasterLog } from './master-log';

/** The masters' session timeout: short, so a kill -9 is noticed quickly and the run stays short. */
export const MASTER_SESSION_TIMEOUT_MS = 2000;
/**
 * Session expiry runs in tick buckets: a short tick keeps kill -> election close to the timeout
 * (the server admits sessions of 2 to 20 ticks).
 */
export const TICK_TIME_MS = 100;
/** Workers hold tasks across the master's failover; a longer session rides out a busy machine. */
const WORKER_SESSION_TIMEOUT_MS = 4000;

export interface MasterProcess {
  id: string;
  child: Child;
  log: MasterLog;
}

/**
 * The backlog part's processes: the coordinator app (fresh dataDir, fsync on), master app
 * processes as `npm run master` runs them (compiled), worker processes (the library worker with a no-op handler,
 * test/support/taskqueue/role-main.ts) and the benchmark's own client.
 */
export class BacklogCluster {
  readonly coordinator = new CoordinatorApp(TICK_TIME_MS);
  readonly masters: MasterProcess[] = [];
  readonly workers: RoleProcess[] = [];
  private connection: ZooKeeperConnection | undefined;
  client: TaskQueueClient | undefined;

  async start(): Promise<TaskQueueClient> {
    compileApps();
    await this.coordinator.start();
    this.connection = new ZooKeeperConnection({
      connectString: this.coordinator.connectString,
      sessionTimeoutMs: 30_000,
    });
    await this.connection.connect();
    this.client = new TaskQueueClient({ connection: this.connection });
    return this.client;
  }

  /** A master app process (compiled); resolves once it has joined the election. */
  async startMaster(id: string): Promise<MasterProcess> {
    const build = compiledMaster();
    const child = new Child({
      name: id,
      command: process.execPath,
      args: build.args,
      env: {
        ...build.env,
        ZK_CONNECT: this.coordinator.connectString,
        ZK_SESSION_TIMEOUT_MS: String(MASTER_SESSION_TIMEOUT_MS),
        MASTER_ID: id,
        LOG_LEVEL: 'info',
      },
      readyLine: /"msg":"master started: /,
    });
    const master = { id, child, log: new MasterLog(child) };
    this.masters.push(master);
    await child.ready();
    return master;
  }

  /** `count` worker processes with `concurrency` slots each, logging executions to `execLog`. */
  async startWorkers(count: number, concurrency: number, execLog: string): Promise<RoleProcess[]> {
    const started = Array.from(
      { length: count },
      (_, i) =>
        new RoleProcess({
          role: 'worker',
          id: `worker-${i + 1}`,
          connectString: this.coordinator.connectString,
          sessionTimeoutMs: WORKER_SESSION_TIMEOUT_MS,
          concurrency,
          execLog,
        }),
    );
    this.workers.push(...started);
    await Promise.all(started.map((w) => w.ready()));
    return started;
  }

  async stop(): Promise<void> {
    this.client?.close();
    await this.connection?.close().catch(() => undefined);
    await Promise.all([
      ...this.workers.map((w) => w.stop()),
      ...this.masters.map((m) => m.child.stop()),
    ]);
    await this.coordinator.stop();
  }
}
