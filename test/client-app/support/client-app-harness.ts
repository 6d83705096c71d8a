import type { NestExpressApplication } from '@nestjs/platform-express';
import { ClientEnv, createLogger, loadEnv } from '../../../apps/app-kit/src';
import { ZooKeeperConnection } from '@shepherd/coordination';
import { Master, type TaskHandlers, Worker } from '@shepherd/taskqueue';
import { ZkServer } from '@shepherd/zk-server';
import {
  createClientApp,
  type CreateClientAppOptions,
} from '../../../apps/client/src/create-client-app';
import { expireSession } from '../../support/expire-session';
import { waitFor } from '../../support/wait-for';
import { TEST_HANDLERS } from '../../support/test-handlers';

export const SESSION_TIMEOUT_MS = 2000;

/** The test handlers, sleep reporting its progress first ({sleeping: ms}). */
const HANDLERS: TaskHandlers = {
  ...TEST_HANDLERS,
  sleep: (t) => {
    t.progress({ sleeping: (t.payload as { ms: number }).ms });
    return TEST_HANDLERS.sleep(t);
  },
};

/** The embedded server for a spec file: tick 100 ms, so sessions end quickly. */
export async function startZkServer(): Promise<ZkServer> {
  const server = new ZkServer({ port: 0, tickTime: 100 });
  await server.start();
  return server;
}

let chroots = 0;

export interface HarnessOptions {
  apiToken?: string;
  /** Worker ids to start in this process (default one, "w1"). */
  workers?: string[];
  /** Start a master (default true). */
  master?: boolean;
  app?: Partial<Omit<CreateClientAppOptions, 'logger'>>;
}

/**
 * One queue under its own chroot on a shared embedded server: the client app from the real
 * createClientApp, listening on a free loopback port, with a master and workers in this
 * process, each on its own ZooKeeper connection (as separate processes would be).
 */
export class ClientAppHarness {
  readonly workers = new Map<string, Worker>();
  private readonly workerConnections = new Map<string, ZooKeeperConnection>();
  master: Master | undefined;
  private readonly connections: ZooKeeperConnection[] = [];

  private constructor(
    readonly server: ZkServer,
    readonly env: ClientEnv,
    readonly app: NestExpressApplication,
    readonly url: string,
  ) {}

  static async start(server: ZkServer, options: HarnessOptions = {}): Promise<ClientAppHarness> {
    const env = loadEnv(ClientEnv, {
      ZK_CONNECT: `${server.connectString}/client-app-${process.pid}-${++chroots}`,
      ZK_SESSION_TIMEOUT_MS: String(SESSION_TIMEOUT_MS),
      PORT: '0',
      LOG_LEVEL: 'silent',
      ...(options.apiToken !== undefined && { API_TOKEN: options.apiToken }),
    });
    const logger = createLogger('client-test', 'silent');
    const app = await createClientApp(env, { ...options.app, logger });
    await app.listen(0, '127.0.0.1');
    const address = app.getHttpServer().address();
    if (address === null || typeof address !== 'object') throw new Error('no address');
    const harness = new ClientAppHarness(server, env, app, `http://127.0.0.1:${address.port}`);
    if (options.master ?? true) await harness.startMaster('m1');
    for (const id of options.workers ?? ['w1']) await harness.startWorker(id);
    return harness;
  }

  /** The Express server, for supertest. */
  get http(): ReturnType<NestExpressApplication['getHttpServer']> {
    return this.app.getHttpServer();
  }

  async connection(): Promise<ZooKeeperConnection> {
    const connection = new ZooKeeperConnection({
      connectString: this.env.ZK_CONNECT,
      sessionTimeoutMs: SESSION_TIMEOUT_MS,
    });
    this.connections.push(connection);
    await connection.connect();
    return connection;
  }

  async startMaster(id: string): Promise<Master> {
    const master = new Master({ id, connection: await this.connection() });
    await master.start();
    await waitFor(`master ${id} leads`, () => master.isLeader, { timeoutMs: 10_000 });
    this.master = master;
    return master;
  }

  async startWorker(id: string, concurrency = 4): Promise<Worker> {
    const connection = await this.connection();
    this.workerConnections.set(id, connection);
    const worker = new Worker({
      id,
      connection,
      concurrency,
      handlers: HANDLERS,
      shutdownGraceMs: 0,
      progressIntervalMs: 0,
      closeConnection: false,
    });
    await worker.start();
    this.workers.set(id, worker);
    return worker;
  }

  async stopWorker(id: string): Promise<void> {
    await this.workers.get(id)?.stop({ graceMs: 0 });
    this.workers.delete(id);
  }

  /**
   * Ends a worker's session as a crash would (its ephemeral node goes, the master takes its
   * tasks back); the worker itself then registers again on a new session.
   */
  async expireWorkerSession(id: string): Promise<void> {
    const client = this.workerConnections.get(id)?.client;
    if (!client) throw new Error(`no worker ${id}`);
    await expireSession(this.server.connectString, client.sessionId, client.sessionPassword);
  }

  /** Closes the app first (its streams and session), then the roles and their sessions. */
  async stop(): Promise<void> {
    await this.app.close();
    for (const w of this.workers.values()) await w.stop({ graceMs: 0 }).catch(() => undefined);
    await this.master?.stop().catch(() => undefined);
    for (const c of this.connections) await c.close().catch(() => undefined);
  }
}

/**
 * The setup most spec files share: an embedded server and a harness on it (options as for
 * ClientAppHarness.start), started in beforeAll and stopped in afterAll. Call it at the top of
 * the file; the harness it returns stands for the one started, from the first test on.
 */
export function clientAppPerFile(options: HarnessOptions = {}): ClientAppHarness {
  let server: ZkServer | undefined;
  let harness: ClientAppHarness | undefined;
  beforeAll(async () => {
    server = await startZkServer();
    harness = await ClientAppHarness.start(server, options);
  });
  afterAll(async () => {
    await harness?.stop();
    await server?.stop();
  });
  // Stands for the harness beforeAll starts: a spec's module code runs before it exists.
  return new Proxy({} as ClientAppHarness, {
    get(_, key) {
      if (harness === undefined) throw new Error('the client app harness starts in beforeAll');
      const value: unknown = Reflect.get(harness, key, harness);
      return typeof value === 'function' ? (value as () => unknown).bind(harness) : value;
    },
  });
}
