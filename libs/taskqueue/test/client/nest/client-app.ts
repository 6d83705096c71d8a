// Nest applications with TaskQueueClientModule, run in their own Node process by
// client-module.spec.ts: Nest 12 is ESM-only, which jest on Node < 24.9 cannot load, while
// plain Node (>= 20.19) can. One application per mode, one after the other (one process boot
// for both); the findings go back over IPC.
//
//   ZK_CONNECT=<connect string without chroot>
//   node -r ts-node/register/transpile-only -r tsconfig-paths/register client-app.ts <mode>...
//
// Each mode uses the chroot /<mode>, which must exist.
import { DynamicModule, Inject, Injectable, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { ZooKeeperModule } from '@app/coordination';
import {
  TASKQUEUE_CLIENT_OPTIONS,
  TaskQueueClient,
  TaskQueueClientModule,
  TaskQueueClientModuleOptions,
} from '@app/taskqueue';

export type ClientAppMode = 'forRoot' | 'forRootAsync';

export interface ClientAppReport {
  mode: ClientAppMode;
  id: string;
  state: string;
  payload: unknown;
  /** How a wait pending at app.close() ended. */
  pendingWait: string;
  /** The provider injected into a feature is the module's one. */
  sameClient: boolean;
  loggerFromFactory: boolean;
}

const SETTINGS = 'SETTINGS';

/** Stands in for a ConfigModule. */
@Module({
  providers: [
    { provide: SETTINGS, useFactory: () => ({ zk: `${process.env.ZK_CONNECT}/forRootAsync` }) },
  ],
  exports: [SETTINGS],
})
class SettingsModule {}

@Injectable()
class Producer {
  constructor(@Inject(TaskQueueClient) readonly client: TaskQueueClient) {}
}

const noop = (): void => undefined;
const logger = { debug: noop, info: noop, warn: noop, error: noop };

function modules(mode: ClientAppMode, connectString: string): DynamicModule[] {
  if (mode === 'forRoot')
    return [
      ZooKeeperModule.forRoot({ connectString, sessionTimeoutMs: 4000, isGlobal: true }),
      TaskQueueClientModule.forRoot(),
    ];
  return [
    ZooKeeperModule.forRootAsync({
      isGlobal: true,
      imports: [SettingsModule],
      inject: [SETTINGS],
      useFactory: (s: { zk: string }) => ({ connectString: s.zk, sessionTimeoutMs: 4000 }),
    }),
    TaskQueueClientModule.forRootAsync({
      imports: [SettingsModule],
      inject: [SETTINGS],
      useFactory: async (): Promise<TaskQueueClientModuleOptions> => ({ logger }),
    }),
  ];
}

async function run(mode: ClientAppMode, connectString: string): Promise<ClientAppReport> {
  const moduleRef = await Test.createTestingModule({
    imports: modules(mode, `${connectString}/${mode}`),
    providers: [Producer],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  await app.init();

  const producer = app.get(Producer);
  const submitted = await producer.client.submit('echo', { from: 'nest', mode });
  const got = await producer.client.get(submitted.id);
  const pendingWait = producer.client.wait(submitted.id, 60_000).then(
    () => 'resolved',
    (err: Error) => err.name,
  );
  const options = app.get<TaskQueueClientModuleOptions>(TASKQUEUE_CLIENT_OPTIONS);
  const report: ClientAppReport = {
    mode,
    id: got.id,
    state: got.state,
    payload: got.payload,
    sameClient: app.get(TaskQueueClient) === producer.client,
    loggerFromFactory: options.logger === logger,
    pendingWait: '',
  };
  await app.close();
  report.pendingWait = await pendingWait;
  return report;
}

async function main(): Promise<void> {
  const connectString = process.env.ZK_CONNECT;
  if (!connectString) throw new Error('ZK_CONNECT is not set');
  const reports: ClientAppReport[] = [];
  for (const mode of process.argv.slice(2) as ClientAppMode[])
    reports.push(await run(mode, connectString));
  process.send?.(reports, () => process.exit(0));
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
