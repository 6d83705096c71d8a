import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { ClientTlsOptions } from '@shepherd/zk-client';
import { createThrowawayCa } from '@shepherd/zk-server';
import { expireSession } from './expire-session';
import { fourLetterWord, parseConsSessionIds, parseMode } from './four-letter-word';
import { freePorts } from './free-port';
import { waitFor } from './wait-for';
import { findZooKeeperInstall } from './zk-install';
import { renderZooCfg } from './zk-server-config';
import { ZkServerProcess } from './zk-server-process';

export { findZooKeeperInstall, ZooKeeperNotInstalledError } from './zk-install';
export { fourLetterWord } from './four-letter-word';
export { expireSession } from './expire-session';

export interface ZkHarnessOptions {
  /** ms; session timeouts are bounded to [2, 20] ticks by the server. */
  tickTime?: number;
  /** How long a member may take to answer ruok / to join a quorum. */
  startTimeoutMs?: number;
  /** Extra JVM system properties for every member. */
  systemProperties?: Record<string, string>;
  /** Heap, collector and compiler flags of every member (see ZkServerProcessOptions). */
  jvmArgs?: readonly string[];
  /**
   * Also serve TLS on a secureClientPort per member (PEM stores from a throwaway CA,
   * ssl.clientAuth=need); clients connect with `cluster.tls`.
   */
  tls?: boolean;
}

/**
 * What a client needs to connect to a TLS cluster, the x509 id its certificate gives it, and
 * the members' PEM stores (a key store of key + certificate, a trust store of the CA).
 */
export interface HarnessTls extends ClientTlsOptions {
  x509Id: string;
  keyStore: string;
  trustStore: string;
}

/** Server-wide features the harness turns on; the contract suite adapts to them. */
export const HARNESS_FEATURES = {
  // TTL nodes (CreateMode 5/6) are refused with Unimplemented unless this is set.
  extendedTypes: true,
  // The ContainerManager reaps empty containers and expired TTL nodes on this period
  // (default 60 s, far too slow for a test).
  containerCheckIntervalMs: 500,
} as const;

const DEFAULT_TICK_TIME = 500;

/**
 * A running standalone server or ensemble of Apache ZooKeeper (Debian's package) on loopback.
 *
 * Indexes passed to kill/start/connectStringFor are 0-based positions in `servers`; the
 * ZooKeeper server ids (myid) are index + 1.
 */
export class ZkCluster {
  private stopped = false;

  constructor(
    readonly kind: 'standalone' | 'ensemble',
    readonly servers: readonly ZkServerProcess[],
    readonly rootDir: string,
    private readonly startTimeoutMs: number,
    /** Set when started with `tls: true`. */
    readonly tls?: HarnessTls,
  ) {}

  /** Every member's secureClientPort (a cluster started with `tls: true`). */
  get secureConnectString(): string {
    return this.servers.map((s) => `127.0.0.1:${this.securePort(s)}`).join(',');
  }

  secureConnectStringFor(index: number): string {
    return `127.0.0.1:${this.securePort(this.server(index))}`;
  }

  private securePort(server: ZkServerProcess): number {
    if (server.secureClientPort === undefined) throw new Error('the cluster runs without TLS');
    return server.secureClientPort;
  }

  /** Every member, e.g. "127.0.0.1:40001,127.0.0.1:40002,127.0.0.1:40003". */
  get connectString(): string {
    return this.servers.map((s) => `127.0.0.1:${s.clientPort}`).join(',');
  }

  connectStringFor(index: number): string {
    return `127.0.0.1:${this.server(index).clientPort}`;
  }

  /** SIGKILLs one member. */
  async kill(index: number): Promise<void> {
    await this.server(index).kill();
  }

  /** Restarts a killed member with its old config and data; waits until it serves again. */
  async start(index: number): Promise<void> {
    const server = this.server(index);
    server.start();
    await server.waitServing(this.startTimeoutMs);
    await this.waitRole(server);
  }

  /** Kills every member and deletes the temp dir. Safe to call twice. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await Promise.all(this.servers.map((s) => s.kill()));
    rmSync(this.rootDir, { recursive: true, force: true });
  }

  /** `srvr` Mode of each member: standalone / leader / follower, or undefined if down. */
  async modes(): Promise<Array<string | undefined>> {
    return Promise.all(
      this.servers.map(async (s) =>
        s.running ? parseMode(await fourLetterWord(s.clientPort, 'srvr')) : undefined,
      ),
    );
  }

  /** Index of the leader (ensemble) or the only server (standalone). */
  async leaderIndex(): Promise<number> {
    const modes = await this.modes();
    const index = modes.findIndex((m) => m === 'leader' || m === 'standalone');
    if (index < 0) throw new Error(`no leader among members: ${JSON.stringify(modes)}`);
    return index;
  }

  /**
   * Which member holds the connection of `sessionId`, asking each live member for `cons`.
   * Polls briefly: a just-(re)connected session appears in `cons` after the handshake.
   */
  async serverIndexOfSession(sessionId: bigint, timeoutMs = 10000): Promise<number> {
    return waitFor(
      `session 0x${sessionId.toString(16)} to show up in "cons"`,
      async () => {
        for (const [index, s] of this.servers.entries()) {
          if (!s.running) continue;
          const ids = parseConsSessionIds(await fourLetterWord(s.clientPort, 'cons'));
          if (ids.includes(sessionId)) return index;
        }
        return undefined;
      },
      { timeoutMs },
    );
  }

  /** Expires a session the kazoo way: attach a second connection to it and close that one. */
  expireSession(sessionId: bigint, password: Buffer): Promise<void> {
    const live = this.servers.filter((s) => s.running).map((s) => `127.0.0.1:${s.clientPort}`);
    return expireSession(live.join(','), sessionId, password);
  }

  logTail(index: number): string {
    return this.server(index).logTail();
  }

  private server(index: number): ZkServerProcess {
    const server = this.servers[index];
    if (!server) throw new Error(`no server at index ${index} (have ${this.servers.length})`);
    return server;
  }

  /**
   * Waits until `srvr` reports a serving mode: leader/follower (the member has joined a working
   * quorum) or standalone. `ruok` alone is not enough: it answers imok as soon as the client
   * port is open, before the server accepts sessions ("not currently serving requests").
   */
  async waitRole(server: ZkServerProcess): Promise<void> {
    const wanted = this.kind === 'ensemble' ? ['leader', 'follower'] : ['standalone'];
    try {
      await waitFor(
        `server ${server.id} to report Mode ${wanted.join(' or ')}`,
        async () => {
          const mode = parseMode(await fourLetterWord(server.clientPort, 'srvr'));
          return mode !== undefined && wanted.includes(mode) ? mode : undefined;
        },
        { timeoutMs: this.startTimeoutMs },
      );
    } catch (err) {
      throw new Error(`${(err as Error).message}\n${server.logTail()}`, { cause: err });
    }
  }
}

async function launch(
  kind: 'standalone' | 'ensemble',
  size: number,
  opts: ZkHarnessOptions,
): Promise<ZkCluster> {
  // Throws ZooKeeperNotInstalledError with a clear message: the suites must fail, not skip.
  const install = findZooKeeperInstall();
  const tickTime = opts.tickTime ?? DEFAULT_TICK_TIME;
  const startTimeoutMs = opts.startTimeoutMs ?? 60000;
  const rootDir = mkdtempSync(join(tmpdir(), `shepherd-zk-${kind}-`));
  const ports = await freePorts((kind === 'ensemble' ? size * 3 : size) + (opts.tls ? size : 0));
  const securePorts = opts.tls ? ports.splice(-size) : [];
  const tls = opts.tls ? writeTlsStores(rootDir) : undefined;
  const peers =
    kind === 'ensemble'
      ? Array.from({ length: size }, (_, i) => ({
          id: i + 1,
          quorumPort: ports[size + 2 * i],
          electionPort: ports[size + 2 * i + 1],
        }))
      : [];
  const servers = Array.from({ length: size }, (_, i) => {
    const id = i + 1;
    const dir = join(rootDir, `server${id}`);
    const dataDir = join(dir, 'data');
    mkdirSync(dataDir, { recursive: true });
    // QuorumPeer reads its id from dataDir/myid; standalone ignores it.
    writeFileSync(join(dataDir, 'myid'), `${id}\n`);
    const cfgPath = join(dir, 'zoo.cfg');
    const secure = tls && {
      port: securePorts[i],
      keyStore: tls.keyStore,
      trustStore: tls.trustStore,
    };
    writeFileSync(
      cfgPath,
      renderZooCfg({ dataDir, clientPort: ports[i], tickTime, peers, secure }),
    );
    return new ZkServerProcess({
      id,
      dir,
      cfgPath,
      clientPort: ports[i],
      secureClientPort: secure?.port,
      install,
      systemProperties: {
        'zookeeper.extendedTypesEnabled': String(HARNESS_FEATURES.extendedTypes),
        'znode.container.checkIntervalMs': String(HARNESS_FEATURES.containerCheckIntervalMs),
        ...opts.systemProperties,
      },
      jvmArgs: opts.jvmArgs,
    });
  });
  const cluster = new ZkCluster(kind, servers, rootDir, startTimeoutMs, tls);
  try {
    for (const s of servers) s.start();
    await Promise.all(servers.map((s) => s.waitServing(startTimeoutMs)));
    await Promise.all(servers.map((s) => cluster.waitRole(s)));
    return cluster;
  } catch (err) {
    await cluster.stop();
    throw err;
  }
}

/** A CA, the members' PEM key store (key + certificate in one file) and trust store. */
function writeTlsStores(rootDir: string): HarnessTls {
  const ca = createThrowawayCa({ commonName: 'Shepherd interop CA' });
  const server = ca.issue({ commonName: 'localhost', hosts: ['localhost', '127.0.0.1'] });
  const client = ca.issue({ commonName: 'interop-client', organization: 'Shepherd' });
  const keyStore = join(rootDir, 'server.pem');
  const trustStore = join(rootDir, 'ca.pem');
  writeFileSync(keyStore, server.key + server.cert);
  writeFileSync(trustStore, ca.cert);
  return {
    ca: ca.cert,
    cert: client.cert,
    key: client.key,
    x509Id: client.subject,
    keyStore,
    trustStore,
  };
}

/** One standalone server (QuorumPeerMain falls back to ZooKeeperServerMain without server.N). */
export function startStandalone(opts: ZkHarnessOptions = {}): Promise<ZkCluster> {
  return launch('standalone', 1, opts);
}

/** An ensemble of `size` members (3 by default), all on loopback. */
export function startEnsemble(size = 3, opts: ZkHarnessOptions = {}): Promise<ZkCluster> {
  return launch('ensemble', size, opts);
}
