// A user's TypeScript file, type-checked (strict, skipLibCheck off) against the types the
// tarballs ship, in a project outside the repo (test/packages/packages.spec.ts). Never run.
import 'reflect-metadata';
import { Injectable, Module } from '@nestjs/common';
import { CreateMode, OpCode, type Clock } from '@shepherd/zk-protocol';
import { ZooKeeperClient } from '@shepherd/zk-client';
import { ZkServer } from '@shepherd/zk-server';
import { LeaderElection, ZooKeeperConnection } from '@shepherd/coordination';
import {
  Master,
  NonRetryableError,
  TaskContext,
  TaskQueueClient,
  TaskView,
  Worker,
} from '@shepherd/taskqueue';
import {
  TaskHandler,
  TaskQueueClientModule,
  WorkerModule,
  ZooKeeperHealthIndicator,
  ZooKeeperModule,
} from '@shepherd/nestjs';
import { EXIT_USAGE, loadHandlerModule, runCli } from '@shepherd/cli';

export const clock: Clock = { now: Date.now, setTimeout, clearTimeout };

export async function plain(): Promise<TaskView> {
  const server = new ZkServer({ port: 0 });
  await server.start();
  const zk = new ZooKeeperClient(server.connectString);
  await zk.connect();
  await zk.create('/hello', Buffer.from('world'), { mode: CreateMode.PERSISTENT });
  const op: OpCode = OpCode.create;

  const election = new LeaderElection(zk, { path: '/election', id: `x-${op}` });
  void election;
  const connection = new ZooKeeperConnection({ connectString: server.connectString });
  await connection.connect();
  await new Master({ id: 'm1', connection }).start();
  await new Worker({
    id: 'w1',
    connection,
    concurrency: 2,
    handlers: {
      resize: async (task: TaskContext) => {
        if (typeof task.payload !== 'object') throw new NonRetryableError('bad payload');
        task.progress({ done: 0.5 });
        return { ok: !task.signal.aborted, attempt: task.attempt };
      },
    },
  }).start();
  // @ts-expect-error concurrency is a number: the shipped types are real, not `any`.
  new Worker({ id: 'w2', connection, concurrency: 'two', handlers: {} });
  const tasks = new TaskQueueClient({ connection });
  const { id } = await tasks.submit('resize', { url: 'a.png' }, { maxAttempts: 2 });
  return tasks.wait(id, 1000);
}

@Injectable()
export class Handlers {
  @TaskHandler('thumbnail')
  thumbnail(task: TaskContext): { id: string } {
    return { id: task.id };
  }
}

@Module({
  imports: [
    ZooKeeperModule.forRoot({ connectString: '127.0.0.1:2181', isGlobal: true }),
    WorkerModule.forRoot({ concurrency: 4 }),
    TaskQueueClientModule.forRoot({}),
  ],
  providers: [Handlers],
})
export class AppModule {}

export async function health(indicator: ZooKeeperHealthIndicator): Promise<'up' | 'down'> {
  return (await indicator.isHealthy('zk')).zk.status;
}

export async function cli(): Promise<number | undefined> {
  const handlers = await loadHandlerModule('./handlers.js');
  if (Object.keys(handlers).length === 0) return EXIT_USAGE;
  return runCli(['--version']);
}
