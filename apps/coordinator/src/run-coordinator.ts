import {
  AutoPurgeHandle,
  ZkServer,
  ZkServerAddress,
  ZkServerConfig,
  purge,
  startAutoPurge,
} from '@shepherd/zk-server';
import { CoordinatorConfig } from './config/coordinator-config';
import { readTlsMaterial } from './config/tls-material';
import { Logger, hex } from './logger';
import { logRecovery } from './recovery-log';

export interface CoordinatorHandle {
  readonly server: ZkServer;
  readonly address: ZkServerAddress;
  /** Stops accepting, closes every connection, flushes and closes the txn log. Idempotent. */
  stop(): Promise<void>;
}

/** The ZkServer options a coordinator config maps to (reads the TLS stores; ConfigError). */
export function toServerConfig(config: CoordinatorConfig, logger: Logger): ZkServerConfig {
  return {
    host: config.clientPortAddress,
    port: config.clientPort,
    secure:
      config.secure === undefined
        ? undefined
        : readTlsMaterial(config.secure, config.clientPortAddress),
    tickTime: config.tickTime,
    minSessionTimeout: config.minSessionTimeout,
    maxSessionTimeout: config.maxSessionTimeout,
    maxClientCnxns: config.maxClientCnxns,
    extendedTypesEnabled: config.extendedTypesEnabled,
    superDigest: config.superDigest,
    skipACL: config.skipACL,
    dataDir: config.dataDir,
    dataLogDir: config.dataLogDir,
    snapCount: config.snapCount,
    onError: (err, where) => logger.error({ err, where }, 'server error'),
    onSessionExpired: (sessionId, timeout) =>
      logger.debug({ sessionId: hex(sessionId), timeout }, 'session expired'),
    // 4lw.commands.whitelist; undefined keeps ZooKeeper's default (srvr only).
    fourLetterWordWhitelist: config.fourLetterWordWhitelist,
  };
}

/**
 * Starts the standalone server for `config` (ZooKeeperServerMain.runFromConfig): recovery from
 * dataDir, the client port, and the DatadirCleanupManager's autopurge. Framework-free, so tests
 * and the CLI entry share it.
 */
export async function runCoordinator(
  config: CoordinatorConfig,
  logger: Logger,
  warnings: readonly string[] = [],
): Promise<CoordinatorHandle> {
  logger.info({ config: summarize(config) }, 'starting coordinator');
  for (const w of warnings) logger.warn(w);
  const server = new ZkServer(toServerConfig(config, logger));
  const address = await server.start();
  logRecovery(logger, server.recovery);

  const autopurge: AutoPurgeHandle = startAutoPurge({
    purgeIntervalHours: config.purgeInterval,
    run: async () => {
      const plan = await purge({
        snapDir: config.dataDir,
        logDir: config.dataLogDir,
        snapRetainCount: config.snapRetainCount,
      });
      if (plan.snapshots.length + plan.logs.length > 0)
        logger.info(plan, 'autopurge deleted files');
    },
    onError: (err) => logger.error({ err }, 'autopurge failed'),
  });
  if (config.purgeInterval > 0) {
    logger.info(
      { purgeInterval: config.purgeInterval, snapRetainCount: config.snapRetainCount },
      'autopurge scheduled',
    );
  }
  if (config.clientPort !== null) {
    logger.info(
      { host: address.host, port: address.port, connectString: server.connectString },
      'listening for client connections',
    );
  }
  if (server.secureAddress !== undefined) {
    logger.info(
      {
        host: server.secureAddress.host,
        port: server.secureAddress.port,
        connectString: server.secureConnectString,
        clientAuth: config.secure?.clientAuth,
      },
      'listening for TLS client connections',
    );
  }

  let stopping: Promise<void> | undefined;
  return {
    server,
    address,
    stop: () => {
      stopping ??= (async () => {
        autopurge.stop();
        await server.stop();
        logger.info({ lastZxid: hex(server.core.lastZxid) }, 'coordinator stopped');
      })();
      return stopping;
    },
  };
}

/** The startup summary: every effective setting, the super digest only as set/unset. */
function summarize(config: CoordinatorConfig): Record<string, unknown> {
  const secret = (s: string | undefined) => (s === undefined ? undefined : '(set)');
  return {
    ...config,
    superDigest: secret(config.superDigest),
    secure: config.secure && {
      ...config.secure,
      keyStorePassword: secret(config.secure.keyStorePassword),
    },
  };
}
