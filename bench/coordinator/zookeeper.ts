import { ChildProcess, spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HarnessTls, fourLetterWord, startStandalone } from '../../test/support/zk-harness';
import { ZOOKEEPER_JVM_AS_PACKAGED } from '../common/zookeeper-jvm';
import { findZooKeeperInstall } from '../../test/support/zk-install';
import { freePorts } from '../../test/support/free-port';
import { renderZooCfg } from '../../test/support/zk-server-config';

export interface ZooKeeperTarget {
  connectString: string;
  version: string;
  /** The JVM's pid, to read its CPU time. */
  pid: number;
  stop(): Promise<void>;
  /** With `tls`: what clients connect with, and the members' PEM stores (server and CA). */
  tls?: HarnessTls;
}

/**
 * Apache ZooKeeper standalone for the throughput part, started exactly like bench/common's
 * startBenchServer (the interop harness, default 2 s tick, forceSync=yes by default, dataDir
 * under os.tmpdir()), but also handing out the JVM's pid.
 */
export async function startZooKeeper(tls = false): Promise<ZooKeeperTarget> {
  const cluster = await startStandalone({
    tickTime: 2000,
    jvmArgs: ZOOKEEPER_JVM_AS_PACKAGED,
    tls,
  });
  const server = cluster.servers[0];
  const srvr = await fourLetterWord(server.clientPort, 'srvr');
  const version = /Zookeeper version: ([^-,\s]+)/.exec(srvr)?.[1] ?? 'unknown';
  const pid = server.pid;
  if (pid === undefined) throw new Error('ZooKeeper JVM has no pid');
  return {
    connectString: tls ? cluster.secureConnectString : cluster.connectString,
    version,
    pid,
    stop: () => cluster.stop(),
    tls: cluster.tls,
  };
}

/**
 * Apache ZooKeeper for the memory check: the harness caps the heap at 256 MB (its servers hold
 * a few hundred znodes), far too little for a million, so this launches the same JVM command
 * line (the harness's zoo.cfg and classpath) with a 2 GB heap and the serial collector (the
 * smallest RSS), and can SIGKILL and restart it on the same dataDir.
 */
export class BigHeapZooKeeper {
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  port = 0;

  constructor(
    readonly dir: string,
    readonly heap = '2g',
  ) {}

  get pid(): number {
    const pid = this.child?.pid;
    if (pid === undefined) throw new Error('ZooKeeper is not running');
    return pid;
  }

  get connectString(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** Writes zoo.cfg on first use; spawns the JVM (returns at once, see the caller's probe). */
  async start(): Promise<void> {
    const install = findZooKeeperInstall();
    const dataDir = join(this.dir, 'data');
    const cfgPath = join(this.dir, 'zoo.cfg');
    if (this.port === 0) {
      mkdirSync(dataDir, { recursive: true });
      [this.port] = await freePorts(1);
      writeFileSync(
        cfgPath,
        renderZooCfg({ dataDir, clientPort: this.port, tickTime: 2000, peers: [] }),
      );
    }
    const args = [
      `-Xmx${this.heap}`,
      '-Xms32m',
      // The serial collector keeps the footprint (RSS) smallest; the compiler is the default.
      '-XX:+UseSerialGC',
      '-Djava.net.preferIPv4Stack=true',
      `-Dzookeeper.log.dir=${this.dir}`,
      '-Dzookeeper.log.file=zookeeper.log',
      `-Dzookeeper.root.logger=${install.log4jRootLogger}`,
      '-Dzookeeper.jmx.log4j.disable=true',
      '-cp',
      install.classpath,
      'org.apache.zookeeper.server.quorum.QuorumPeerMain',
      cfgPath,
    ];
    const out = openSync(join(this.dir, 'server.out'), 'a');
    const child = spawn(install.java, args, { stdio: ['ignore', out, out] });
    closeSync(out);
    this.child = child;
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    void this.exited.then(() => {
      if (this.child === child) this.child = undefined;
    });
    process.once('exit', () => child.kill('SIGKILL'));
  }

  async kill(): Promise<void> {
    this.child?.kill('SIGKILL');
    await this.exited;
  }
}
