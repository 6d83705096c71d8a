import { DynamicModule, Module } from '@nestjs/common';
import { APP_LOGGER, WorkerEnv, appCoreModules, type Logger, zkAcl } from '@app/app-kit';
import { WorkerModule, defaultWorkerId } from '@app/taskqueue';
import { SampleHandlers } from './sample-handlers';

/** WORKER_ID, or `<hostname>-<pid>`. */
export function workerId(env: WorkerEnv): string {
  return env.WORKER_ID ?? defaultWorkerId();
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
        ...appCoreModules(WorkerEnv, env, logger),
        WorkerModule.forRootAsync({
          inject: [WorkerEnv, APP_LOGGER],
          useFactory: (e: WorkerEnv, log: Logger) => ({
            id: workerId(e),
            concurrency: e.WORKER_CONCURRENCY,
            prefetch: e.WORKER_PREFETCH,
            acl: zkAcl(e),
            logger: log.child({ component: 'worker' }),
          }),
        }),
      ],
      providers: [SampleHandlers],
    };
  }
}
