import { DynamicModule, Module } from '@nestjs/common';
import { WorkerModule, type WorkerModuleOptions } from '@shepherd/nestjs';
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

/** The Worker's options from the environment (its connection comes from ZooKeeperModule). */
export function workerOptions(
  env: WorkerEnv,
  logger: Logger,
  table: HandlerTable = {},
): WorkerModuleOptions {
  return {
    id: workerId(env),
    concurrency: env.WORKER_CONCURRENCY,
    prefetch: env.WORKER_PREFETCH,
    // Off unless asked for: records (and the REST API) carry name and message, the log the stack.
    storeErrorStacks: env.WORKER_ERROR_STACKS ?? false,
    acl: zkAcl(env),
    logger: logger.child({ component: 'worker' }),
    handlers: table,
  };
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
          useFactory: (e: WorkerEnv, log: Logger) => workerOptions(e, log, handlers.table),
        }),
      ],
      providers: handlers.samples ? [SampleHandlers] : [],
    };
  }
}
