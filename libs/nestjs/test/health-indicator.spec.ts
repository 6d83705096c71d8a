import { ZooKeeperConnection } from '@shepherd/coordination';
import { ZooKeeperHealthIndicator } from '@shepherd/nestjs';
import { ZkServer } from '@shepherd/zk-server';
import { waitFor } from '../../../test/support/wait-for';
import { startEmbeddedServer } from '../../coordination/test/embedded-server';

// The indicator on its own; zookeeper-module.spec.ts serves it through Terminus over HTTP.
describe('ZooKeeperHealthIndicator', () => {
  let server: ZkServer;
  let connection: ZooKeeperConnection;

  beforeEach(async () => {
    server = await startEmbeddedServer();
    connection = new ZooKeeperConnection({
      connectString: server.connectString,
      sessionTimeoutMs: 4000,
    });
  });

  afterEach(async () => {
    await connection.close();
    await server.stop();
  });

  it('is down before the first session', async () => {
    const result = await new ZooKeeperHealthIndicator(connection).isHealthy();
    expect(result.zookeeper).toEqual({
      status: 'down',
      state: 'NOT_CONNECTED',
      message: 'not connected',
    });
  });

  it('is up with session details while connected, down once the server is gone', async () => {
    const client = await connection.connect();
    const indicator = new ZooKeeperHealthIndicator(connection);
    const up = await indicator.isHealthy('zk', { timeoutMs: 2000 });
    expect(up.zk).toMatchObject({
      status: 'up',
      state: 'CONNECTED',
      sessionId: `0x${client.sessionId.toString(16)}`,
      sessionTimeoutMs: 4000,
    });
    expect(up.zk.rttMs).toBeGreaterThanOrEqual(0);

    await server.stop();
    const down = await waitFor('down', async () => {
      const r = await indicator.isHealthy('zk', { timeoutMs: 300 });
      return r.zk.status === 'down' ? r : undefined;
    });
    expect(down.zk.message).toEqual(expect.any(String));
  });
});
