import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import {
  ConfigError,
  PinoNestLogger,
  WorkerEnv,
  createLogger,
  ensureChroot,
  loadEnv,
} from '@app/app-kit';
import { Worker } from '@app/taskqueue';
import { WorkerAppModule } from './worker-app.module';

/** Exit codes: 2 for a bad environment (as the coordinator's INVALID_CONFIG), 1 for a failure. */
const EXIT_INVALID_CONFIG = 2;
const EXIT_FAILURE = 1;

function loadEnvOrExit(): WorkerEnv {
  try {
    return loadEnv(WorkerEnv);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`worker: ${err.message}\n`);
    process.exit(EXIT_INVALID_CONFIG);
  }
}

/**
 * `node dist/apps/worker/src/main.js`: one worker. Config from the environment (ZK_CONNECT,
 * ZK_SESSION_TIMEOUT_MS, ZK_AUTH, WORKER_ID, WORKER_CONCURRENCY, LOG_LEVEL). Start as many as
 * you like, on any machine that reaches ZK_CONNECT. SIGTERM or SIGINT: graceful drain, exit 0.
 */
async function main(): Promise<void> {
  const env = loadEnvOrExit();
  const logger = createLogger('worker', env.LOG_LEVEL);

  // Until Nest's shutdown hooks are in place no task is held: leave at once.
  const early = (): void => process.exit(0);
  process.once('SIGTERM', early).once('SIGINT', early);

  const waiting = setInterval(
    () => logger.warn({ zk: env.ZK_CONNECT }, 'still waiting for the coordination service'),
    10_000,
  );
  try {
    await ensureChroot(env);
  } finally {
    clearInterval(waiting);
  }

  const app = await NestFactory.createApplicationContext(WorkerAppModule.forEnv(env, logger), {
    bufferLogs: true,
    // Fail with an error (logged below, exit 1) rather than Nest's default process.abort().
    abortOnError: false,
  });
  app.useLogger(new PinoNestLogger(logger));
  process.off('SIGTERM', early).off('SIGINT', early);
  app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
  const worker = app.get(Worker);
  for (const signal of ['SIGTERM', 'SIGINT'] as const)
    process.once(signal, () => logger.info({ signal, workerId: worker.id }, 'shutting down'));
  logger.info(
    {
      workerId: worker.id,
      concurrency: env.WORKER_CONCURRENCY,
      types: worker.types,
      session: worker.session,
    },
    'worker started',
  );
}

main().catch((err: unknown) => {
  createLogger('worker').fatal({ err }, 'worker failed to start');
  process.exit(EXIT_FAILURE);
});
