import type { NestExpressApplication } from '@nestjs/platform-express';
import { createHash } from 'crypto';
import { ClientEnv, connectionOptions, createLogger, loadEnv, zkAcl } from '../../apps/app-kit/src';
import { ZooKeeperConnection } from '@shepherd/coordination';
import { Master, TaskQueueClient, Worker } from '@shepherd/taskqueue';
import { ZkServer } from '@shepherd/zk-server';
import { createClientApp } from '../../apps/client/src/create-client-app';
import { TEST_HANDLERS } from '../support/test-handlers';
import { waitFor } from '../support/wait-for';

export const ZK_USER = 'shepherd';
export const ZK_PASSWORD = 'zk-secret-password';
export const ZK_AUTH = `${ZK_USER}:${ZK_PASSWORD}`;

/**
 * Long enough that a loaded machine (the embedded server runs in the test's own event loop)
 * never expires a session mid-test: these tests are about the API and the ACLs, not about
 * coordination outages, and a 503 would fail them spuriously.
 */
export const SESSION_TIMEOUT_MS = 10_000;

/** The embedded server for a spec file; its tick allows SESSION_TIMEOUT_MS (<= 20 ticks). */
export async function startServer(): Promise<ZkServer> {
  const server = new ZkServer({ port: 0, tickTime: 500 });
  await server.start();
  return server;
}

/** The digest id ZooKeeper stores for user:password: user:base64(sha1(user:password)). */
export function digestId(user: string, password: string): string {
  return `${user}:${createHash('sha1').update(`${user}:${password}`).digest('base64')}`;
}

export interface QueueAppOptions {
  /** ZK_AUTH: digest credentials, and the digest ACL on every znode. */
  zkAuth?: string;
  apiToken?: string;
  /** Start a master and a worker ("m1", "w1") in this process (default false). */
  roles?: boolean;
}

/**
 * The client app from the real createClientApp on its environment, under its own chroot, and,
 * when asked, a master and a worker given the connection options and ACL that the master and
 * worker apps derive from the same environment.
 */
export class QueueApp {
  private readonly connections: ZooKeeperConnection[] = [];
  private master: Master | undefined;
  private worker: Worker | undefined;

  private constructor(
    readonly env: ClientEnv,
    readonly app: NestExpressApplication,
  ) {}

  /** `connectString` without a chroot; the queue lives under `chroot`. */
  static async start(
    connectString: string,
    chroot: string,
    options: QueueAppOptions = {},
  ): Promise<QueueApp> {
    const env = loadEnv(ClientEnv, {
      ZK_CONNECT: `${connectString}${chroot}`,
      ZK_SESSION_TIMEOUT_MS: String(SESSION_TIMEOUT_MS),
      PORT: '0',
      LOG_LEVEL: 'silent',
      ...(options.zkAuth !== undefined && { ZK_AUTH: options.zkAuth }),
      ...(options.apiToken !== undefined && { API_TOKEN: options.apiToken }),
    });
    const app = await createClientApp(env, { logger: createLogger('security-test', 'silent') });
    await app.init();
    const queue = new QueueApp(env, app);
    if (options.roles) await queue.startRoles();
    return queue;
  }

  get http(): ReturnType<NestExpressApplication['getHttpServer']> {
    return this.app.getHttpServer();
  }

  /** A TaskQueueClient of its own (own session), with the app's credentials. */
  async client(): Promise<TaskQueueClient> {
    return new TaskQueueClient({ connection: await this.connection(), acl: zkAcl(this.env) });
  }

  private async connection(): Promise<ZooKeeperConnection> {
    const connection = new ZooKeeperConnection(connectionOptions(this.env));
    this.connections.push(connection);
    await connection.connect();
    return connection;
  }

  private async startRoles(): Promise<void> {
    const acl = zkAcl(this.env);
    const master = new Master({ id: 'm1', connection: await this.connection(), acl });
    await master.start();
    this.master = master;
    await waitFor('the master leads', () => master.isLeader, { timeoutMs: 10_000 });
    const worker = new Worker({
      id: 'w1',
      connection: await this.connection(),
      acl,
      concurrency: 2,
      handlers: TEST_HANDLERS,
      shutdownGraceMs: 0,
      progressIntervalMs: 0,
      closeConnection: false,
    });
    await worker.start();
    this.worker = worker;
  }

  async stop(): Promise<void> {
    await this.app.close();
    await this.worker?.stop({ graceMs: 0 }).catch(() => undefined);
    await this.master?.stop().catch(() => undefined);
    for (const c of this.connections) await c.close().catch(() => undefined);
  }
}
