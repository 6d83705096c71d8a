import { ChildProcess, spawn } from 'node:child_process';
import { Interface, createInterface } from 'node:readline';

export interface CoordinatorStarted {
  port: number;
  /** Inside the child: from `new ZkServer` to listening, recovery included. */
  startMs: number;
  txnsReplayed: number;
}

/**
 * The coordinator child (server-process.ts) as seen from the benchmark: start it on a dataDir,
 * SIGKILL it, start it again on the same dataDir. Its stdin is a pipe from us, so it exits by
 * itself if this process dies.
 */
export class CoordinatorProcess {
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  private lines: Interface | undefined;
  started: CoordinatorStarted | undefined;

  constructor(
    readonly dataDir: string,
    /** The transpiled server-process.js (see compile-child.ts). */
    private readonly script: string,
    /** Extra node flags for the child, e.g. --cpu-prof --cpu-prof-dir=... */
    private readonly nodeArgs: string[] = [],
    /** Serve TLS only, with this key, certificate and CA (PEM). */
    private readonly tls?: { key: string; cert: string; ca: string },
  ) {}

  get pid(): number {
    const pid = this.child?.pid;
    if (pid === undefined) throw new Error('coordinator is not running');
    return pid;
  }

  get connectString(): string {
    if (!this.started) throw new Error('coordinator is not running');
    return `127.0.0.1:${this.started.port}`;
  }

  /** Spawns the child and resolves once it prints its port (it serves from then on). */
  async start(timeoutMs = 120000): Promise<CoordinatorStarted> {
    if (this.child) throw new Error('coordinator already running');
    const child = spawn(process.execPath, [...this.nodeArgs, this.script, this.dataDir], {
      stdio: ['pipe', 'pipe', 'inherit'],
      env: this.tls ? { ...process.env, BENCH_TLS: JSON.stringify(this.tls) } : process.env,
    });
    this.child = child;
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    void this.exited.then(() => {
      if (this.child === child) {
        this.child = undefined;
        this.started = undefined;
      }
    });
    const lines = createInterface({ input: child.stdout! });
    this.lines = lines;
    this.started = await new Promise<CoordinatorStarted>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('coordinator did not start')), timeoutMs);
      child.once('exit', (code) => reject(new Error(`coordinator exited with ${code}`)));
      lines.once('line', (line) => {
        clearTimeout(timer);
        resolve(JSON.parse(line) as CoordinatorStarted);
      });
    });
    return this.started;
  }

  /** The child's process.memoryUsage() (heap, external buffers), asked for with SIGUSR2. */
  memoryUsage(): Promise<NodeJS.MemoryUsage> {
    const lines = this.lines;
    if (!this.child || !lines) throw new Error('coordinator is not running');
    const answer = new Promise<NodeJS.MemoryUsage>((resolve) =>
      lines.once('line', (line) =>
        resolve((JSON.parse(line) as { memory: NodeJS.MemoryUsage }).memory),
      ),
    );
    this.child.kill('SIGUSR2');
    return answer;
  }

  /** SIGKILL: no snapshot on the way out, the restart must replay the txn log. */
  async kill(): Promise<void> {
    this.child?.kill('SIGKILL');
    await this.exited;
  }

  /** SIGTERM: a clean stop (and a written --cpu-prof profile). */
  async stop(): Promise<void> {
    this.child?.kill('SIGTERM');
    await this.exited;
  }
}
