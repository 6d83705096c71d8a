import { AddressInfo, Server, Socket, createServer } from 'node:net';
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

export interface ZkServerAddress {
  host: string;
  port: number;
}

/**
 * An embedded, standalone ZooKeeper-compatible server (ZooKeeperServerMain + NIOServerCnxnFactory
 * in one class): real ZooKeeper clients connect to it over TCP. Framework-free; one instance
 * owns one listening socket, the data tree, the sessions and the container manager.
 */
export class ZkServer {
  readonly config: ResolvedZkServerConfig;
  readonly core: ServerCore;
  private readonly processor: RequestProcessor;
  private readonly containers: ContainerManager;
  private server: Server | undefined;
  private bound: ZkServerAddress | undefined;
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
      serverFourLetterContext(this.core, this.stats, () => this.bound?.port ?? this.config.port),
      this.config.fourLetterWordWhitelist,
    );
    this.fourLetter = { stats: this.stats, answer: (word) => commands.answer(word) };
    this.containers = new ContainerManager(this.core, {
      checkIntervalMs: this.config.containerCheckIntervalMs,
      maxPerMinute: this.config.containerMaxPerMinute,
      clock: this.config.clock,
    });
  }

  /** Where it listens; undefined until start() resolved. */
  get address(): ZkServerAddress | undefined {
    return this.bound;
  }

  /** "host:port", for a client's connect string. */
  get connectString(): string {
    const a = this.bound;
    if (!a) throw new Error('ZkServer not started');
    return `${a.host.includes(':') ? `[${a.host}]` : a.host}:${a.port}`;
  }

  /** Number of open client connections. */
  get connectionCount(): number {
    return this.core.connections.size;
  }

  /** What recovery found on start (persistence only). */
  get recovery(): RecoveryReport | undefined {
    return this.report;
  }

  async start(): Promise<ZkServerAddress> {
    if (this.server || this.report) throw new Error('ZkServer already started');
    if (this.snapLog && this.config.dataDir !== undefined) {
      if (this.secret) (await loadOrCreateSessionSecret(this.config.dataDir)).copy(this.secret);
      this.report = await recoverServerState(this.core, this.snapLog);
    }
    const server = createServer((socket) => this.accept(socket));
    this.server = server;
    server.on('error', (err) => this.core.reportError(err, 'listener'));
    await new Promise<void>((resolve, reject) => {
      const onError = (err: Error) => reject(err);
      server.once('error', onError);
      server.listen(this.config.port, this.config.host, () => {
        server.off('error', onError);
        resolve();
      });
    });
    const info = server.address() as AddressInfo;
    this.bound = { host: this.config.host, port: info.port };
    this.core.sessions.start();
    this.containers.start();
    return this.bound;
  }

  /** Closes every connection and the listener. Sessions are not closed (as on a shutdown). */
  async stop(): Promise<void> {
    this.containers.stop();
    this.core.sessions.shutdown();
    const server = this.server;
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
    // Whatever was appended is flushed; pending replies are moot (their sockets are gone).
    await this.snapLog?.close().catch((err: unknown) => this.core.reportError(err, 'log close'));
  }

  /** Runs one container manager pass now (tests, or a manual reap). */
  checkContainers(): string[] {
    return this.containers.checkContainers();
  }

  /** NIOServerCnxnFactory.doAccept: the per-IP connection limit (maxClientCnxns). */
  private accept(socket: Socket): void {
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
      const cnxn = new ClientConnection(socket, this.core, this.processor, this.fourLetter);
      this.core.connections.add(cnxn);
    } catch (err) {
      this.core.reportError(err, 'accept');
      socket.destroy();
    }
  }
}
