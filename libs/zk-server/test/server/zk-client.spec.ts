import { WatchedEvent, ZooKeeperClient } from '@shepherd/zk-client';
import { EventType } from '@shepherd/zk-protocol';
import { ZkServer } from '@shepherd/zk-server';
import { eventually, startServer } from './server-test-kit';

// The repo's own client against the embedded server; the full client contract runs in
// test/embedded/contract.spec.ts, this covers server paths the contract does not force.
describe('ZkServer with @shepherd/zk-client', () => {
  let server: ZkServer;
  const clients: ZooKeeperClient[] = [];

  async function client(): Promise<ZooKeeperClient> {
    const zk = new ZooKeeperClient(server.connectString, { sessionTimeout: 10000 });
    clients.push(zk);
    await zk.connect();
    return zk;
  }

  beforeEach(async () => {
    server = await startServer({ tickTime: 500 });
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close().catch(() => undefined)));
    await server.stop();
  });

  it('re-registers watches with setWatches after a reconnect and reports what it missed', async () => {
    const zk = await client();
    const other = await client();
    await zk.create('/sw', 'v0');
    const events: WatchedEvent[] = [];
    // Watchers also hear session events (type None); keep the node events.
    const onEvent = (e: WatchedEvent) => void (e.type !== EventType.None && events.push(e));
    await zk.getData('/sw', onEvent);
    await zk.exists('/sw-new', onEvent);

    // Drop zk's connection from the server side; the client reconnects to the same session.
    for (const cnxn of server.core.connections) {
      if (cnxn.sessionId === zk.sessionId) cnxn.close('test');
    }
    await other.setData('/sw', 'v1');
    await other.create('/sw-new');
    await eventually('both events', () => events.length >= 2);
    expect(events.map((e) => [e.type, e.path]).sort()).toEqual(
      [
        [EventType.NodeCreated, '/sw-new'],
        [EventType.NodeDataChanged, '/sw'],
      ].sort(),
    );
    expect((await zk.getData('/sw')).data?.toString()).toBe('v1');
  });

  it('answers a burst of pipelined writes and reads in order', async () => {
    const zk = await client();
    await zk.create('/burst');
    const ops = [];
    for (let i = 0; i < 200; i++) {
      ops.push(zk.create(`/burst/n${i}`, String(i)));
      ops.push(zk.getAllChildrenNumber('/burst'));
    }
    const results = await Promise.all(ops);
    for (let i = 0; i < 200; i++) expect(results[2 * i + 1]).toBe(i + 1);
  });
});
