// A Nest application around ZooKeeperModule, run in its own Node process by
// zookeeper-module.spec.ts. Nest 12 is ESM-only and jest on Node < 24.9 cannot load it, while
// plain Node (>= 20.19) can; so the spec drives this process over IPC and asserts from outside.
//
//   node -r ts-node/register/transpile-only -r tsconfig-paths/register zookeeper-app.ts <mode>
//
// Modes: `forRoot` (digest auth shorthand) and `forRootAsync` (factory with imports + inject,
// global, used by a feature module that does not import ZooKeeperModule).
import { Controller, DynamicModule, Get, Inject, Injectable, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { HealthCheck, HealthCheckService, TerminusModule } from '@nestjs/terminus';
import {
  ConnectionEvent,
  ZOOKEEPER_OPTIONS,
  ZooKeeperConnection,
  ZooKeeperHealthIndicator,
  ZooKeeperModule,
  ZooKeeperModuleOptions,
} from '@app/coordination';
import { ZooKeeperClient } from '@app/zk-client';
import { CreateMode } from '@app/zk-protocol';

export type AppMode = 'forRoot' | 'forRootAsync';

/** What the parent sends: one command, answered by a reply with the same id. */
export interface AppRequest {
  id: number;
  cmd: 'info' | 'createEphemeral' | 'close';
  path?: string;
}

export type AppMessage =
  | { type: 'ready'; url: string }
  | { type: 'reply'; id: number; ok: true; value: unknown }
  | { type: 'reply'; id: number; ok: false; error: string };

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

/** Stands in for a ConfigModule: the async factory reads its settings from here. */
@Module({
  providers: [{ provide: SETTINGS, useFactory: () => ({ zk: process.env.ZK_CONNECT }) }],
  exports: [SETTINGS],
})
class SettingsModule {}

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
    imports: [SettingsModule],
    inject: [SETTINGS],
    useFactory: async (settings: { zk: string }): Promise<ZooKeeperModuleOptions> => ({
      connectString: settings.zk,
      sessionTimeoutMs: 4000,
    }),
  });
}

const hex = (n: bigint): string => `0x${n.toString(16)}`;

async function main(): Promise<void> {
  const mode = process.argv[2] as AppMode;
  const connectString = process.env.ZK_CONNECT;
  if (!connectString) throw new Error('ZK_CONNECT is not set');
  const moduleRef = await Test.createTestingModule({
    imports: [
      TerminusModule,
      zookeeperModule(mode, connectString),
      ...(mode === 'forRootAsync' ? [FeatureModule] : []),
    ],
    controllers: [HealthController],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: false });

  // Recorded from the start, before init() opens the first session.
  const connection = app.get(ZooKeeperConnection);
  const sessions: string[] = [];
  const events: string[] = [];
  connection.sessions$.subscribe((c) => sessions.push(hex(c.sessionId)));
  connection.events$.subscribe((e: ConnectionEvent) => events.push(e.type));

  await app.listen(0, '127.0.0.1');
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  const injected = app.get(ZooKeeperClient);

  const commands: Record<AppRequest['cmd'], (req: AppRequest) => Promise<unknown>> = {
    info: async () => {
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
        sessions,
        events,
      };
    },
    createEphemeral: async (req) =>
      injected.create(req.path ?? '/missing-path', 'x', { mode: CreateMode.EPHEMERAL }),
    close: async () => {
      await app.close();
      return { state: injected.state };
    },
  };

  process.on('message', (req: AppRequest) => {
    const reply = (m: AppMessage): void => void process.send?.(m);
    commands[req.cmd](req).then(
      (value) => {
        reply({ type: 'reply', id: req.id, ok: true, value });
        if (req.cmd === 'close') process.disconnect();
      },
      (err: unknown) =>
        reply({ type: 'reply', id: req.id, ok: false, error: String((err as Error)?.stack) }),
    );
  });
  process.send?.({ type: 'ready', url } satisfies AppMessage);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
