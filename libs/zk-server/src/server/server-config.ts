import { DEFAULT_MAX_FRAME } from '@shepherd/zk-protocol';
import type { Clock } from '@shepherd/zk-protocol';
import { systemClock } from './system-clock';
import { TxnLogSink } from './txn-log-sink';

/** ZkServer options; names follow zoo.cfg / ZooKeeper system properties where there is one. */
export interface ZkServerConfig {
  /** clientPortAddress. Default 127.0.0.1. */
  host?: string;
  /**
   * clientPort; 0 picks a free port (see ZkServer.address). Default 0. null: no plain port, for
   * a server that serves TLS only (`secure`).
   */
  port?: number | null;
  /** TLS on a second port (secureClientPort), beside the plain one or alone. */
  secure?: ZkServerTlsConfig;
  /** tickTime (ms): expiry bucket width and unit of the session timeout bounds. Default 2000. */
  tickTime?: number;
  /** Default 2 * tickTime. */
  minSessionTimeout?: number;
  /** Default 20 * tickTime. */
  maxSessionTimeout?: number;
  /** jute.maxbuffer: largest accepted request frame body. Default 0xfffff. */
  maxFrameSize?: number;
  /** maxClientCnxns: concurrent connections per client IP; 0 = unlimited. Default 60. */
  maxClientCnxns?: number;
  /** zookeeper.extendedTypesEnabled: TTL nodes. Default false. */
  extendedTypesEnabled?: boolean;
  /** zookeeper.DigestAuthenticationProvider.superDigest ("super:<base64 sha1>"). */
  superDigest?: string;
  /** zookeeper.skipACL. Default false. */
  skipACL?: boolean;
  /** Time source for expiry, txn times and the container manager. Default the system clock. */
  clock?: Clock;
  /**
   * The txn log. Default: a TxnSnapLog in `dataDir` when that is set (recovered on start),
   * else an InMemoryTxnLog (nothing durable).
   */
  log?: TxnLogSink;
  /** dataDir: snapshots (and the txn log unless dataLogDir is set); enables persistence. */
  dataDir?: string;
  /** dataLogDir. Default dataDir. */
  dataLogDir?: string;
  /** zookeeper.snapCount: txns between snapshots. Default 100000. */
  snapCount?: number;
  /** Key of the session passwords. Default a random one per server instance. */
  sessionSecret?: Buffer | string;
  /** znode.container.checkIntervalMs. Default 60000. */
  containerCheckIntervalMs?: number;
  /** znode.container.maxPerMinute: deletions per minute at most. Default 10000. */
  containerMaxPerMinute?: number;
  /**
   * Zxid in notification headers: 'txn' sends the zxid of the change (ZooKeeper 3.9),
   * 'none' sends -1 (3.8 and earlier). Default 'none'.
   */
  notificationZxid?: 'txn' | 'none';
  /**
   * 4lw.commands.whitelist: the four-letter words answered ('*' = all). `srvr` is always
   * enabled; ZooKeeper 3.5+ defaults to that alone (FourLetterCommands.isEnabled). Default ['srvr'].
   */
  fourLetterWordWhitelist?: readonly string[] | '*';
  /** Where unexpected errors go (they never crash the server). Default: ignored. */
  onError?: (err: unknown, where: string) => void;
  /** Called when a session expires, before its closeSession txn is logged (for operators' logs). */
  onSessionExpired?: (sessionId: bigint, timeout: number) => void;
}

/**
 * The TLS port (ZooKeeper 3.5+'s secureClientPort with ssl.keyStore, ssl.trustStore and
 * ssl.clientAuth; see the coordinator app for those zoo.cfg keys).
 */
export interface ZkServerTlsConfig {
  /** secureClientPort; 0 picks a free port (see ZkServer.secureAddress). Default 0. */
  port?: number;
  /** secureClientPortAddress. Default the plain port's host. */
  host?: string;
  /** The server's private key, PEM (ssl.keyStore). */
  key: string | Buffer;
  /** The server's certificate chain, PEM (ssl.keyStore). */
  cert: string | Buffer;
  /** Passphrase of an encrypted key (ssl.keyStore.password). */
  passphrase?: string;
  /** CAs that client certificates must chain to, PEM (ssl.trustStore). */
  ca?: string | Buffer;
  /**
   * ssl.handshakeDetectionTimeoutMillis: a connection that has not finished its handshake by
   * then is closed (a plain client writing a short hello would otherwise hold it). Default 5000.
   */
  handshakeTimeoutMs?: number;
  /**
   * ssl.clientAuth: 'need' refuses a client without a certificate the trust store accepts;
   * 'want' asks for one, refuses an untrusted one and lets a client without one in; 'none'
   * does not ask. Default 'need', as ZooKeeper's X509Util.
   */
  clientAuth?: ClientAuth;
}

/** ssl.clientAuth's values (X509Util.ClientAuth). */
export const CLIENT_AUTH_VALUES = ['none', 'want', 'need'] as const;
export type ClientAuth = (typeof CLIENT_AUTH_VALUES)[number];

export type ResolvedZkServerConfig = Required<Omit<ZkServerConfig, OptionalKeys | 'port'>> &
  Pick<ZkServerConfig, OptionalKeys> & { port: number | null };

type OptionalKeys =
  | 'secure'
  | 'superDigest'
  | 'log'
  | 'sessionSecret'
  | 'onError'
  | 'onSessionExpired'
  | 'dataDir'
  | 'dataLogDir'
  | 'snapCount';

export const DEFAULT_TICK_TIME = 2000;
export const DEFAULT_MAX_CLIENT_CNXNS = 60;
export const DEFAULT_CONTAINER_CHECK_INTERVAL_MS = 60000;
export const DEFAULT_CONTAINER_MAX_PER_MINUTE = 10000;

export function resolveConfig(config: ZkServerConfig = {}): ResolvedZkServerConfig {
  const tickTime = config.tickTime ?? DEFAULT_TICK_TIME;
  if (!(tickTime > 0)) throw new RangeError(`tickTime must be positive, got ${tickTime}`);
  if (config.port === null && config.secure === undefined)
    throw new RangeError('a server needs a client port or a secure client port');
  const clientAuth = config.secure?.clientAuth;
  if (clientAuth !== undefined && !CLIENT_AUTH_VALUES.includes(clientAuth))
    throw new RangeError(`ssl.clientAuth must be none, want or need, got ${String(clientAuth)}`);
  return {
    host: config.host ?? '127.0.0.1',
    port: config.port === undefined ? 0 : config.port,
    secure: config.secure,
    tickTime,
    minSessionTimeout: config.minSessionTimeout ?? 2 * tickTime,
    maxSessionTimeout: config.maxSessionTimeout ?? 20 * tickTime,
    maxFrameSize: config.maxFrameSize ?? DEFAULT_MAX_FRAME,
    maxClientCnxns: config.maxClientCnxns ?? DEFAULT_MAX_CLIENT_CNXNS,
    extendedTypesEnabled: config.extendedTypesEnabled ?? false,
    skipACL: config.skipACL ?? false,
    clock: config.clock ?? systemClock,
    containerCheckIntervalMs:
      config.containerCheckIntervalMs ?? DEFAULT_CONTAINER_CHECK_INTERVAL_MS,
    containerMaxPerMinute: config.containerMaxPerMinute ?? DEFAULT_CONTAINER_MAX_PER_MINUTE,
    notificationZxid: config.notificationZxid ?? 'none',
    fourLetterWordWhitelist: config.fourLetterWordWhitelist ?? ['srvr'],
    superDigest: config.superDigest,
    log: config.log,
    sessionSecret: config.sessionSecret,
    onError: config.onError,
    onSessionExpired: config.onSessionExpired,
    dataDir: config.dataDir,
    dataLogDir: config.dataLogDir,
    snapCount: config.snapCount,
  };
}
