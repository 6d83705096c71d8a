import { spawn } from 'child_process';
import { findZooKeeperInstall } from '../support/zk-install';

/**
 * Runs Debian's zkCli.sh against `server` with `commands` fed on stdin (one per line, the
 * non-interactive mode ZooKeeperMain uses when JLine is off) and returns its stdout.
 * Rejects with the full output if it exits non-zero or takes longer than `timeoutMs`.
 */
export function runZkCli(server: string, commands: string[], timeoutMs = 60000): Promise<string> {
  const { zkCli } = findZooKeeperInstall();
  return new Promise((resolve, reject) => {
    const child = spawn(zkCli, ['-server', server, '-timeout', '4000', '-waitforconnection'], {
      stdio: ['pipe', 'pipe', 'pipe'],
      // A one-shot CLI JVM: small heap, no JIT warm-up.
      env: { ...process.env, CLIENT_JVMFLAGS: '-Xmx128m -XX:TieredStopAtLevel=1' },
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
