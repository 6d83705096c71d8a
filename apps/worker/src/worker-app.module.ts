import { DynamicModule, Module } from '@nestjs/common';
import { WorkerModule } from '@shepherd/nestjs';
import { APP_LOGGER, WorkerEnv, appCoreModules, type Logger, zkAcl } from '../../app-kit/src';
import { defaultWorkerId } from '@shepherd/taskqueue';
import { HandlerTable, loadHandlerModule } from './handler-module';
import { SampleHandlers } from './sample-handlers';

/** WORKER_ID, or `<hostname>-<pid>`. */
export function workerId(env: WorkerEnv): string {
  return env.WORKER_ID ?? defaultWorkerId();
}

/** What the worker serves: the handlers of WORKER_HANDLERS' module, and the samples or not. */
export interface WorkerHandlers {
  table: HandlerTable;
  samples: boolean;
}

/**
 * Loads WORKER_HANDLERS (a ConfigError when it does not load or exports no handler); the
 * samples run when WORKER_SAMPLES says so, or by default when no module is given.
 */
export async function loadWorkerHandlers(env: WorkerEnv): Promise<WorkerHandlers> {
  const table = env.WORKER_HANDLERS ? await loadHandlerModule(env.WORKER_HANDLERS) : {};
  return { table, samples: env.WORKER_SAMPLES ?? env.WORKER_HANDLERS === undefined };
}

/**
 * The worker app: a session, a Worker registered as /workers/<id>, the handlers of the user's
 * module, and the @TaskHandler methods of its providers (the samples, when asked for).
 * WorkerModule starts the worker once the app has bootstrapped and drains it before shutdown:
 * tasks not started are handed back, running ones get the grace period, then the session closes.
 */
@Module({})
export class WorkerAppModule {
  static forEnv(
    env: WorkerEnv,
    logger: Logger,
    handlers: WorkerHandlers = { table: {}, samples: true },
  ): DynamicModule {
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
            handlers: handlers.table,
          }),
        }),
      ],
      providers: handlers.samples ? [SampleHandlers] : [],
    };
  }
}
