import { AddressInfo, Server, Socket, createServer } from 'node:net';
import { Server as TlsServer } from 'node:tls';
import { normalizeClientAddress } from '../acl/ip-auth';
import { FourLetterCommands } from '../four-letter/four-letter-commands';
import { FourLetterHook } from '../four-letter/four-letter-hook';
import { serverFourLetterContext } from '../four-letter/server-four-letter-context';
import { ServerStats } from '../four-letter/server-stats';
import { RecoveryReport } from '../persistence/recovery';
import { TxnSnapLog } from '../persistence/txn-snap-log';
import { ClientConnection } from './connection';
import { ContainerManager } from './container-manager';
import { loadOrCreateSessionSecret, recoverServerState } from './durable-state';
import { RequestProcessor } from './request-processor';
import { ServerCore } from './server-core';
import { ResolvedZkServerConfig, ZkServerConfig, resolveConfig } from './server-config';
import { TlsRefusal, createTlsListener } from '../tls/tls-listener';

export interface ZkServerAddress {
  host: string;
  port: number;
}

/**
 * An embedded, standalone ZooKeeper-compatible server (ZooKeeperServerMain + NIOServerCnxnFactory
 * in one class): real ZooKeeper clients connect to it over TCP, and over TLS on a second port
 * when `secure` is set (the secureClientPort's NettyServerCnxnFactory). Framework-free; one
 * instance owns its listening sockets, the data tree, the sessions and the container manager.
 */
export class ZkServer {
  readonly config: ResolvedZkServerConfig;
  readonly core: ServerCore;
  private readonly processor: RequestProcessor;
  private readonly containers: ContainerManager;
  private server: Server | undefined;
  private tlsServer: TlsServer | undefined;
  private bound: ZkServerAddress | undefined;
  private secureBound: ZkServerAddress | undefined;
  private started = false;
  /** TLS connections turned away, by reason (handshake failures, untrusted certificates). */
  readonly tlsRefusals: Record<TlsRefusal, number> = { handshake: 0, 'untrusted-certificate': 0 };
  private readonly perIp = new Map<string, number>();
  private readonly sockets = new Set<Socket>();
  /** The TxnSnapLog this server owns (config.dataDir without config.log). */
  private readonly snapLog: TxnSnapLog | undefined;
  /** Filled in start() from dataDir when persistence is on and no secret was given. */
  private readonly secret: Buffer | undefined;
  private report: RecoveryReport | undefined;
  /** srvr/stat/mntr counters and the four-letter words (NIOServerCnxn.checkFourLetterWord). */
  readonly stats = new ServerStats();
  private readonly fourLetter: FourLetterHook;

  constructor(config: ZkServerConfig = {}) {
    this.config = resolveConfig(config);
    const { dataDir, log } = this.config;
    if (dataDir !== undefined && log === undefined) {
      this.snapLog = new TxnSnapLog({
        snapDir: dataDir,
        logDir: this.config.dataLogDir,
        snapCount: this.config.snapCount,
        snapshotSource: () => ({
          zxid: this.core.lastZxid,
          nodes: this.core.tree,
          sessions: this.core.sessions.records(),
        }),
        onSnapshot: (_written, err) => {
          if (err !== undefined) this.core.reportError(err, 'snapshot');
        },
      });
      if (this.config.sessionSecret === undefined) this.secret = Buffer.alloc(32);
    }
    this.core = new ServerCore(this.config, this.snapLog, this.secret);
    this.processor = new RequestProcessor(this.core);
    const commands = new FourLetterCommands(
      serverFourLetterContext(
        this.core,
        this.stats,
        () => this.bound?.port ?? this.secureBound?.port ?? this.config.port ?? 0,
      ),
      this.config.fourLetterWordWhitelist,
    );
    this.fourLetter = { stats: this.stats, answer: (word) => commands.answer(word) };
    this.containers = new ContainerManager(this.core, {
      checkIntervalMs: this.config.containerCheckIntervalMs,
      maxPerMinute: this.config.containerMaxPerMinute,
      clock: this.config.clock,
    });
  }

  /** Where the plain port listens; undefined until start() resolved, or with TLS only. */
  get address(): ZkServerAddress | undefined {
    return this.bound;
  }

  /** Where the TLS port listens; undefined until start() resolved, or without `secure`. */
  get secureAddress(): ZkServerAddress | undefined {
    return this.secureBound;
  }

  /** "host:port" of the plain port (the TLS one on a TLS-only server), for a connect string. */
  get connectString(): string {
    const a = this.bound ?? this.secureBound;
    if (!a) throw new Error('ZkServer not started');
    return hostPort(a);
  }

  /** "host:port" of the TLS port. */
  get secureConnectString(): string {
    if (!this.secureBound)
      throw new Error('ZkServer has no TLS port (not started, or no `secure`)');
    return hostPort(this.secureBound);
  }

  /** Number of open client connections. */
  get connectionCount(): number {
    return this.core.connections.size;
  }

  /** What recovery found on start (persistence only). */
  get recovery(): RecoveryReport | undefined {
    return this.report;
  }

  /** Recovers (with persistence), opens the plain and/or TLS port; resolves to the first. */
  async start(): Promise<ZkServerAddress> {
    if (this.started) throw new Error('ZkServer already started');
    this.started = true;
    if (this.snapLog && this.config.dataDir !== undefined) {
      if (this.secret) (await loadOrCreateSessionSecret(this.config.dataDir)).copy(this.secret);
      this.report = await recoverServerState(this.core, this.snapLog);
    }
    try {
      if (this.config.port !== null) {
        this.server = createServer((socket) => this.accept(socket));
        this.bound = await listen(this.server, this.config.port, this.config.host);
        this.server.on('error', (err) => this.core.reportError(err, 'listener'));
      }
      const secure = this.config.secure;
      if (secure !== undefined) {
        this.tlsServer = createTlsListener(secure, {
          onConnection: (socket, x509) => this.accept(socket, x509),
          onRefused: (reason) => {
            this.tlsRefusals[reason]++;
          },
        });
        const host = secure.host ?? this.config.host;
        this.secureBound = await listen(this.tlsServer, secure.port ?? 0, host);
        this.tlsServer.on('error', (err) => this.core.reportError(err, 'tls listener'));
      }
    } catch (err) {
      await this.closeListeners();
      throw err;
    }
    this.core.sessions.start();
    this.containers.start();
    return (this.bound ?? this.secureBound) as ZkServerAddress;
  }

  /** Closes every connection and the listeners. Sessions are not closed (as on a shutdown). */
  async stop(): Promise<void> {
    this.containers.stop();
    this.core.sessions.shutdown();
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    await this.closeListeners();
    // Whatever was appended is flushed; pending replies are moot (their sockets are gone).
    await this.snapLog?.close().catch((err: unknown) => this.core.reportError(err, 'log close'));
  }

  /** Runs one container manager pass now (tests, or a manual reap). */
  checkContainers(): string[] {
    return this.containers.checkContainers();
  }

  private async closeListeners(): Promise<void> {
    const servers = [this.server, this.tlsServer].filter((s) => s !== undefined);
    this.server = undefined;
    this.tlsServer = undefined;
    await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  }

  /**
   * NIOServerCnxnFactory.doAccept: the per-IP connection limit (maxClientCnxns), counted over
   * both ports. `x509`: the client's trusted certificate subject on the TLS port.
   */
  private accept(socket: Socket, x509?: string): void {
    try {
      const ip = normalizeClientAddress(socket.remoteAddress ?? '');
      const count = this.perIp.get(ip) ?? 0;
      const max = this.config.maxClientCnxns;
      if (this.core.isFailed || (max > 0 && count >= max)) {
        socket.destroy();
        return;
      }
      this.perIp.set(ip, count + 1);
      this.sockets.add(socket);
      socket.once('close', () => {
        this.sockets.delete(socket);
        const n = (this.perIp.get(ip) ?? 1) - 1;
        if (n <= 0) this.perIp.delete(ip);
        else this.perIp.set(ip, n);
      });
      const cnxn = new ClientConnection(socket, this.core, this.processor, this.fourLetter, x509);
      this.core.connections.add(cnxn);
    } catch (err) {
      this.core.reportError(err, 'accept');
      socket.destroy();
    }
  }
}

function hostPort(a: ZkServerAddress): string {
  return `${a.host.includes(':') ? `[${a.host}]` : a.host}:${a.port}`;
}

/** Listens; a bind failure (port in use) rejects instead of reaching the 'error' handler. */
function listen(server: Server, port: number, host: string): Promise<ZkServerAddress> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve({ host, port: (server.address() as AddressInfo).port });
    });
  });
}
