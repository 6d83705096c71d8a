import { ZooKeeperConnection } from '@shepherd/coordination';
import { ClientOptions, ZooKeeperClient } from '@shepherd/zk-client';
import { NoNodeError, OPEN_ACL_UNSAFE } from '@shepherd/zk-protocol';
import { ZkServer } from '@shepherd/zk-server';
import {
  SubmitOptions,
  TaskRecord,
  TransitionContext,
  Worker,
  WorkerOptions,
  assignTransition,
  commitBatch,
  decodeRecord,
  ensureLayout,
  newTaskId,
  newTaskRecord,
  paths,
  submitTransition,
  workerFence,
} from '@shepherd/taskqueue';
import { waitFor } from '../../../../../test/support/wait-for';

export const ctx = (): TransitionContext => ({ acl: OPEN_ACL_UNSAFE, now: Date.now() });

/**
 * One embedded server for a spec file, an admin client that plays the master (and the
 * submitter) with the core transitions, and bookkeeping to close what a test opened.
 */
export class Cluster {
  server!: ZkServer;
  admin!: ZooKeeperClient;
  private readonly connections: ZooKeeperConnection[] = [];
  private readonly workers: Worker[] = [];
  private readonly clients: ZooKeeperClient[] = [];

  /**
   * Registers the spec file's hooks: the server starts before its tests and stops after them,
   * and what a test opened is closed after it.
   */
  static perTest(): Cluster {
    const cluster = new Cluster();
    beforeAll(() => cluster.start());
    afterEach(() => cluster.cleanup());
    afterAll(() => cluster.stop());
    return cluster;
  }

  async start(): Promise<void> {
    this.server = new ZkServer({ port: 0, tickTime: 100 });
    await this.server.start();
    this.admin = await this.client();
    await ensureLayout(this.admin);
  }

  async stop(): Promise<void> {
    await this.admin.close();
    await this.server.stop();
  }

  /** Stops every worker (no grace) and closes every connection a test opened. */
  async cleanup(): Promise<void> {
    await Promise.all(this.workers.splice(0).map((w) => w.stop({ graceMs: 0 }).catch(() => {})));
    await Promise.all(this.connections.splice(0).map((c) => c.close()));
    await Promise.all(this.clients.splice(0).map((c) => c.close()));
  }

  async client(options: ClientOptions = {}): Promise<ZooKeeperClient> {
    const client = new ZooKeeperClient(this.server.connectString, {
      sessionTimeout: 2000,
      ...options,
    });
    await client.connect();
    if (this.admin) this.clients.push(client);
    return client;
  }

  connection(clientOptions: Partial<ClientOptions> = {}): ZooKeeperConnection {
    const connection = new ZooKeeperConnection({
      connectString: this.server.connectString,
      sessionTimeoutMs: 2000,
      connectRetry: { baseDelayMs: 20, maxDelayMs: 200 },
      clientFactory: (cs, options) => new ZooKeeperClient(cs, { ...options, ...clientOptions }),
    });
    this.connections.push(connection);
    return connection;
  }

  /** A worker on its own connection (unless one is given), not started. */
  newWorker(options: Omit<WorkerOptions, 'connection'> & { connection?: ZooKeeperConnection }) {
    const worker = new Worker({ connection: options.connection ?? this.connection(), ...options });
    this.workers.push(worker);
    return worker;
  }

  /** A started worker. */
  async worker(options: Omit<WorkerOptions, 'connection'> & { connection?: ZooKeeperConnection }) {
    const worker = this.newWorker(options);
    await worker.start();
    return worker;
  }

  async submit(type: string, payload: unknown, options: SubmitOptions = {}): Promise<string> {
    const id = newTaskId();
    const record = newTaskRecord(id, type, payload, options, Date.now());
    await this.admin.multi(submitTransition(ctx(), record).ops);
    return id;
  }

  /**
   * What the master does: the queued task to the worker's live incarnation, fenced on its
   * /workers node. Returns the assignment record.
   */
  async assign(workerId: string, id: string): Promise<TaskRecord> {
    const owner = await this.admin.exists(paths.worker(workerId));
    if (owner === null) throw new Error(`worker ${workerId} is not registered`);
    const { data, stat } = await this.admin.getData(paths.task(id));
    const t = assignTransition(ctx(), decodeRecord(data, paths.task(id)), stat.version, {
      workerId,
      session: owner.ephemeralOwner.toString(16),
    });
    const outcome = await commitBatch(this.admin, [
      { ops: [workerFence(workerId), ...t.ops], value: id },
    ]);
    if (outcome.rejected.length > 0) throw outcome.rejected[0].error;
    return t.record;
  }

  async submitAndAssign(workerId: string, type: string, payload: unknown, options?: SubmitOptions) {
    const id = await this.submit(type, payload, options);
    await this.assign(workerId, id);
    return id;
  }

  /** The record at `path`, or null. */
  async read(path: string): Promise<{ record: TaskRecord; version: number } | null> {
    try {
      const { data, stat } = await this.admin.getData(path);
      return { record: decodeRecord(data, path), version: stat.version };
    } catch (err) {
      if (err instanceof NoNodeError) return null;
      throw err;
    }
  }

  waitForRecord(path: string, what = path, timeoutMs = 5000): Promise<TaskRecord> {
    return waitFor(what, async () => (await this.read(path))?.record, {
      timeoutMs,
      intervalMs: 20,
    });
  }

  async gone(path: string): Promise<boolean> {
    return (await this.admin.exists(path)) === null;
  }
}

/** A promise with its resolve exposed: lets a handler wait for the test, or the reverse. */
export function gate<T = void>(): { promise: Promise<T>; open(value: T): void } {
  let open!: (value: T) => void;
  const promise = new Promise<T>((resolve) => (open = resolve));
  return { promise, open };
}
