import { Inject, Injectable, Module, Scope, type INestApplicationContext } from '@nestjs/common';
import { ZooKeeperModule, TaskHandler, WorkerModule } from '@shepherd/nestjs';
import { NestFactory } from '@nestjs/core';
import { TaskContext, Worker, paths } from '@shepherd/taskqueue';
import { waitFor } from '../../../test/support/wait-for';
import { Cluster } from '../../taskqueue/test/worker/support/cluster';

// WorkerModule in a real Nest application context. The test plays the master, and delivers
// SIGTERM to the application's shutdown hook (the hook would end the process by raising the
// signal again once the application is closed: that call is intercepted).

type Mode = 'forRoot' | 'forRootAsync';

const GREETING = 'GREETING';

@Injectable()
class Greeter {
  constructor(@Inject(GREETING) private readonly greeting: string) {}

  /** Uses `this`: proves the method is bound to its provider instance. */
  @TaskHandler('greet')
  greet(task: TaskContext): string {
    return `${this.greeting}, ${(task.payload as { name: string }).name}`;
  }

  @TaskHandler('slow')
  async slow(task: TaskContext): Promise<string> {
    await new Promise((resolve) => setTimeout(resolve, 200));
    return `slow ${task.id}`;
  }

  notAHandler(): string {
    return 'ignored';
  }
}

/** Request-scoped providers have no single instance: their handlers are not bound. */
@Injectable({ scope: Scope.REQUEST })
class PerRequest {
  @TaskHandler('per-request')
  run(): string {
    return 'never';
  }
}

@Module({
  providers: [{ provide: GREETING, useValue: 'Hello' }, Greeter, PerRequest],
})
class HandlersModule {}

function workerModule(mode: Mode) {
  const handlers = { plain: (t: TaskContext) => ({ plain: t.payload }) };
  if (mode === 'forRoot')
    return WorkerModule.forRoot({ id: 'nest-worker', concurrency: 2, handlers });
  return WorkerModule.forRootAsync({
    inject: [],
    useFactory: async () => ({ id: 'nest-worker-async', concurrency: 2, handlers }),
  });
}

const cluster = Cluster.perTest();
const apps: INestApplicationContext[] = [];

afterEach(async () => {
  jest.restoreAllMocks();
  for (const app of apps.splice(0)) await app.close().catch(() => undefined);
});

/** The application, started (its worker registered), and its SIGTERM shutdown hook. */
async function startApp(mode: Mode) {
  @Module({
    imports: [
      ZooKeeperModule.forRoot({
        connectString: cluster.server.connectString,
        sessionTimeoutMs: 4000,
        isGlobal: true,
      }),
      HandlersModule,
      workerModule(mode),
    ],
  })
  class AppModule {}

  const app = await NestFactory.createApplicationContext(AppModule, { logger: false });
  apps.push(app);
  const before = process.listeners('SIGTERM');
  app.enableShutdownHooks(['SIGTERM']);
  // Nest's handler is async: it closes the application, then raises the signal again.
  const [onSigterm] = process.listeners('SIGTERM').filter((l) => !before.includes(l)) as Array<
    (signal: NodeJS.Signals) => Promise<void>
  >;
  /** What SIGTERM does; resolves once the application is closed, with the signal raised again. */
  const sigterm = async (): Promise<unknown[]> => {
    const kill = jest.spyOn(process, 'kill').mockImplementation(() => true);
    // Called only if the shutdown fails; that must not end the test runner either.
    jest.spyOn(process, 'exit').mockImplementation(() => undefined as never);
    await onSigterm('SIGTERM');
    apps.splice(apps.indexOf(app), 1);
    return kill.mock.calls[0];
  };
  return { worker: app.get(Worker), sigterm };
}

describe.each(['forRoot', 'forRootAsync'] as const)('WorkerModule.%s in a Nest app', (mode) => {
  it('runs @TaskHandler methods and plain handlers, and drains on SIGTERM', async () => {
    const app = await startApp(mode);
    const id = app.worker.id;
    expect(id).toBe(mode === 'forRoot' ? 'nest-worker' : 'nest-worker-async');
    expect([...app.worker.types]).toEqual(['greet', 'plain', 'slow']);
    const node = await cluster.admin.exists(paths.worker(id));
    expect(node?.ephemeralOwner.toString(16)).toBe(app.worker.session);

    const greet = await cluster.submitAndAssign(id, 'greet', { name: 'Ada' });
    const plain = await cluster.submitAndAssign(id, 'plain', [1, 2]);
    expect((await cluster.waitForRecord(paths.status(greet))).result).toBe('Hello, Ada');
    expect((await cluster.waitForRecord(paths.status(plain))).result).toEqual({ plain: [1, 2] });

    // SIGTERM while a task runs: the grace period lets it finish, then the session closes.
    const slow = await cluster.submitAndAssign(id, 'slow', null);
    await waitFor('the slow task to start', async () => {
      const r = await cluster.read(paths.assignment(id, slow));
      return r?.record.state === 'running';
    });
    expect(await app.sigterm()).toEqual([process.pid, 'SIGTERM']);
    expect((await cluster.read(paths.status(slow)))?.record.result).toBe(`slow ${slow}`);
    expect(await cluster.gone(paths.worker(id))).toBe(true);
  });
});
