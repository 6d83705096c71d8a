import request from 'supertest';
import { ZooKeeperClient } from '@app/zk-client';
import { ZkServer } from '@app/zk-server';
import { expireSession } from '../../../test/support/expire-session';
import { waitFor } from '../../../test/support/wait-for';
import { startEmbeddedServer } from './embedded-server';
import { NestAppProcess } from './nest/nest-app-process';

// ZooKeeperModule in a real Nest application (Test.createTestingModule, TerminusModule and a
// HealthCheckService endpoint), run in a child process: see nest/zookeeper-app.ts for why.

interface AppInfo {
  sessionId: string;
  password: string;
  injectedSessionId: string;
  injectedIsCurrent: boolean;
  connected: boolean;
  options: { connectString: string; auth?: unknown };
  whoAmI: Array<{ authScheme: string; user: string }>;
  featureSharesConnection: boolean | null;
  sessions: string[];
  events: string[];
}

let server: ZkServer;
const apps: NestAppProcess[] = [];
const clients: ZooKeeperClient[] = [];

beforeEach(async () => {
  server = await startEmbeddedServer();
});

afterEach(async () => {
  for (const app of apps.splice(0)) app.kill();
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await server.stop();
});

async function startApp(mode: 'forRoot' | 'forRootAsync'): Promise<NestAppProcess> {
  const app = await NestAppProcess.start(mode, server.connectString);
  apps.push(app);
  return app;
}

async function observer(): Promise<ZooKeeperClient> {
  const client = new ZooKeeperClient(server.connectString, { sessionTimeout: 4000 });
  clients.push(client);
  await client.connect();
  return client;
}

describe('ZooKeeperModule in a Nest application', () => {
  it('forRoot: connected before start, healthy, and app.close() ends the session', async () => {
    const app = await startApp('forRoot');
    const info = await app.call<AppInfo>('info');
    expect(info.connected).toBe(true);
    expect(info.injectedIsCurrent).toBe(true);
    expect(info.options).toEqual({ connectString: server.connectString, auth: 'alice:secret' });
    // The "user:pass" shorthand is digest auth.
    expect(info.whoAmI).toContainEqual({ authScheme: 'digest', user: 'alice' });
    // Opened while Nest built the module graph, before anyone subscribed: sessions$ replays it.
    expect(info.sessions).toEqual([info.sessionId]);

    const health = await request(app.url).get('/health').expect(200);
    expect(health.body.status).toBe('ok');
    expect(health.body.details.zookeeper).toMatchObject({
      status: 'up',
      state: 'CONNECTED',
      sessionId: info.sessionId,
      sessionTimeoutMs: 4000,
    });
    expect(typeof health.body.details.zookeeper.rttMs).toBe('number');

    const path = await app.call<string>('createEphemeral', { path: '/module-eph' });
    const other = await observer();
    expect(await other.exists(path)).not.toBeNull();
    const closed = await app.call<{ state: string }>('close');
    expect(closed.state).toBe('CLOSED');
    // Gone at once, not after the 4 s session timeout.
    expect(await other.exists(path)).toBeNull();
    expect(await app.exit()).toBe(0);
  }, 60000);

  it('forRootAsync (global): survives an expiry with a new session on sessions$', async () => {
    const app = await startApp('forRootAsync');
    const first = await app.call<AppInfo>('info');
    expect(first.options.connectString).toBe(server.connectString);
    expect(first.featureSharesConnection).toBe(true);
    expect(first.sessions).toEqual([first.sessionId]);

    await expireSession(
      server.connectString,
      BigInt(first.sessionId),
      Buffer.from(first.password, 'hex'),
    );
    const second = await waitFor(
      'a new session in the app',
      async () => {
        const info = await app.call<AppInfo>('info');
        return info.sessions.length === 2 && info.connected ? info : undefined;
      },
      { timeoutMs: 20000 },
    );
    expect(second.sessions).toEqual([first.sessionId, second.sessionId]);
    expect(second.sessionId).not.toBe(first.sessionId);
    expect(second.events).toContain('expired');
    expect(second.events[second.events.length - 1]).toBe('connected');
    // The injected ZooKeeperClient is the first session's, as documented.
    expect(second.injectedSessionId).toBe(first.sessionId);
    expect(second.injectedIsCurrent).toBe(false);

    // The indicator follows the connection, so the new session is what it reports.
    const health = await request(app.url).get('/health').expect(200);
    expect(health.body.details.zookeeper.sessionId).toBe(second.sessionId);
    await app.call('close');
    expect(await app.exit()).toBe(0);
  }, 60000);

  it('the health endpoint answers 503 once the server is gone', async () => {
    const app = await startApp('forRoot');
    await request(app.url).get('/health').expect(200);
    await server.stop();
    const res = await waitFor('503 from /health', async () => {
      const r = await request(app.url).get('/health');
      return r.status === 503 ? r : undefined;
    });
    expect(res.body.status).toBe('error');
    expect(res.body.error.zookeeper.status).toBe('down');
  }, 60000);
});
