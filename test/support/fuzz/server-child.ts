import { ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import type { ServerStats } from './server-process';

/** A ZkServer in a child process (server-process.ts): a crash there is an observable exit. */
export class ServerChild {
  private exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  private stopping = false;

  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
  ) {
    child.on('exit', (code, signal) => {
      this.exited = { code, signal };
    });
  }

  /** `tls`: PEM key, certificate and CA; the child then serves a secureClientPort only. */
  static start(tls?: { key: string; cert: string; ca: string }): Promise<ServerChild> {
    const child = fork(join(__dirname, 'server-process.ts'), [], {
      execArgv: ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register'],
      env: tls ? { ...process.env, FUZZ_TLS: JSON.stringify(tls) } : process.env,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    return new Promise((resolve, reject) => {
      const onExit = (code: number | null) =>
        reject(new Error(`server process exited (${code}) before listening`));
      child.once('exit', onExit);
      child.on('message', (msg: { type?: string; port?: number }) => {
        if (msg?.type === 'ready' && typeof msg.port === 'number') {
          child.off('exit', onExit);
          resolve(new ServerChild(child, msg.port));
        }
      });
    });
  }

  /** Set when the process ended without being asked to: a crash. */
  get crash(): string | undefined {
    if (!this.exited || this.stopping) return undefined;
    return `exit code ${this.exited.code}, signal ${this.exited.signal}`;
  }

  stats(): Promise<ServerStats | undefined> {
    if (this.exited) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const onMsg = (msg: { type?: string }) => {
        if (msg?.type !== 'stats') return;
        this.child.off('message', onMsg);
        resolve(msg as ServerStats);
      };
      this.child.on('message', onMsg);
      this.child.send('stats');
    });
  }

  async stop(): Promise<void> {
    if (this.exited) return;
    this.stopping = true;
    const gone = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.send('stop');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await gone;
    clearTimeout(timer);
  }
}
