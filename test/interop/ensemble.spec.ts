import { ClientOptions, WatchedEvent, ZooKeeperClient } from '@shepherd/zk-client';
import {
  CreateMode,
  EventType,
  FrameDecoder,
  KeeperState,
  OpCode,
  decodeConnectRequest,
  decodeRequest,
} from '@shepherd/zk-protocol';
import { AsyncQueue } from '../contract/async-queue';
import { describeClientContract } from '../contract/client-contract';
import { ZkCluster, startEnsemble } from '../support/zk-harness';
import { RecordingProxy } from '../tools/recording-proxy';
import { harnessTarget } from './harness-target';

// Apache ZooKeeper 3.8 (Debian's package), three servers on loopback ports.
let cluster: ZkCluster | undefined;

beforeAll(async () => {
  cluster = await startEnsemble(3);
});

afterAll(async () => {
  await cluster?.stop();
});

describeClientContract('Apache ZooKeeper 3-server ensemble', () => harnessTarget(cluster));

/** The next node event (watchers also hear the session's Disconnected/SyncConnected). */
function nodeEvent(queue: AsyncQueue<WatchedEvent>, what: string): Promise<WatchedEvent> {
  return queue.nextMatching(what, (e) => e.type !== EventType.None, 30000);
}

function running(): ZkCluster {
  if (!cluster) throw new Error('ZooKeeper is not running: see the beforeAll failure above');
  return cluster;
}

describe('ensemble failover', () => {
  const clients: ZooKeeperClient[] = [];
  const killed = new Set<number>();

  async function client(connectString: string, options: ClientOptions = {}) {
    const zk = new ZooKeeperClient(connectString, { sessionTimeout: 10000, ...options });
    clients.push(zk);
    await zk.connect();
    return zk;
  }

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close().catch(() => undefined)));
    // Later cases (and the contract, if reordered) get the whole ensemble back.
    for (const index of killed) await running().start(index);
    killed.clear();
  });

  /** A connect string listing `first` first, so an unshuffled client starts there. */
  function startingAt(first: number): string {
    const c = running();
    const order = [first, ...c.servers.keys()].filter((v, i, all) => all.indexOf(v) === i);
    return order.map((i) => c.connectStringFor(i)).join(',');
  }

  async function failoverCase(role: 'leader' | 'follower'): Promise<void> {
    const c = running();
    const modes = await c.modes();
    const start = modes.findIndex((m) => m === role);
    expect(start).toBeGreaterThanOrEqual(0);

    const zk = await client(startingAt(start), { shuffleHosts: false });
    const states = new AsyncQueue<KeeperState>();
    const sub = zk.state$.subscribe(states.push);
    try {
      const sessionId = zk.sessionId;
      expect(await c.serverIndexOfSession(sessionId)).toBe(start);
      const root = await zk.create(`/failover-${role}-${Date.now().toString(36)}`);
      await zk.create(`${root}/eph`, 'mine', { mode: CreateMode.EPHEMERAL });
      const dataEvents = new AsyncQueue<WatchedEvent>();
      const childEvents = new AsyncQueue<WatchedEvent>();
      await zk.getData(root, dataEvents.push);
      await zk.getChildren(root, childEvents.push);

      await c.kill(start);
      killed.add(start);
      await states.nextMatching('Disconnected', (s) => s === KeeperState.Disconnected, 20000);
      await states.nextMatching('SyncConnected', (s) => s === KeeperState.SyncConnected, 30000);

      // Same session, on another member; no Expired on the way.
      expect(states.received).not.toContain(KeeperState.Expired);
      expect(zk.sessionId).toBe(sessionId);
      const now = await c.serverIndexOfSession(sessionId);
      expect(now).not.toBe(start);

      // The ephemeral survived, still owned by the session.
      const survivor = (now + 1) % 3 === start ? (now + 2) % 3 : (now + 1) % 3;
      const other = await client(c.connectStringFor(survivor));
      await other.sync(root);
      expect((await other.exists(`${root}/eph`))?.ephemeralOwner).toBe(sessionId);

      // Watches set before the kill fire for changes made after it.
      await other.setData(root, 'after the kill');
      await other.create(`${root}/new-child`);
      expect(await nodeEvent(dataEvents, 'NodeDataChanged')).toEqual({
        type: EventType.NodeDataChanged,
        state: KeeperState.SyncConnected,
        path: root,
      });
      expect(await nodeEvent(childEvents, 'NodeChildrenChanged')).toEqual({
        type: EventType.NodeChildrenChanged,
        state: KeeperState.SyncConnected,
        path: root,
      });
      // The session is fully usable.
      expect((await zk.getData(root)).data?.toString()).toBe('after the kill');
    } finally {
      sub.unsubscribe();
    }
  }

  it('survives SIGKILL of its (follower) server: same session, ephemerals, watches', () =>
    failoverCase('follower'));

  it('survives SIGKILL of its (leader) server: same session, ephemerals, watches', () =>
    failoverCase('leader'));

  it('reconnects with lastZxidSeen and setWatches; a missed change fires on reconnect', async () => {
    const c = running();
    const [first, second, writerIndex] = [0, 1, 2];
    // The client reaches the ensemble through a proxy we can cut and re-point: it reconnects to
    // the same address but lands on another member, after changes it could not see.
    const proxy = await RecordingProxy.start({
      host: '127.0.0.1',
      port: c.servers[first].clientPort,
    });
    try {
      const zk = await client(proxy.connectString);
      const states = new AsyncQueue<KeeperState>();
      const sub = zk.state$.subscribe(states.push);
      const writer = await client(c.connectStringFor(writerIndex));
      const root = await zk.create(`/missed-${Date.now().toString(36)}`, 'v0');
      const data = new AsyncQueue<WatchedEvent>();
      const created = new AsyncQueue<WatchedEvent>();
      const children = new AsyncQueue<WatchedEvent>();
      await zk.getData(root, data.push);
      await zk.exists(`${root}/later`, created.push);
      await zk.getChildren(root, children.push);

      proxy.accepting = false;
      proxy.dropConnections();
      await states.nextMatching('Disconnected', (s) => s === KeeperState.Disconnected);
      const lastZxidSeen = zk.lastZxid;
      expect(lastZxidSeen).toBeGreaterThan(0n);

      // Changes the client misses while it is cut off.
      await writer.setData(root, 'v1');
      await writer.create(`${root}/later`);
      await writer.sync(root);
      proxy.target = { host: '127.0.0.1', port: c.servers[second].clientPort };
      proxy.accepting = true;
      await states.nextMatching('SyncConnected', (s) => s === KeeperState.SyncConnected, 30000);
      sub.unsubscribe();

      const changed = { state: KeeperState.SyncConnected };
      expect(await nodeEvent(data, 'missed NodeDataChanged')).toEqual({
        ...changed,
        type: EventType.NodeDataChanged,
        path: root,
      });
      expect(await nodeEvent(created, 'missed NodeCreated')).toEqual({
        ...changed,
        type: EventType.NodeCreated,
        path: `${root}/later`,
      });
      expect(await nodeEvent(children, 'missed NodeChildrenChanged')).toEqual({
        ...changed,
        type: EventType.NodeChildrenChanged,
        path: root,
      });

      // On the wire: the reconnect names the session and the last zxid it saw, and
      // re-registers the watches relative to that zxid.
      const reconnect = proxy.connections[proxy.connections.length - 1];
      const frames = new FrameDecoder().push(
        Buffer.concat(reconnect.chunks.filter((ch) => ch.dir === 'c2s').map((ch) => ch.data)),
      );
      const hello = decodeConnectRequest(frames[0]);
      expect(hello.sessionId).toBe(zk.sessionId);
      expect(hello.lastZxidSeen).toBe(lastZxidSeen);
      const setWatches = frames
        .slice(1)
        .map((f) => decodeRequest(f))
        .find((r) => r.request.op === OpCode.setWatches || r.request.op === OpCode.setWatches2);
      expect(setWatches).toBeDefined();
      expect(setWatches!.header.xid).toBe(-8);
      expect(setWatches!.request).toMatchObject({
        relativeZxid: lastZxidSeen,
        dataWatches: [root],
        existWatches: [`${root}/later`],
        childWatches: [root],
      });
    } finally {
      await proxy.close();
    }
  });
});
