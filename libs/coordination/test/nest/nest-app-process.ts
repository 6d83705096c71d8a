import { ChildProcess, fork } from 'child_process';
import { join } from 'path';
import type { AppMessage, AppMode, AppRequest } from './zookeeper-app';

const REPO_ROOT = join(__dirname, '..', '..', '..', '..');
const APP = join(__dirname, 'zookeeper-app.ts');

/**
 * The Nest application of zookeeper-app.ts in a child Node process (see there for why), with
 * its HTTP address and a request/reply channel over IPC.
 */
export class NestAppProcess {
  private nextId = 1;
  private readonly pending = new Map<number, (m: AppMessage) => void>();
  private stderr = '';

  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {}

  static start(mode: AppMode, connectString: string, timeoutMs = 30000): Promise<NestAppProcess> {
    const child = fork(APP, [mode], {
      cwd: REPO_ROOT,
      env: { ...process.env, ZK_CONNECT: connectString },
      execArgv: ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register'],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout?.resume();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`the Nest app did not start in ${timeoutMs} ms\n${stderr}`));
      }, timeoutMs);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`the Nest app exited with ${code} before it was ready\n${stderr}`));
      });
      child.on('message', function onReady(m: AppMessage) {
        if (m.type !== 'ready') return;
        clearTimeout(timer);
        child.off('message', onReady);
        child.removeAllListeners('exit');
        const app = new NestAppProcess(child, m.url);
        app.stderr = stderr;
        child.stderr?.on('data', (chunk: Buffer) => (app.stderr += chunk.toString()));
        child.on('message', (msg: AppMessage) => {
          if (msg.type === 'reply') app.pending.get(msg.id)?.(msg);
        });
        resolve(app);
      });
    });
  }

  call<T>(cmd: AppRequest['cmd'], args: Omit<AppRequest, 'id' | 'cmd'> = {}): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, (m) => {
        this.pending.delete(id);
        if (m.type === 'reply' && m.ok) resolve(m.value as T);
        else
          reject(new Error(`${cmd} failed in the Nest app: ${JSON.stringify(m)}\n${this.stderr}`));
      });
      this.child.send({ id, cmd, ...args } satisfies AppRequest);
    });
  }

  /** Waits for the process to end (after `close`), killing it if it lingers. */
  async exit(timeoutMs = 10000): Promise<number | null> {
    if (this.child.exitCode !== null) return this.child.exitCode;
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
      this.child.once('exit', (code) => {
        clearTimeout(timer);
        resolve(code);
      });
    });
  }

  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }
}
