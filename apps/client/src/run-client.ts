import {
  ClientEnv,
  EXIT_FAILURE,
  createLogger,
  loadEnv,
  loadEnvOrExit,
  startTelemetry,
} from '../../app-kit/src';
import { createClientApp } from './create-client-app';

/** A shutdown that takes longer than this is cut short. */
const SHUTDOWN_LIMIT_MS = 15_000;

/**
 * The client app as this process (`shepherd client`): REST API, server-sent events, stats, metrics, health and the OpenAPI docs on
 * PORT, against the queue at ZK_CONNECT. SIGTERM or SIGINT closes it (open event streams too)
 * and exits 0.
 */
async function serve(): Promise<void> {
  const env = loadEnvOrExit(() => loadEnv(ClientEnv));
  const logger = createLogger('client', env.LOG_LEVEL);
  startTelemetry('client', logger);

  let started = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      // Before the app is up there is nothing to close; after, Nest's hooks close it.
      if (!started) process.exit(0);
      setTimeout(() => {
        logger.error({ signal }, `shutdown took over ${SHUTDOWN_LIMIT_MS} ms; exiting`);
        process.exit(EXIT_FAILURE);
      }, SHUTDOWN_LIMIT_MS).unref();
    });
  }

  const app = await createClientApp(env, { logger });
  app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
  started = true;
  await app.listen(env.PORT);
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : env.PORT;
  logger.info(
    { port, url: `http://localhost:${port}`, docs: `http://localhost:${port}/docs` },
    'client app listening',
  );
}

export function runClient(): void {
  serve().catch((err: unknown) => {
    process.stderr.write(`client app failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(EXIT_FAILURE);
  });
}
