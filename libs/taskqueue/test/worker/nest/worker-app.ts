// A Nest application running a Worker through WorkerModule, started in its own Node process by
// worker-module.spec.ts: Nest 12 is ESM-only, and jest on Node < 24.9 cannot load it, while
// plain Node (>= 20.19) can. The spec plays the master from outside and sends SIGTERM.
//
//   node -r ts-node/register/transpile-only -r tsconfig-paths/register worker-app.ts <mode>
import { Inject, Injectable, Module, Scope } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ZooKeeperModule } from '@app/coordination';
import { TaskContext, TaskHandler, Worker, WorkerModule } from '@app/taskqueue';

export type WorkerAppMode = 'forRoot' | 'forRootAsync';

export type WorkerAppMessage = {
  type: 'ready';
  workerId: string;
  session: string;
  types: string[];
};

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

function workerModule(mode: WorkerAppMode) {
  const handlers = { plain: (t: TaskContext) => ({ plain: t.payload }) };
  if (mode === 'forRoot')
    return WorkerModule.forRoot({ id: 'nest-worker', concurrency: 2, handlers });
  return WorkerModule.forRootAsync({
    inject: [],
    useFactory: async () => ({ id: 'nest-worker-async', concurrency: 2, handlers }),
  });
}

async function main(): Promise<void> {
  const mode = process.argv[2] as WorkerAppMode;
  const connectString = process.env.ZK_CONNECT;
  if (!connectString) throw new Error('ZK_CONNECT is not set');

  @Module({
    imports: [
      ZooKeeperModule.forRoot({ connectString, sessionTimeoutMs: 4000, isGlobal: true }),
      HandlersModule,
      workerModule(mode),
    ],
  })
  class AppModule {}

  const app = await NestFactory.createApplicationContext(AppModule, { logger: false });
  app.enableShutdownHooks(['SIGTERM']);
  const worker = app.get(Worker);
  process.send?.({
    type: 'ready',
    workerId: worker.id,
    session: worker.session ?? '',
    types: [...worker.types],
  } satisfies WorkerAppMessage);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
