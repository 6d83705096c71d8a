import { DynamicModule, Inject, Injectable } from '@nestjs/common';
import {
  ZooKeeperModule,
  TASKQUEUE_CLIENT_OPTIONS,
  TaskQueueClientModule,
  TaskQueueClientModuleOptions,
} from '@shepherd/nestjs';
import { Test } from '@nestjs/testing';
import { ZooKeeperClient } from '@shepherd/zk-client';
import { ZkServer } from '@shepherd/zk-server';
import { TaskQueueClient, paths } from '@shepherd/taskqueue';
import { SettingsModule } from '../../../test/support/settings-module';
import { startServer } from '../../taskqueue/test/client/support';

type Mode = 'forRoot' | 'forRootAsync';

const SETTINGS = 'SETTINGS';

@Injectable()
class Producer {
  constructor(@Inject(TaskQueueClient) readonly client: TaskQueueClient) {}
}

const noop = (): void => undefined;
const logger = { debug: noop, info: noop, warn: noop, error: noop };

/** Each mode's application uses the chroot /<mode>. */
function modules(mode: Mode, connectString: string): DynamicModule[] {
  if (mode === 'forRoot')
    return [
      ZooKeeperModule.forRoot({ connectString, sessionTimeoutMs: 4000, isGlobal: true }),
      TaskQueueClientModule.forRoot(),
    ];
  const settings = SettingsModule.of(SETTINGS, { zk: connectString });
  return [
    ZooKeeperModule.forRootAsync({
      isGlobal: true,
      imports: [settings],
      inject: [SETTINGS],
      useFactory: (s: { zk: string }) => ({ connectString: s.zk, sessionTimeoutMs: 4000 }),
    }),
    TaskQueueClientModule.forRootAsync({
      imports: [settings],
      inject: [SETTINGS],
      useFactory: async (): Promise<TaskQueueClientModuleOptions> => ({ logger }),
    }),
  ];
}

/** Runs the application of one mode: submits and reads a task, then closes with a wait pending. */
async function run(mode: Mode, connectString: string) {
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
  const report = {
    mode,
    id: got.id,
    state: got.state,
    payload: got.payload,
    /** The provider injected into a feature is the module's one. */
    sameClient: app.get(TaskQueueClient) === producer.client,
    loggerFromFactory: options.logger === logger,
    /** How a wait pending at app.close() ended. */
    pendingWait: '',
  };
  await app.close();
  report.pendingWait = await pendingWait;
  return report;
}

let server: ZkServer;
let zk: ZooKeeperClient;

beforeAll(async () => {
  server = await startServer();
  zk = new ZooKeeperClient(server.connectString);
  await zk.connect();
});
afterAll(async () => {
  await zk?.close();
  await server?.stop();
});

describe('TaskQueueClientModule', () => {
  it('forRoot and forRootAsync provide a client over ZooKeeperModule, closed with the app', async () => {
    const modes = ['forRoot', 'forRootAsync'] as const;
    for (const mode of modes) await zk.create(`/${mode}`);
    const reports = [];
    for (const mode of modes) reports.push(await run(mode, server.connectString));
    expect(reports.map((r) => r.mode)).toEqual(modes);
    for (const report of reports) {
      expect(report).toEqual({
        mode: report.mode,
        id: expect.stringMatching(/^task-/),
        state: 'queued',
        payload: { from: 'nest', mode: report.mode },
        sameClient: true,
        loggerFromFactory: report.mode === 'forRootAsync',
        pendingWait: 'TaskQueueError',
      });
      expect(await zk.exists(`/${report.mode}${paths.task(report.id)}`)).not.toBeNull();
    }
  }, 30_000);
});
