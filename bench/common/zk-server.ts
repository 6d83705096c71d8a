import { fourLetterWord, startStandalone } from '../../test/support/zk-harness';
import { ZOOKEEPER_JVM_AS_PACKAGED } from './zookeeper-jvm';

export interface BenchServer {
  connectString: string;
  /** e.g. "3.8.0", read from the server's own `srvr` answer. */
  version: string;
  stop(): Promise<void>;
}

/**
 * A standalone Apache ZooKeeper (Debian's package) on a free loopback port, with
 * the default 2 s tick, started by the same harness the interop suite uses.
 */
export async function startBenchServer(): Promise<BenchServer> {
  const cluster = await startStandalone({ tickTime: 2000, jvmArgs: ZOOKEEPER_JVM_AS_PACKAGED });
  const port = cluster.servers[0].clientPort;
  const srvr = await fourLetterWord(port, 'srvr');
  const version = /Zookeeper version: ([^-,\s]+)/.exec(srvr)?.[1] ?? 'unknown';
  return { connectString: cluster.connectString, version, stop: () => cluster.stop() };
}
