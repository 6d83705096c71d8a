import 'reflect-metadata';
import { WorkerEnv, runApp } from '@app/app-kit';
import { Worker } from '@app/taskqueue';
import { WorkerAppModule } from './worker-app.module';

/**
 * `node dist/apps/worker/src/main.js`: one worker. Config from the environment (ZK_CONNECT,
 * ZK_SESSION_TIMEOUT_MS, ZK_AUTH, WORKER_ID, WORKER_CONCURRENCY, LOG_LEVEL). Start as many as
 * you like, on any machine that reaches ZK_CONNECT. SIGTERM or SIGINT: graceful drain, exit 0.
 */
runApp({
  name: 'worker',
  env: WorkerEnv,
  module: (env, logger) => WorkerAppModule.forEnv(env, logger),
  started: (app, env, logger) => {
    const worker = app.get(Worker);
    logger.info(
      {
        workerId: worker.id,
        concurrency: env.WORKER_CONCURRENCY,
        types: worker.types,
        session: worker.session,
      },
      'worker started',
    );
    return { workerId: worker.id };
  },
});
