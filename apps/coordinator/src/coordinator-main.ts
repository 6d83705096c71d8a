import { ConfigError } from './config/config-error';
import { loadCoordinatorConfig } from './config/load-config';
import { USAGE } from './config/usage';
import { Logger, createLogger } from './logger';
import { CoordinatorHandle, runCoordinator } from './run-coordinator';

/** Exit codes as ZooKeeper's ExitCode: 2 = INVALID_CONFIG, 1 = UNEXPECTED_ERROR. */
export const EXIT_INVALID_CONFIG = 2;
export const EXIT_UNEXPECTED_ERROR = 1;

/**
 * `shepherd coordinator [zoo.cfg] [--config zoo.cfg] [--key value]...`: ZooKeeperServerMain
 * for Shepherd, as this process. The config
 * is read and checked in full before any port or data file is opened, so a bad or ensemble
 * config never half-starts a server.
 */
export async function runCoordinatorMain(argv: string[]): Promise<void> {
  const logger = createLogger();
  let loaded;
  try {
    loaded = loadCoordinatorConfig(argv);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    exitInvalidConfig(logger, err, '\nRun with --help for usage.\n');
  }
  if (loaded.help) {
    process.stdout.write(USAGE);
    return;
  }

  // Errors inside the server go to its onError hook; anything else that escapes is logged and
  // the server keeps serving (ZooKeeper's threads log and carry on the same way).
  process.on('uncaughtException', (err) => logger.error({ err }, 'uncaught exception'));
  process.on('unhandledRejection', (err) => logger.error({ err }, 'unhandled rejection'));

  let handle: CoordinatorHandle | undefined;
  let shuttingDown = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (shuttingDown) return;
    shuttingDown = true;
    logger.info({ signal }, 'shutting down');
    // A signal during recovery: finish starting, then stop (below), so no file is left half-done.
    if (handle) stopAndExit(handle);
  };
  const stopAndExit = (h: CoordinatorHandle) => {
    void h.stop().then(
      () => {
        logger.flush();
        process.exit(0);
      },
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        logger.flush();
        process.exit(EXIT_UNEXPECTED_ERROR);
      },
    );
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);

  try {
    handle = await runCoordinator(loaded.config, logger, loaded.warnings);
  } catch (err) {
    // A TLS store that cannot be read is found when the server is built, before any port opens.
    if (err instanceof ConfigError) exitInvalidConfig(logger, err);
    logger.fatal({ err }, 'coordinator failed to start');
    process.exit(EXIT_UNEXPECTED_ERROR);
  }
  if (shuttingDown) stopAndExit(handle);
}

/** A config problem: logged, told on stderr (with `hint`), exit 2 before any port is open. */
function exitInvalidConfig(logger: Logger, err: ConfigError, hint = ''): never {
  logger.fatal({ err: { type: err.name, message: err.message } }, 'invalid configuration');
  process.stderr.write(`${err.message}\n${hint}`);
  logger.flush();
  process.exit(EXIT_INVALID_CONFIG);
}
