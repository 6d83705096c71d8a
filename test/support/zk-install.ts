import { existsSync, readFileSync } from 'fs';
import { delimiter } from 'path';

/**
 * Where Debian's `zookeeper` package put things, and how its own scripts launch a JVM.
 *
 * We read the package's environment file (zkEnv.sh is a symlink to it) instead of hard-coding
 * the classpath, because that file is what zkServer.sh/zkCli.sh source: if Debian changes the
 * layout, the harness follows.
 */
export interface ZooKeeperInstall {
  /** The java binary zkEnv.sh names (JAVA=...). */
  java: string;
  /** CLASSPATH from zkEnv.sh, plus an SLF4J->log4j binding when one is installed (see below). */
  classpath: string;
  /** ZOO_LOG4J_PROP from zkEnv.sh: the log4j root logger spec, e.g. "INFO,ROLLINGFILE". */
  log4jRootLogger: string;
  /** The Debian zkCli.sh script, used to record fixtures from the reference client. */
  zkCli: string;
  /** The server jar; its manifest Class-Path pulls in netty, jute, slf4j-api... */
  serverJar: string;
}

export const DEBIAN_ZK_ENV = '/usr/share/zookeeper/bin/zkEnv.sh';
export const DEBIAN_ZK_CLI = '/usr/share/zookeeper/bin/zkCli.sh';
export const DEBIAN_ZK_JAR = '/usr/share/java/zookeeper.jar';
export const DEBIAN_ZK_CONF_DIR = '/etc/zookeeper/conf';

// Debian's CLASSPATH carries slf4j-api but no binding, so the server would log nowhere
// ("Defaulting to no-operation (NOP) logger"). These two jars route SLF4J to log4j 1.2, which
// then reads /etc/zookeeper/conf/log4j.properties (on the classpath) like the upstream scripts.
const SLF4J_LOG4J_BINDING = ['/usr/share/java/slf4j-log4j12.jar', '/usr/share/java/log4j-1.2.jar'];

// The Class-Path of Debian's zookeeper.jar names netty-buffer, -common, -handler and -transport
// but not netty-codec (Netty's SslHandler extends its ByteToMessageDecoder) nor netty-resolver
// (ClientCnxnSocketNetty's Bootstrap needs it): without them every TLS connection, server
// (NettyServerCnxnFactory) or client side, dies with NoClassDefFoundError. libnetty-java, a
// dependency of the package, installs both.
const NETTY_EXTRAS = ['/usr/share/java/netty-codec.jar', '/usr/share/java/netty-resolver.jar'];

export class ZooKeeperNotInstalledError extends Error {
  constructor(missing: string) {
    super(
      `Apache ZooKeeper from Debian's "zookeeper" package is required by the interop suite and ` +
        `the fixture recorder, but ${missing}. Install it (apt-get install zookeeper) — these ` +
        `tests never skip silently.`,
    );
    this.name = 'ZooKeeperNotInstalledError';
  }
}

/** Parses the KEY=VALUE lines of a shell env file (no expansion: Debian's file needs none). */
function parseEnvFile(text: string): Map<string, string> {
  const vars = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (!m) continue;
    vars.set(m[1], m[2].trim().replace(/^"(.*)"$/, '$1'));
  }
  return vars;
}

function findOnPath(bin: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = `${dir}/${bin}`;
    if (dir && existsSync(candidate)) return candidate;
  }
  return undefined;
}

let cached: ZooKeeperInstall | undefined;

/** Finds the Debian install or throws ZooKeeperNotInstalledError with what is missing. */
export function findZooKeeperInstall(): ZooKeeperInstall {
  if (cached) return cached;
  if (!existsSync(DEBIAN_ZK_JAR))
    throw new ZooKeeperNotInstalledError(`${DEBIAN_ZK_JAR} is missing`);
  if (!existsSync(DEBIAN_ZK_CLI))
    throw new ZooKeeperNotInstalledError(`${DEBIAN_ZK_CLI} is missing`);

  const env = existsSync(DEBIAN_ZK_ENV)
    ? parseEnvFile(readFileSync(DEBIAN_ZK_ENV, 'utf8'))
    : new Map<string, string>();
  const java = [env.get('JAVA'), findOnPath('java')].find((j) => j !== undefined && existsSync(j));
  if (!java) throw new ZooKeeperNotInstalledError('no java binary was found (JAVA= or PATH)');

  const baseClasspath = env.get('CLASSPATH') ?? `${DEBIAN_ZK_CONF_DIR}:${DEBIAN_ZK_JAR}`;
  const binding = SLF4J_LOG4J_BINDING.every((jar) => existsSync(jar)) ? SLF4J_LOG4J_BINDING : [];
  const netty = NETTY_EXTRAS.filter((jar) => existsSync(jar));
  cached = {
    java,
    classpath: [baseClasspath, ...binding, ...netty].join(':'),
    log4jRootLogger: env.get('ZOO_LOG4J_PROP') ?? 'INFO,ROLLINGFILE',
    zkCli: DEBIAN_ZK_CLI,
    serverJar: DEBIAN_ZK_JAR,
  };
  return cached;
}
