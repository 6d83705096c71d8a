import { DynamicModule, Module } from '@nestjs/common';
import { WorkerEnv, connectionOptions, type Logger, zkAcl } from '@app/app-kit';
import { ZooKeeperModule } from '@app/coordination';
import { WorkerModule, defaultWorkerId } from '@app/taskqueue';
import { SampleHandlers } from './sample-handlers';

/** Injection token of the app's pino logger. */
export const APP_LOGGER = Symbol('APP_LOGGER');

/** WORKER_ID, or `<hostname>-<pid>`. */
export function workerId(env: WorkerEnv): string {
  return env.WORKER_ID ?? defaultWorkerId();
}

/** The environment and the logger, visible to every module's factories. */
@Module({})
class WorkerConfigModule {
  static register(env: WorkerEnv, logger: Logger): DynamicModule {
    return {
      module: WorkerConfigModule,
      global: true,
      providers: [
        { provide: WorkerEnv, useValue: env },
        { provide: APP_LOGGER, useValue: logger },
      ],
      exports: [WorkerEnv, APP_LOGGER],
    };
  }
}

/**
 * The worker app: a session, a Worker registered as /workers/<id>, and the @TaskHandler
 * methods of its providers (the samples here; add your own providers the same way).
 * WorkerModule starts the worker once the app has bootstrapped and drains it before shutdown:
 * tasks not started are handed back, running ones get the grace period, then the session closes.
 */
@Module({})
export class WorkerAppModule {
  static forEnv(env: WorkerEnv, logger: Logger): DynamicModule {
    return {
      module: WorkerAppModule,
      imports: [
        WorkerConfigModule.register(env, logger),
        ZooKeeperModule.forRootAsync({
          isGlobal: true,
          inject: [WorkerEnv],
          useFactory: (e: WorkerEnv) => connectionOptions(e),
        }),
        WorkerModule.forRootAsync({
          inject: [WorkerEnv, APP_LOGGER],
          useFactory: (e: WorkerEnv, log: Logger) => ({
            id: workerId(e),
            concurrency: e.WORKER_CONCURRENCY,
            acl: zkAcl(e),
            logger: log.child({ component: 'worker' }),
          }),
        }),
      ],
      providers: [SampleHandlers],
    };
  }
}
