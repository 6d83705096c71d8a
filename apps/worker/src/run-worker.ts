import { WorkerEnv, runApp } from '../../app-kit/src';
import { Worker } from '@shepherd/taskqueue';
import { WorkerAppModule, WorkerHandlers, loadWorkerHandlers } from './worker-app.module';

/**
 * One worker as this process (`shepherd worker`). Config from the environment (ZK_CONNECT,
 * ZK_SESSION_TIMEOUT_MS, ZK_AUTH, WORKER_ID, WORKER_CONCURRENCY, WORKER_PREFETCH,
 * WORKER_HANDLERS, WORKER_SAMPLES, WORKER_ERROR_STACKS, LOG_LEVEL). Start as many as you like, on any machine that
 * reaches ZK_CONNECT. SIGTERM or SIGINT: graceful drain, exit 0.
 */
export function runWorker(): void {
  runApp<WorkerEnv, WorkerHandlers>({
    name: 'worker',
    env: WorkerEnv,
    prepare: loadWorkerHandlers,
    module: (env, logger, handlers) => WorkerAppModule.forEnv(env, logger, handlers),
    started: (app, env, logger) => {
      const worker = app.get(Worker);
      logger.info(
        {
          workerId: worker.id,
          concurrency: env.WORKER_CONCURRENCY,
          types: worker.types,
          session: worker.session,
          handlers: env.WORKER_HANDLERS,
        },
        'worker started',
      );
      return { workerId: worker.id };
    },
  });
}
