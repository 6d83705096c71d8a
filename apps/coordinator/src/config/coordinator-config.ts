import * as path from 'path';
import { ConfigError, EnsembleConfigError } from './config-error';
import { ConfigSource, describeSource } from './config-source';
import { CoordinatorTlsConfig, TlsKeys } from './tls-config';

/** The standalone server's settings, named after their zoo.cfg keys. */
export interface CoordinatorConfig {
  /** The zoo.cfg read, if any (for the startup summary). */
  configFile?: string;
  tickTime: number;
  /** Absolute; default ./data under the working directory. */
  dataDir: string;
  /** Absolute; default dataDir. */
  dataLogDir: string;
  /**
   * 0 picks a free port. Null: no plain port, TLS only (ZooKeeper's default when a zoo.cfg sets
   * secureClientPort and no clientPort).
   */
  clientPort: number | null;
  /** Default 0.0.0.0: every IPv4 interface, as ZooKeeper binds the wildcard address. */
  clientPortAddress: string;
  maxClientCnxns: number;
  /** Default 2 * tickTime. */
  minSessionTimeout: number;
  /** Default 20 * tickTime. */
  maxSessionTimeout: number;
  /** autopurge.snapRetainCount: at least 3 (QuorumPeerConfig raises smaller values). */
  snapRetainCount: number;
  /** autopurge.purgeInterval in hours; 0 = no autopurge. */
  purgeInterval: number;
  /** 4lw.commands.whitelist, split on commas; ["*"] = all. Undefined = the server default. */
  fourLetterWordWhitelist?: string[];
  /** snapCount (zookeeper.snapCount): txns between snapshots. */
  snapCount?: number;
  /** extendedTypesEnabled (zookeeper.extendedTypesEnabled): TTL nodes. */
  extendedTypesEnabled: boolean;
  /** DigestAuthenticationProvider.superDigest: "super:<base64 sha1>". */
  superDigest?: string;
  /** skipACL (zookeeper.skipACL). */
  skipACL: boolean;
  /** secureClientPort and the ssl.* keys; undefined = no TLS port. */
  secure?: CoordinatorTlsConfig;
}

/** One key=value from zoo.cfg or a flag. */
export interface ConfigEntry {
  key: string;
  value: string;
  source: ConfigSource;
}

export interface InterpretedConfig {
  config: CoordinatorConfig;
  /** Unknown or ignored keys, clamped values: logged at startup, never fatal. */
  warnings: string[];
}

export const DEFAULT_DATA_DIR = './data';
export const DEFAULT_CLIENT_PORT_ADDRESS = '0.0.0.0';

/**
 * Keys QuorumPeerConfig knows that only matter to an ensemble, a JVM or features this server
 * does not have; a standalone zoo.cfg often carries them (Debian's has initLimit/syncLimit).
 */
const IGNORED_KEYS = new Set([
  'initLimit',
  'syncLimit',
  'connectToLearnerMasterLimit',
  'electionAlg',
  'peerType',
  'standaloneEnabled',
  'reconfigEnabled',
  'quorumListenOnAllIPs',
  'syncEnabled',
  'observerMasterPort',
  'localSessionsEnabled',
  'localSessionsUpgradingEnabled',
  'clientPortListenBacklog',
  'quorum.cnxn.threads.size',
  'multiAddress.enabled',
  'admin.enableServer',
  'admin.serverPort',
  'admin.serverAddress',
  'preAllocSize',
  'globalOutstandingLimit',
  'jute.maxbuffer',
  'metricsProvider.className',
]);

/** Keys that make ZooKeeper a quorum peer (QuorumPeerConfig.setupQuorumPeerConfig). */
function isEnsembleKey(key: string): boolean {
  return /^(server|group|weight)\./.test(key) || key === 'dynamicConfigFile';
}

/**
 * Applies entries in order (later wins: flags come after the file) the way
 * QuorumPeerConfig.parseProperties reads them, then checks the result as it does.
 */
export function interpretConfig(
  entries: ConfigEntry[],
  opts: { cwd?: string; configFile?: string } = {},
): InterpretedConfig {
  const cwd = opts.cwd ?? process.cwd();
  const warnings: string[] = [];
  const ensemble = entries.filter((e) => isEnsembleKey(e.key)).map((e) => e.key);
  if (ensemble.length > 0) throw new EnsembleConfigError(ensemble);

  const v: Partial<CoordinatorConfig> & { dataDir?: string; dataLogDir?: string } = {};
  const tls = new TlsKeys();
  for (const { key, value, source } of entries) {
    const where = describeSource(key, source);
    if (tls.take(key, value, where, warnings)) continue;
    switch (key) {
      case 'tickTime':
        v.tickTime = parseInteger(where, value, { min: 1 });
        break;
      case 'dataDir':
        v.dataDir = parsePath(where, value);
        break;
      case 'dataLogDir':
        v.dataLogDir = parsePath(where, value);
        break;
      case 'clientPort':
        v.clientPort = parseInteger(where, value, { min: 0, max: 65535 });
        break;
      case 'clientPortAddress':
        if (value === '') throw new ConfigError(`Invalid value for ${where}: empty address`);
        v.clientPortAddress = value;
        break;
      case 'maxClientCnxns':
        v.maxClientCnxns = parseInteger(where, value, { min: 0 });
        break;
      case 'minSessionTimeout':
        v.minSessionTimeout = parseInteger(where, value, { min: -1 });
        break;
      case 'maxSessionTimeout':
        v.maxSessionTimeout = parseInteger(where, value, { min: -1 });
        break;
      case 'autopurge.snapRetainCount':
        v.snapRetainCount = parseInteger(where, value);
        break;
      case 'autopurge.purgeInterval':
        v.purgeInterval = parseInteger(where, value);
        break;
      case '4lw.commands.whitelist':
        v.fourLetterWordWhitelist = parseWordList(where, value);
        break;
      case 'snapCount':
        v.snapCount = parseInteger(where, value, { min: 2 });
        break;
      case 'extendedTypesEnabled':
        v.extendedTypesEnabled = parseBoolean(where, value);
        break;
      case 'DigestAuthenticationProvider.superDigest':
        if (!/^[^:]+:.+$/.test(value)) {
          throw new ConfigError(`Invalid value for ${where}: expected "super:<base64 sha1>"`);
        }
        v.superDigest = value;
        break;
      case 'skipACL':
        // ZooKeeperServer reads zookeeper.skipACL as "yes"/"no".
        v.skipACL = parseBoolean(where, value, true);
        break;
      default:
        if (IGNORED_KEYS.has(key) || key.startsWith('metricsProvider.')) {
          warnings.push(`${where} is ignored: it has no effect on the embedded standalone server`);
        } else {
          warnings.push(`${where} is an unknown key and is ignored`);
        }
    }
  }

  const tickTime = v.tickTime ?? 2000;
  // -1 (or unset) means the default, as in QuorumPeerConfig.
  const minSessionTimeout =
    v.minSessionTimeout === undefined || v.minSessionTimeout === -1
      ? 2 * tickTime
      : v.minSessionTimeout;
  const maxSessionTimeout =
    v.maxSessionTimeout === undefined || v.maxSessionTimeout === -1
      ? 20 * tickTime
      : v.maxSessionTimeout;
  if (minSessionTimeout > maxSessionTimeout) {
    throw new ConfigError(
      `minSessionTimeout (${minSessionTimeout}) must not be larger than maxSessionTimeout ` +
        `(${maxSessionTimeout})`,
    );
  }
  let snapRetainCount = v.snapRetainCount ?? 3;
  if (snapRetainCount < 3) {
    warnings.push(
      `Invalid autopurge.snapRetainCount: ${snapRetainCount}. Defaulting to 3 ` +
        '(fewer retained snapshots would leave recovery nothing to fall back to)',
    );
    snapRetainCount = 3;
  }
  const dataDir = path.resolve(cwd, v.dataDir ?? DEFAULT_DATA_DIR);
  const secure = tls.finish(cwd, warnings);
  return {
    config: {
      configFile: opts.configFile,
      tickTime,
      dataDir,
      dataLogDir: v.dataLogDir === undefined ? dataDir : path.resolve(cwd, v.dataLogDir),
      // ZooKeeper opens no plain port when only secureClientPort is set.
      clientPort: v.clientPort ?? (secure === undefined ? 2181 : null),
      clientPortAddress: v.clientPortAddress ?? DEFAULT_CLIENT_PORT_ADDRESS,
      maxClientCnxns: v.maxClientCnxns ?? 60,
      minSessionTimeout,
      maxSessionTimeout,
      snapRetainCount,
      purgeInterval: Math.max(0, v.purgeInterval ?? 0),
      fourLetterWordWhitelist: v.fourLetterWordWhitelist,
      snapCount: v.snapCount,
      extendedTypesEnabled: v.extendedTypesEnabled ?? false,
      superDigest: v.superDigest,
      skipACL: v.skipACL ?? false,
      secure,
    },
    warnings,
  };
}

/** Integer.parseInt: an optional sign and decimal digits only, within 32 bits. */
function parseInteger(where: string, value: string, range: { min?: number; max?: number } = {}) {
  if (!/^[+-]?\d+$/.test(value)) {
    const hint = value.includes('#') ? ' (zoo.cfg has no end-of-line comments)' : '';
    throw new ConfigError(`Invalid value for ${where}: "${value}" is not an integer${hint}`);
  }
  const n = Number(value);
  const min = range.min ?? -(2 ** 31);
  const max = range.max ?? 2 ** 31 - 1;
  if (n < min || n > max) {
    throw new ConfigError(`Invalid value for ${where}: ${n} is out of range [${min}, ${max}]`);
  }
  return n;
}

/** QuorumPeerConfig.parseBoolean: "true"/"false", any case; skipACL also takes yes/no. */
function parseBoolean(where: string, value: string, yesNo = false): boolean {
  const v = value.toLowerCase();
  if (v === 'true' || (yesNo && v === 'yes')) return true;
  if (v === 'false' || (yesNo && v === 'no')) return false;
  const choices = yesNo ? "'yes' or 'no'" : "'true' or 'false'";
  throw new ConfigError(`Invalid value for ${where}: "${value}"; choose ${choices}`);
}

function parsePath(where: string, value: string): string {
  if (value === '') throw new ConfigError(`Invalid value for ${where}: empty path`);
  return value;
}

/** FourLetterCommands.resetWhiteList: comma separated, blanks trimmed, "*" = every command. */
function parseWordList(where: string, value: string): string[] {
  const words = value
    .split(',')
    .map((w) => w.trim())
    .filter((w) => w !== '');
  for (const w of words) {
    if (w !== '*' && !/^[a-z]{4}$/.test(w)) {
      throw new ConfigError(
        `Invalid value for ${where}: "${w}" is not a four-letter word (or "*")`,
      );
    }
  }
  return words;
}
