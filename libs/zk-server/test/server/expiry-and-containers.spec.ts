import { ZooKeeperClient } from '@shepherd/zk-client';
import { CreateMode, EventType, OPEN_ACL_UNSAFE, OpCode } from '@shepherd/zk-protocol';
import { ZkServer } from '@shepherd/zk-server';
import { FakeClock } from '../../../../test/support/fake-clock';
import { RawClient, eventually, startServer } from './server-test-kit';

const TICK = 1000;

describe('ZkServer session expiry and the container manager (fake clock)', () => {
  let clock: FakeClock;
  let server: ZkServer;
  let observer: ZooKeeperClient;

  beforeEach(async () => {
    clock = new FakeClock();
    server = await startServer({
      clock,
      tickTime: TICK,
      extendedTypesEnabled: true,
      containerCheckIntervalMs: 5000,
    });
    observer = new ZooKeeperClient(server.connectString, { sessionTimeout: 20000 });
    await observer.connect();
  });
  afterEach(async () => {
    await observer.close();
    await server.stop();
  });

  it('expires a silent session: closeSession txn, ephemerals deleted, watches fired, connection closed', async () => {
    const { client: silent, response } = await RawClient.session(server, { timeOut: 4000 });
    expect(response.timeOut).toBe(4000);
    silent.request(1, {
      op: OpCode.create,
      path: '/eph',
      data: Buffer.alloc(0),
      acl: OPEN_ACL_UNSAFE,
      flags: CreateMode.EPHEMERAL,
    });
    expect((await silent.nextReply()).header.err).toBe(0);
    const events: Array<{ type: EventType; path?: string }> = [];
    await observer.exists('/eph', (e) => events.push(e));

    // Half way, the observer talks (touch); the silent session does not.
    clock.advance(2000);
    await observer.exists('/');
    expect(server.core.sessions.isTracking(response.sessionId)).toBe(true);
    clock.advance(2000 + TICK);

    await silent.waitClosed();
    expect(server.core.sessions.isTracking(response.sessionId)).toBe(false);
    expect(server.core.sessions.isTracking(observer.sessionId)).toBe(true);
    await eventually('NodeDeleted', () => events.length > 0);
    expect(events[0]).toMatchObject({ type: EventType.NodeDeleted, path: '/eph' });
    expect(await observer.exists('/eph')).toBeNull();

    // Coming back with the old id + password: expired.
    const { response: again } = await RawClient.session(server, {
      sessionId: response.sessionId,
      passwd: response.passwd,
    });
    expect(again.timeOut).toBe(0);
  });

  it('reaps empty containers that had children, on its timer', async () => {
    await observer.create('/box', '', { mode: CreateMode.CONTAINER });
    await observer.create('/never', '', { mode: CreateMode.CONTAINER });
    await observer.create('/box/child');
    expect(server.checkContainers()).toEqual([]);
    await observer.delete('/box/child');
    clock.advance(5000);
    await eventually('the container to go', async () => (await observer.exists('/box')) === null);
    // A container that never had a child stays (ZooKeeper: cversion > 0 only).
    expect(await observer.exists('/never')).not.toBeNull();
  });

  it('reaps TTL nodes not modified for longer than their ttl', async () => {
    await observer.create('/ttl', 'x', { mode: CreateMode.PERSISTENT_WITH_TTL, ttl: 3000 });
    await observer.create('/ttl-long', 'x', { mode: CreateMode.PERSISTENT_WITH_TTL, ttl: 60000 });
    clock.advance(2000);
    expect(server.checkContainers()).toEqual([]);
    clock.advance(1500);
    expect(server.checkContainers()).toEqual(['/ttl']);
    expect(await observer.exists('/ttl')).toBeNull();
    expect(await observer.exists('/ttl-long')).not.toBeNull();
  });
});
