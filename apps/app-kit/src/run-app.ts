import type { DynamicModule, INestApplicationContext } from '@nestjs/common';
import { type CommonEnv, ConfigError, loadEnv } from './env';
import { type Logger, PinoNestLogger, createLogger } from './logger';
import { startTelemetry } from './telemetry';
import { ensureChroot } from './zookeeper-setup';

/** Exit code of every app for a bad environment (as the coordinator's INVALID_CONFIG). */
export const EXIT_INVALID_CONFIG = 2;
/** Exit code of every app for a failure. */
export const EXIT_FAILURE = 1;

const SHUTDOWN_SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/** How often an app that cannot reach the coordination service yet says so. */
const WAITING_LOG_MS = 10_000;

// This kit is also loaded outside Nest (the launcher and the shepherd command read their
// environment with it), so nothing here imports Nest at runtime but this, called only once an
// app is being built.
function nestCore(): typeof import('@nestjs/core') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('@nestjs/core') as typeof import('@nestjs/core');
}

/**
 * The configuration `load` returns; on a ConfigError, its message on stderr (after `label: `
 * when given) and exit 2. Any other error is thrown.
 */
export function loadEnvOrExit<E>(load: () => E, label?: string): E {
  try {
    return load();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`${label === undefined ? '' : `${label}: `}${err.message}\n`);
    process.exit(EXIT_INVALID_CONFIG);
  }
}

/** A Shepherd app without HTTP (the master, the worker), for runApp. */
export interface AppSpec<E extends CommonEnv, P = undefined> {
  /** Its logger's name; also the prefix of its configuration errors. */
  name: string;
  /** Its environment, read and checked by loadEnv. */
  env: new () => E;
  /**
   * What it loads from its configuration before connecting (the worker's handler module), so a
   * bad setting fails at once instead of after the wait for the coordination service. A
   * ConfigError thrown here exits 2, as a bad environment does.
   */
  prepare?(env: E): Promise<P> | P;
  /** Its root module, from the environment, the logger and what prepare() returned. */
  module(env: E, logger: Logger, prepared: P): DynamicModule;
  /**
   * Called once the app is up and its shutdown hooks are in place (to log that it started, say).
   * Returns what its "shutting down" line says about it besides the signal.
   */
  started(app: INestApplicationContext, env: E, logger: Logger): Record<string, unknown>;
}

/**
 * Runs an app as this process: the environment (exit 2 when it is bad), the logger, the
 * ZooKeeper chroot (waiting for the coordination service as long as it takes), then the Nest
 * application context. SIGTERM or SIGINT closes it through Nest's shutdown hooks and exits 0;
 * before they are in place, it exits 0 at once. A failed start is logged and exits 1.
 */
export function runApp<E extends CommonEnv, P = undefined>(spec: AppSpec<E, P>): void {
  start(spec).catch((err: unknown) => {
    createLogger(spec.name).fatal({ err }, `${spec.name} failed to start`);
    process.exit(EXIT_FAILURE);
  });
}

async function start<E extends CommonEnv, P>(spec: AppSpec<E, P>): Promise<void> {
  const env = loadEnvOrExit(() => loadEnv(spec.env), spec.name);
  const logger = createLogger(spec.name, env.LOG_LEVEL);
  startTelemetry(spec.name, logger);
  let prepared = undefined as P;
  if (spec.prepare) {
    try {
      prepared = await spec.prepare(env);
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      process.stderr.write(`${spec.name}: ${err.message}\n`);
      process.exit(EXIT_INVALID_CONFIG);
    }
  }

  // Until Nest's shutdown hooks are in place there is nothing to hand over (no leadership, no
  // task): leave at once.
  const early = (): void => process.exit(0);
  process.once('SIGTERM', early).once('SIGINT', early);

  const waiting = setInterval(
    () => logger.warn({ zk: env.ZK_CONNECT }, 'still waiting for the coordination service'),
    WAITING_LOG_MS,
  );
  try {
    await ensureChroot(env);
  } finally {
    clearInterval(waiting);
  }

  const app = await nestCore().NestFactory.createApplicationContext(
    spec.module(env, logger, prepared),
    {
      bufferLogs: true,
      // Fail with an error (logged by runApp, exit 1) rather than Nest's default process.abort().
      abortOnError: false,
    },
  );
  app.useLogger(new PinoNestLogger(logger));
  process.off('SIGTERM', early).off('SIGINT', early);
  app.enableShutdownHooks([...SHUTDOWN_SIGNALS], { useProcessExit: true });
  const identity = spec.started(app, env, logger);
  for (const signal of SHUTDOWN_SIGNALS)
    process.once(signal, () => logger.info({ signal, ...identity }, 'shutting down'));
}
