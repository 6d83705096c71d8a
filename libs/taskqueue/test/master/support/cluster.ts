import { CreateMode, KeeperState, OPEN_ACL_UNSAFE } from '@shepherd/zk-protocol';
import { ClientOptions, ZooKeeperClient } from '@shepherd/zk-client';
import { ZkServer } from '@shepherd/zk-server';
import { ZooKeeperConnection } from '@shepherd/coordination';
import {
  BUCKETS,
  Master,
  MasterLogger,
  MasterOptions,
  ROOTS,
  SubmitOptions,
  TaskRecord,
  commitBatch,
  completeTransition,
  decodeRecord,
  handBackTransition,
  ensureLayout,
  newTaskId,
  newTaskRecord,
  paths,
  readTask,
  submitTransition,
} from '@shepherd/taskqueue';
import { expireSession } from '../../../../../test/support/expire-session';
import { waitFor } from '../../../../../test/support/wait-for';

/** Set TQ_MASTER_LOG=1 to see what the masters log. */
export const testLogger: MasterLogger | undefined = process.env.TQ_MASTER_LOG
  ? {
      info: (o, m) => console.log('INFO', m, o),
      warn: (o, m) => console.log('WARN', m, o),
      error: (o, m) => console.log('ERROR', m, o),
      debug: (o, m) => console.log('DEBUG', m, o),
    }
  : undefined;

let chroots = 0;

/**
 * A spec file's world: one embedded server (tick 100 ms, sessions of up to 10 s), and for each
 * test its own chroot on it, an admin client to arrange and inspect the tree, and every master,
 * worker and connection the test made (closed after it).
 */
export class TestCluster {
  server!: ZkServer;
  connectString!: string;
  admin!: ZooKeeperClient;
  readonly masters: Master[] = [];
  readonly workers: FakeWorker[] = [];
  private readonly connections: ZooKeeperConnection[] = [];
  private readonly connectionOf = new Map<Master, ZooKeeperConnection>();

  /** Registers the spec file's hooks: one server for the file, a fresh chroot for each test. */
  static perTest(): TestCluster {
    const cluster = new TestCluster();
    beforeAll(() => cluster.startServer());
    afterAll(() => cluster.stopServer());
    beforeEach(() => cluster.open());
    afterEach(() => cluster.close());
    return cluster;
  }

  /** Registers the spec file's hooks: one server and one chroot for all its tests. */
  static perFile(): TestCluster {
    const cluster = new TestCluster();
    beforeAll(async () => {
      await cluster.startServer();
      await cluster.open();
    });
    afterAll(async () => {
      await cluster.close();
      await cluster.stopServer();
    });
    return cluster;
  }

  private async startServer(): Promise<void> {
    this.server = new ZkServer({ port: 0, tickTime: 100, maxSessionTimeout: 10_000 });
    await this.server.start();
  }

  private async stopServer(): Promise<void> {
    await this.server?.stop();
  }

  /** A fresh chroot with the layout, and the admin client on it. */
  private async open(): Promise<void> {
    const root = `/m${process.pid}-${++chroots}`;
    const top = new ZooKeeperClient(this.server.connectString);
    await top.connect();
    await top.create(root);
    await top.close();
    this.connectString = `${this.server.connectString}${root}`;
    this.admin = new ZooKeeperClient(this.connectString, { sessionTimeout: 5000 });
    await this.admin.connect();
    await ensureLayout(this.admin);
  }

  async connection(clientOptions: Partial<ClientOptions> = {}): Promise<ZooKeeperConnection> {
    const connection = new ZooKeeperConnection({
      connectString: this.connectString,
      sessionTimeoutMs: 5000,
      clientFactory: (cs, options) => new ZooKeeperClient(cs, { ...options, ...clientOptions }),
    });
    this.connections.push(connection);
    await connection.connect();
    return connection;
  }

  /** A master on its own connection (not started). */
  async master(
    id: string,
    options: Partial<Omit<MasterOptions, 'id' | 'connection'>> = {},
    clientOptions: Partial<ClientOptions> = {},
  ): Promise<Master> {
    const connection = await this.connection(clientOptions);
    const master = new Master({ id, connection, logger: testLogger, ...options });
    this.masters.push(master);
    this.connectionOf.set(master, connection);
    return master;
  }

  /** The current session's client of a master made by master(). */
  clientOf(master: Master): ZooKeeperClient {
    const connection = this.connectionOf.get(master);
    if (connection === undefined) throw new Error('not a master of this cluster');
    return connection.client;
  }

  /**
   * Expires the current session of a master made by master() (see expireSession), and waits
   * until the master's client has itself seen it expire.
   */
  async expire(master: Master): Promise<void> {
    const victim = this.clientOf(master);
    let expired = false;
    const sub = victim.state$.subscribe((s) => {
      if (s === KeeperState.Expired) expired = true;
    });
    try {
      await expireSession(this.connectString, victim.sessionId, victim.sessionPassword);
      await waitFor('the master to see its session expire', () => expired, { timeoutMs: 10000 });
    } finally {
      sub.unsubscribe();
    }
  }

  /** The election node of the candidate with this id (from the node's JSON data). */
  async electionNodeOf(id: string): Promise<string | undefined> {
    for (const name of await this.admin.getChildren(ROOTS.election)) {
      const path = `${ROOTS.election}/${name}`;
      try {
        const { data } = await this.admin.getData(path);
        if ((JSON.parse(String(data)) as { id?: string }).id === id) return path;
      } catch {
        // gone meanwhile
      }
    }
    return undefined;
  }

  async worker(id: string, spec: Partial<FakeWorkerSpec> = {}): Promise<FakeWorker> {
    const worker = await FakeWorker.register(this.connectString, id, spec);
    this.workers.push(worker);
    return worker;
  }

  /** Submits tasks the way the client role does (one multi per chunk). */
  async submit(type: string, count = 1, options: SubmitOptions = {}, payload: unknown = {}) {
    const now = Date.now();
    const records = Array.from({ length: count }, (_, i) =>
      newTaskRecord(newTaskId(now + i, undefined, options.priority), type, payload, options, now),
    );
    const ctx = { acl: OPEN_ACL_UNSAFE, now };
    const outcome = await commitBatch(
      this.admin,
      records.map((r) => ({ ops: submitTransition(ctx, r).ops, value: r.id })),
    );
    if (outcome.rejected.length > 0) throw outcome.rejected[0].error;
    return records.map((r) => r.id);
  }

  /** Where a task is, and its record. */
  async find(id: string) {
    const found = await readTask(this.admin, id);
    if (found === null) throw new Error(`task ${id} not found`);
    return found;
  }

  async assignmentsOf(workerId: string): Promise<string[]> {
    try {
      return (await this.admin.getChildren(paths.assignRoot(workerId))).sort();
    } catch {
      return [];
    }
  }

  /** Queued task ids (every bucket). */
  async queued(): Promise<string[]> {
    const out: string[] = [];
    for (let i = 0; i < BUCKETS.length; i += 32) {
      const results = await this.admin.multiRead(
        BUCKETS.slice(i, i + 32).map((b) => ({
          type: 'getChildren' as const,
          path: `${ROOTS.tasks}/${b}`,
        })),
      );
      for (const r of results) if ('children' in r) out.push(...r.children);
    }
    return out.sort();
  }

  async leaderOf(masters: Master[] = this.masters): Promise<Master> {
    return waitFor('exactly one leader', () => {
      const leaders = masters.filter((m) => m.isLeader);
      return leaders.length === 1 ? leaders[0] : undefined;
    });
  }

  /** Closes everything the test made. */
  private async close(): Promise<void> {
    for (const m of this.masters.splice(0)) await m.stop().catch(() => undefined);
    for (const w of this.workers.splice(0)) await w.close().catch(() => undefined);
    for (const c of this.connections.splice(0)) await c.close().catch(() => undefined);
    this.connectionOf.clear();
    await this.admin?.close().catch(() => undefined);
  }
}

export interface FakeWorkerSpec {
  concurrency: number;
  types: string[];
  draining: boolean;
}

/**
 * A worker made by hand: a raw client that registers the ephemeral /workers/<id> and the
 * persistent /assign/<id>, and completes tasks on request with the core transition.
 */
export class FakeWorker {
  private spec: FakeWorkerSpec;

  private constructor(
    readonly id: string,
    readonly client: ZooKeeperClient,
    spec: FakeWorkerSpec,
  ) {
    this.spec = spec;
  }

  static async register(connectString: string, id: string, spec: Partial<FakeWorkerSpec>) {
    const client = new ZooKeeperClient(connectString, { sessionTimeout: 5000 });
    await client.connect();
    const full: FakeWorkerSpec = { concurrency: 1, types: ['echo'], draining: false, ...spec };
    const worker = new FakeWorker(id, client, full);
    await client.create(paths.assignRoot(id)).catch(() => undefined);
    await client.create(paths.worker(id), worker.data(), { mode: CreateMode.EPHEMERAL });
    return worker;
  }

  get session(): string {
    return this.client.sessionId.toString(16);
  }

  async setDraining(draining: boolean): Promise<void> {
    this.spec = { ...this.spec, draining };
    await this.client.setData(paths.worker(this.id), this.data());
  }

  async assignments(): Promise<string[]> {
    return (await this.client.getChildren(paths.assignRoot(this.id))).sort();
  }

  async record(taskId: string): Promise<{ record: TaskRecord; version: number }> {
    const path = paths.assignment(this.id, taskId);
    const { data, stat } = await this.client.getData(path);
    return { record: decodeRecord(data, path), version: stat.version };
  }

  /** Completes an assigned task: /status record created, assignment deleted, in one multi. */
  async complete(taskId: string, result: unknown = 'ok'): Promise<void> {
    const { record, version } = await this.record(taskId);
    const t = completeTransition(
      { acl: OPEN_ACL_UNSAFE, now: Date.now() },
      record,
      version,
      result,
    );
    await this.client.multi(t.ops);
  }

  /** Hands an assigned task back (graceful shutdown): it is queued again, attempt not counted. */
  async handBack(taskId: string): Promise<void> {
    const { record, version } = await this.record(taskId);
    const t = handBackTransition({ acl: OPEN_ACL_UNSAFE, now: Date.now() }, record, version);
    await this.client.multi(t.ops);
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  private data(): string {
    return JSON.stringify({
      id: this.id,
      host: 'test',
      pid: process.pid,
      since: Date.now(),
      ...this.spec,
    });
  }
}
