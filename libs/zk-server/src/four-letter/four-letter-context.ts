import { ConnectionStats } from './connection-stats';
import { ServerStats } from './server-stats';

/** What cons/stat show of one connection (ServerCnxn.dumpConnectionInfo). */
export interface FourLetterCnxn {
  /** "/ip:port" as Java prints an InetSocketAddress. */
  readonly remoteSocketAddress: string;
  /** 0 until the handshake; its session id afterwards. */
  readonly sessionId: bigint;
  /** Negotiated session timeout (ms). */
  readonly timeout: number;
  /** NIOServerCnxn.getInterestOps: 1 (OP_READ) for a serving connection, 0 otherwise. */
  readonly interestOps: number;
  readonly stats: ConnectionStats;
}

/** The server state the four-letter words report (ZooKeeperServer, ServerCnxnFactory). */
export interface FourLetterContext {
  /** Version.getFullVersion. */
  readonly version: string;
  /** False when the server stopped serving (ZK_NOT_SERVING). */
  readonly serving: boolean;
  readonly stats: ServerStats;
  connections(): FourLetterCnxn[];
  readonly lastZxid: bigint;
  readonly nodeCount: number;
  /** DataTree.approximateDataSize: sum of path length + data length. */
  approximateDataSize(): number;
  readonly ephemeralsCount: number;
  readonly watchCount: number;
  readonly globalSessions: number;
  /** wchs (data watches only, as ZooKeeper). */
  watchSummary(): { numConnections: number; numPaths: number; totalWatches: number };
  /** wchc: session id -> paths. */
  watchesBySession(): Array<[bigint, string[]]>;
  /** wchp: path -> session ids. */
  watchesByPath(): Array<[string, bigint[]]>;
  readonly conf: FourLetterConf;
  /** Unix only in ZooKeeper (OSMXBean): undefined hides the two mntr keys. */
  fileDescriptors(): { open: number; max: number } | undefined;
}

/** ZooKeeperServer.dumpConf. */
export interface FourLetterConf {
  clientPort: number;
  dataDir: string;
  dataDirSize: number;
  dataLogDir: string;
  dataLogSize: number;
  tickTime: number;
  maxClientCnxns: number;
  minSessionTimeout: number;
  maxSessionTimeout: number;
}
