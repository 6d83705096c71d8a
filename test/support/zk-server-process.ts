import { ChildProcess, spawn } from 'child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'fs';
import { join } from 'path';
import { fourLetterWord } from './four-letter-word';
import { delay } from './wait-for';
import { ZooKeeperInstall } from './zk-install';

// Every JVM we spawn, so that a failing test process still takes them down (no stray JVMs).
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/**
 * If this Node process dies without running 'exit' handlers (SIGKILL, a CI job timeout), the JVM
 * would live on and keep its ports. A tiny shell reads a pipe from us: when we die the pipe hits
 * EOF and the shell SIGKILLs the JVM. It holds no reference on our event loop.
 */
function startWatchdog(jvmPid: number): ChildProcess {
  const dog = spawn('sh', ['-c', `read _; kill -9 ${jvmPid} 2>/dev/null`], {
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  dog.unref();
  (dog.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  return dog;
}

export interface ZkServerProcessOptions {
  id: number;
  /** Holds zoo.cfg, data/, zookeeper.log and server.out for this member. */
  dir: string;
  cfgPath: string;
  clientPort: number;
  secureClientPort?: number;
  install: ZooKeeperInstall;
  /** System properties, e.g. zookeeper.extendedTypesEnabled. */
  systemProperties: Record<string, string>;
  /**
   * Heap, collector and compiler flags; default TEST_JVM_ARGS (small and quick to start).
   * Benchmarks pass [] for the JVM's own defaults, as the package's zkServer.sh runs it.
   */
  jvmArgs?: readonly string[];
}

/** Small and quick to start: a test's servers hold a few hundred znodes at most. */
export const TEST_JVM_ARGS: readonly string[] = [
  '-Xmx256m',
  '-Xms32m',
  '-XX:+UseSerialGC',
  '-XX:TieredStopAtLevel=1',
];

/** One QuorumPeerMain JVM, launched the way zkServer.sh start-foreground does. */
export class ZkServerProcess {
  private child: ChildProcess | undefined;
  private watchdog: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();

  constructor(readonly opts: ZkServerProcessOptions) {}

  get id(): number {
    return this.opts.id;
  }

  get clientPort(): number {
    return this.opts.clientPort;
  }

  /** The secureClientPort, when the cluster runs TLS. */
  get secureClientPort(): number | undefined {
    return this.opts.secureClientPort;
  }

  get running(): boolean {
    return this.child !== undefined;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  start(): void {
    if (this.child) throw new Error(`zk server ${this.id} is already running`);
    const { install, dir } = this.opts;
    const props = {
      'zookeeper.log.dir': dir,
      'zookeeper.log.file': 'zookeeper.log',
      'zookeeper.root.logger': install.log4jRootLogger,
      // We never read JMX; skipping the log4j MBean saves startup time.
      'zookeeper.jmx.log4j.disable': 'true',
      ...this.opts.systemProperties,
    };
    const args = [
      ...(this.opts.jvmArgs ?? TEST_JVM_ARGS),
      '-Djava.net.preferIPv4Stack=true',
      ...Object.entries(props).map(([k, v]) => `-D${k}=${v}`),
      '-cp',
      install.classpath,
      'org.apache.zookeeper.server.quorum.QuorumPeerMain',
      this.opts.cfgPath,
    ];
    // stdout/stderr go to a file (not a pipe): nothing in this process has to drain them, and
    // they survive for the failure message.
    const out = openSync(join(dir, 'server.out'), 'a');
    const child = spawn(install.java, args, { stdio: ['ignore', out, out] });
    closeSync(out);
    live.add(child);
    this.child = child;
    const watchdog = child.pid !== undefined ? startWatchdog(child.pid) : undefined;
    this.watchdog = watchdog;
    this.exited = new Promise((resolve) => {
      const gone = (): void => {
        live.delete(child);
        // A JVM that died on its own must not leave a watchdog aimed at a recyclable pid.
        watchdog?.kill('SIGKILL');
        if (this.child === child) this.child = undefined;
        resolve();
      };
      child.once('exit', gone);
      child.once('error', gone);
    });
  }

  /** SIGKILL: the harshest failure, no closeSession, no goodbye to peers. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child) return;
    // The watchdog goes first, so it can never fire at a recycled pid later.
    this.watchdog?.kill('SIGKILL');
    child.kill('SIGKILL');
    await this.exited;
  }

  /** Resolves once `ruok` answers `imok`; throws with the log tail if the JVM dies first. */
  async waitServing(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!this.child)
        throw new Error(`zk server ${this.id} exited during startup\n${this.logTail()}`);
      if ((await fourLetterWord(this.clientPort, 'ruok', { timeoutMs: 1000 })) === 'imok') return;
      await delay(100);
    }
    throw new Error(
      `zk server ${this.id} did not answer ruok on ${this.clientPort} in ${timeoutMs} ms\n` +
        this.logTail(),
    );
  }

  /** The last lines of server.out and zookeeper.log, for failure messages. */
  logTail(lines = 30): string {
    return ['server.out', 'zookeeper.log']
      .map((name) => join(this.opts.dir, name))
      .filter((file) => existsSync(file))
      .map((file) => {
        const tail = readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
        return `--- ${file} (last ${lines} lines)\n${tail}`;
      })
      .join('\n');
  }
}
