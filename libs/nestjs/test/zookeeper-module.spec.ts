import {
  Controller,
  DynamicModule,
  Get,
  Inject,
  Injectable,
  type INestApplication,
  Module,
} from '@nestjs/common';
import {
  ZOOKEEPER_OPTIONS,
  ZooKeeperHealthIndicator,
  ZooKeeperModule,
  ZooKeeperModuleOptions,
} from '@shepherd/nestjs';
import { Test } from '@nestjs/testing';
import { HealthCheck, HealthCheckService, TerminusModule } from '@nestjs/terminus';
import request from 'supertest';
import { ConnectionEvent, ZooKeeperConnection } from '@shepherd/coordination';
import { ZooKeeperClient } from '@shepherd/zk-client';
import { CreateMode } from '@shepherd/zk-protocol';
import { ZkServer } from '@shepherd/zk-server';
import { expireSession } from '../../../test/support/expire-session';
import { SettingsModule } from '../../../test/support/settings-module';
import { waitFor } from '../../../test/support/wait-for';
import { startEmbeddedServer } from '../../coordination/test/embedded-server';

// ZooKeeperModule in a real Nest application: Test.createTestingModule, TerminusModule and a
// HealthCheckService endpoint served over HTTP.

type AppMode = 'forRoot' | 'forRootAsync';

const SETTINGS = 'ZK_SETTINGS';

@Controller('health')
class HealthController {
  constructor(
    @Inject(HealthCheckService) private readonly health: HealthCheckService,
    @Inject(ZooKeeperHealthIndicator) private readonly zk: ZooKeeperHealthIndicator,
  ) {}

  @Get()
  @HealthCheck()
  check() {
    return this.health.check([() => this.zk.isHealthy('zookeeper', { timeoutMs: 500 })]);
  }
}

/** Injects the connection without importing ZooKeeperModule: works only if that is global. */
@Injectable()
class FeatureService {
  constructor(@Inject(ZooKeeperConnection) readonly connection: ZooKeeperConnection) {}
}

@Module({ providers: [FeatureService], exports: [FeatureService] })
class FeatureModule {}

function zookeeperModule(mode: AppMode, connectString: string): DynamicModule {
  if (mode === 'forRoot') {
    return ZooKeeperModule.forRoot({ connectString, sessionTimeoutMs: 4000, auth: 'alice:secret' });
  }
  return ZooKeeperModule.forRootAsync({
    isGlobal: true,
    imports: [SettingsModule.of(SETTINGS, { zk: connectString })],
    inject: [SETTINGS],
    useFactory: async (settings: { zk: string }): Promise<ZooKeeperModuleOptions> => ({
      connectString: settings.zk,
      sessionTimeoutMs: 4000,
    }),
  });
}

const hex = (n: bigint): string => `0x${n.toString(16)}`;

let server: ZkServer;
const apps: INestApplication[] = [];
const clients: ZooKeeperClient[] = [];

beforeEach(async () => {
  server = await startEmbeddedServer();
});

afterEach(async () => {
  for (const app of apps.splice(0)) await app.close().catch(() => undefined);
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await server.stop();
});

/** The application, listening on a loopback port, with what its connection reported. */
async function startApp(mode: AppMode) {
  const moduleRef = await Test.createTestingModule({
    imports: [
      TerminusModule,
      zookeeperModule(mode, server.connectString),
      ...(mode === 'forRootAsync' ? [FeatureModule] : []),
    ],
    controllers: [HealthController],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  apps.push(app);

  // Recorded from the start, before init() opens the first session.
  const connection = app.get(ZooKeeperConnection);
  const sessions: string[] = [];
  const events: string[] = [];
  connection.sessions$.subscribe((c) => sessions.push(hex(c.sessionId)));
  connection.events$.subscribe((e: ConnectionEvent) => events.push(e.type));

  await app.listen(0, '127.0.0.1');
  const injected = app.get(ZooKeeperClient);

  const info = async () => {
    const current = connection.client;
    const options = app.get<ZooKeeperModuleOptions>(ZOOKEEPER_OPTIONS);
    return {
      sessionId: hex(current.sessionId),
      password: current.sessionPassword.toString('hex'),
      injectedSessionId: hex(injected.sessionId),
      injectedIsCurrent: injected === current,
      connected: connection.isConnected(),
      options: { connectString: options.connectString, auth: options.auth },
      whoAmI: await current.whoAmI(),
      featureSharesConnection:
        mode === 'forRootAsync' ? app.get(FeatureService).connection === connection : null,
      sessions: [...sessions],
      events: [...events],
    };
  };
  const close = async () => {
    apps.splice(apps.indexOf(app), 1);
    await app.close();
    return { state: injected.state, listening: app.getHttpServer().listening };
  };
  return { http: app.getHttpServer(), injected, info, close };
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
    const info = await app.info();
    expect(info.connected).toBe(true);
    expect(info.injectedIsCurrent).toBe(true);
    expect(info.options).toEqual({ connectString: server.connectString, auth: 'alice:secret' });
    // The "user:pass" shorthand is digest auth.
    expect(info.whoAmI).toContainEqual({ authScheme: 'digest', user: 'alice' });
    // Opened while Nest built the module graph, before anyone subscribed: sessions$ replays it.
    expect(info.sessions).toEqual([info.sessionId]);

    const health = await request(app.http).get('/health').expect(200);
    expect(health.body.status).toBe('ok');
    expect(health.body.details.zookeeper).toMatchObject({
      status: 'up',
      state: 'CONNECTED',
      sessionId: info.sessionId,
      sessionTimeoutMs: 4000,
    });
    expect(typeof health.body.details.zookeeper.rttMs).toBe('number');

    const path = await app.injected.create('/module-eph', 'x', { mode: CreateMode.EPHEMERAL });
    const other = await observer();
    expect(await other.exists(path)).not.toBeNull();
    const closed = await app.close();
    expect(closed).toEqual({ state: 'CLOSED', listening: false });
    // Gone at once, not after the 4 s session timeout.
    expect(await other.exists(path)).toBeNull();
  }, 60000);

  it('forRootAsync (global): survives an expiry with a new session on sessions$', async () => {
    const app = await startApp('forRootAsync');
    const first = await app.info();
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
        const info = await app.info();
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
    const health = await request(app.http).get('/health').expect(200);
    expect(health.body.details.zookeeper.sessionId).toBe(second.sessionId);
    expect((await app.close()).listening).toBe(false);
  }, 60000);

  it('the health endpoint answers 503 once the server is gone', async () => {
    const app = await startApp('forRoot');
    await request(app.http).get('/health').expect(200);
    await server.stop();
    const res = await waitFor('503 from /health', async () => {
      const r = await request(app.http).get('/health');
      return r.status === 503 ? r : undefined;
    });
    expect(res.body.status).toBe('error');
    expect(res.body.error.zookeeper.status).toBe('down');
  }, 60000);
});
