import { CreateMode, NodeExistsError, OPEN_ACL_UNSAFE } from '@shepherd/zk-protocol';
import { TransportFactory, ZooKeeperClient } from '@shepherd/zk-client';
import { ZkServer } from '@shepherd/zk-server';
import { ZooKeeperConnection } from '@shepherd/coordination';
import {
  FailureKind,
  TaskQueueClient,
  TaskRecord,
  assignTransition,
  completeTransition,
  failTransition,
  paths,
  progressTransition,
  readTask,
  recoverTransition,
  startTransition,
  toTaskError,
  workerFence,
} from '@shepherd/taskqueue';
import { expireSession } from '../../../../test/support/expire-session';

export const SESSION_TIMEOUT_MS = 4000;

/** The embedded server: tick 100 ms, so sessions can be expired quickly. */
export async function startServer(): Promise<ZkServer> {
  const server = new ZkServer({ port: 0, tickTime: 100 });
  await server.start();
  return server;
}

let namespaces = 0;

/**
 * One test's own queue: a fresh chroot on the shared server, a connection to it, a client over
 * it and a raw client for playing master and workers by hand. `close()` ends them all.
 */
export class Namespace {
  server!: ZkServer;
  connectString!: string;
  connection!: ZooKeeperConnection;
  client!: TaskQueueClient;
  /** Plays the master (and the worker's multis) with the core transitions. */
  zk!: ZooKeeperClient;
  readonly workers = new Map<string, ZooKeeperClient>();

  private constructor() {}

  /**
   * Registers the spec file's hooks: one embedded server for the file (`ns.server`), and a
   * fresh namespace on it for each test.
   */
  static perTest(): Namespace {
    const ns = new Namespace();
    beforeAll(async () => {
      ns.server = await startServer();
    });
    afterAll(async () => {
      await ns.server?.stop();
    });
    beforeEach(() => ns.init());
    afterEach(() => ns.close());
    return ns;
  }

  /** Another namespace on `server`, e.g. over other transports; the caller closes it. */
  static async open(
    server: ZkServer,
    opts: { transportFactory?: TransportFactory } = {},
  ): Promise<Namespace> {
    const ns = new Namespace();
    ns.server = server;
    await ns.init(opts);
    return ns;
  }

  private async init(opts: { transportFactory?: TransportFactory } = {}): Promise<void> {
    const root = `/ns-${process.pid}-${++namespaces}`;
    const admin = new ZooKeeperClient(this.server.connectString);
    await admin.connect();
    await admin.create(root).catch((err: unknown) => {
      if (!(err instanceof NodeExistsError)) throw err;
    });
    await admin.close();
    this.connectString = `${this.server.connectString}${root}`;
    this.connection = new ZooKeeperConnection({
      connectString: this.connectString,
      sessionTimeoutMs: SESSION_TIMEOUT_MS,
      clientFactory: (cs, options) =>
        new ZooKeeperClient(cs, { ...options, transportFactory: opts.transportFactory }),
    });
    await this.connection.connect();
    this.zk = new ZooKeeperClient(this.connectString, { sessionTimeout: SESSION_TIMEOUT_MS });
    await this.zk.connect();
    this.client = new TaskQueueClient({ connection: this.connection });
  }

  async close(): Promise<void> {
    this.client?.close();
    for (const w of this.workers.values()) await w.close();
    this.workers.clear();
    await this.zk?.close();
    await this.connection?.close();
  }

  /** Expires the client's current session, the way kazoo's harness does. */
  async expireClientSession(): Promise<void> {
    const c = this.connection.client;
    await expireSession(this.server.connectString, c.sessionId, c.sessionPassword);
  }

  /** A worker as the worker role registers it: ephemeral /workers/<id>, persistent /assign/<id>. */
  async registerWorker(
    id: string,
    info: { concurrency?: number; types?: string[]; draining?: boolean } = {},
  ): Promise<ZooKeeperClient> {
    const w = new ZooKeeperClient(this.connectString, { sessionTimeout: SESSION_TIMEOUT_MS });
    await w.connect();
    const data = {
      id,
      host: 'test-host',
      pid: 4242,
      concurrency: info.concurrency ?? 2,
      types: info.types ?? ['*'],
      since: 1700000000000,
      draining: info.draining ?? false,
    };
    await w.create(paths.worker(id), JSON.stringify(data), { mode: CreateMode.EPHEMERAL });
    await w.create(paths.assignRoot(id)).catch((err: unknown) => {
      if (!(err instanceof NodeExistsError)) throw err;
    });
    this.workers.set(id, w);
    return w;
  }

  /** Master: assign a queued task to a registered worker (worker-fenced multi). */
  async assign(id: string, workerId: string): Promise<TaskRecord> {
    const stored = await this.mustRead(id, 'tasks');
    const worker = this.workers.get(workerId);
    if (!worker) throw new Error(`no worker ${workerId}`);
    const t = assignTransition(ctx(), stored.record, stored.version, {
      workerId,
      session: worker.sessionId.toString(16),
    });
    await this.zk.multi([workerFence(workerId), ...t.ops]);
    return t.record;
  }

  /** Worker: the handler started. */
  async start(id: string): Promise<void> {
    const stored = await this.mustRead(id, 'assign');
    await this.zk.multi(startTransition(ctx(), stored.record, stored.version).ops);
  }

  /** Worker: the handler reported progress. */
  async progress(id: string, value: unknown): Promise<void> {
    const stored = await this.mustRead(id, 'assign');
    await this.zk.multi(progressTransition(ctx(), stored.record, stored.version, value).ops);
  }

  /** Master: the worker holding the task is gone; the task goes back to /tasks. */
  async recover(id: string, workerId: string): Promise<void> {
    const stored = await this.mustRead(id, 'assign');
    await this.zk.multi(recoverTransition(ctx(), stored.record, stored.version, workerId).ops);
  }

  /** Worker: the handler returned `result`. */
  async complete(id: string, result: unknown): Promise<void> {
    const stored = await this.mustRead(id, 'assign');
    await this.zk.multi(completeTransition(ctx(), stored.record, stored.version, result).ops);
  }

  /** Worker: the handler threw. */
  async fail(id: string, message: string, kind: FailureKind = {}): Promise<void> {
    const stored = await this.mustRead(id, 'assign');
    const t = failTransition(
      ctx(),
      stored.record,
      stored.version,
      toTaskError(new Error(message)),
      kind,
    );
    await this.zk.multi(t.ops);
  }

  /** Assign and fail until the task is dead (its attempts spent). */
  async killTask(id: string, workerId: string): Promise<void> {
    for (;;) {
      const stored = await readTask(this.zk, id);
      if (stored?.area === 'dead') return;
      await this.assign(id, workerId);
      await this.fail(id, 'boom');
    }
  }

  private async mustRead(id: string, area: string) {
    const stored = await readTask(this.zk, id);
    if (!stored || stored.area !== area)
      throw new Error(`task ${id} is ${stored ? `in ${stored.area}` : 'nowhere'}, not in ${area}`);
    return stored;
  }
}

export function ctx() {
  return { acl: OPEN_ACL_UNSAFE, now: Date.now() };
}
