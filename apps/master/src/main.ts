import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import {
  ConfigError,
  MasterEnv,
  PinoNestLogger,
  createLogger,
  ensureChroot,
  loadEnv,
} from '@app/app-kit';
import { MasterAppModule, masterId } from './master-app.module';

/** Exit codes: 2 for a bad environment (as the coordinator's INVALID_CONFIG), 1 for a failure. */
const EXIT_INVALID_CONFIG = 2;
const EXIT_FAILURE = 1;

function loadEnvOrExit(): MasterEnv {
  try {
    return loadEnv(MasterEnv);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`master: ${err.message}\n`);
    process.exit(EXIT_INVALID_CONFIG);
  }
}

/**
 * `node dist/apps/master/src/main.js`: one master candidate. Config from the environment
 * (ZK_CONNECT, ZK_SESSION_TIMEOUT_MS, ZK_AUTH, MASTER_ID, LOG_LEVEL). SIGTERM or SIGINT: resign
 * (a backup takes over at once), close the session, exit 0.
 */
async function main(): Promise<void> {
  const env = loadEnvOrExit();
  const logger = createLogger('master', env.LOG_LEVEL);

  // Until Nest's shutdown hooks are in place there is nothing to hand over: leave at once.
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

  const app = await NestFactory.createApplicationContext(MasterAppModule.forEnv(env, logger), {
    bufferLogs: true,
    // Fail with an error (logged below, exit 1) rather than Nest's default process.abort().
    abortOnError: false,
  });
  app.useLogger(new PinoNestLogger(logger));
  process.off('SIGTERM', early).off('SIGINT', early);
  app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
  for (const signal of ['SIGTERM', 'SIGINT'] as const)
    process.once(signal, () => logger.info({ signal, master: masterId(env) }, 'shutting down'));
}

main().catch((err: unknown) => {
  createLogger('master').fatal({ err }, 'master failed to start');
  process.exit(EXIT_FAILURE);
});
