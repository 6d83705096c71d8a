import { spawn } from 'child_process';
import { findZooKeeperInstall } from '../support/zk-install';

/**
 * Runs Debian's zkCli.sh against `server` with `commands` fed on stdin (one per line, the
 * non-interactive mode ZooKeeperMain uses when JLine is off) and returns its stdout.
 * Rejects with the full output if it exits non-zero or takes longer than `timeoutMs`.
 */
export function runZkCli(
  server: string,
  commands: string[],
  timeoutMs = 60000,
  /** More JVM flags, e.g. the zookeeper.client.secure / zookeeper.ssl.* of zkCliTlsFlags. */
  jvmFlags: readonly string[] = [],
): Promise<string> {
  const { zkCli } = findZooKeeperInstall();
  return new Promise((resolve, reject) => {
    const child = spawn(zkCli, ['-server', server, '-timeout', '4000', '-waitforconnection'], {
      stdio: ['pipe', 'pipe', 'pipe'],
      // A one-shot CLI JVM: small heap, no JIT warm-up.
      env: {
        ...process.env,
        CLIENT_JVMFLAGS: ['-Xmx128m', '-XX:TieredStopAtLevel=1', ...jvmFlags].join(' '),
      },
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (out += d.toString('utf8')));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`zkCli.sh timed out after ${timeoutMs} ms\n${out}`));
    }, timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`zkCli.sh exited with ${code}\n${out}`));
    });
    child.stdin.end(`${commands.join('\n')}\nquit\n`);
  });
}

/**
 * The client properties of ZooKeeper's TLS guide: the Netty socket (the NIO one has no TLS),
 * secure mode, and PEM stores (key + certificate in one file, CA certificates in another).
 */
export function zkCliTlsFlags(keyStore: string, trustStore: string): string[] {
  return [
    // zkCli.sh's own -cp lacks the jars TLS needs (see zk-install.ts); java takes the last -cp.
    '-cp',
    findZooKeeperInstall().classpath,
    '-Dzookeeper.client.secure=true',
    '-Dzookeeper.clientCnxnSocket=org.apache.zookeeper.ClientCnxnSocketNetty',
    `-Dzookeeper.ssl.keyStore.location=${keyStore}`,
    '-Dzookeeper.ssl.keyStore.type=PEM',
    `-Dzookeeper.ssl.trustStore.location=${trustStore}`,
    '-Dzookeeper.ssl.trustStore.type=PEM',
  ];
}
