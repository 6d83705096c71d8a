import { ChildProcess, spawn } from 'child_process';
import { EventEmitter } from 'events';
import { PinoLine, parsePinoLine } from './log-format';

export interface ChildAppSpec {
  /** Shown before each of its lines: `worker-2 | ...`. */
  name: string;
  /** Node options before the entry (e.g. ts-node's `-r` hooks); default none. */
  nodeArgs: readonly string[];
  entry: string;
  args?: readonly string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** How many stderr lines are kept to explain a failed start. */
const STDERR_TAIL = 30;

/**
 * One app of the local cluster as a child process running `node [nodeArgs] entry [args]`.
 * Emits `stdout` (line, parsed pino line or undefined) and `stderr` (line) per line, and
 * `exit` once. It runs in its own process group, so a Ctrl-C in the terminal reaches the
 * launcher only, and the launcher decides the order in which the apps stop.
 */
export class ChildApp extends EventEmitter<{
  stdout: [line: string, parsed: PinoLine | undefined];
  stderr: [line: string];
  exit: [exit: ChildExit];
}> {
  readonly name: string;
  readonly exited: Promise<ChildExit>;
  private readonly child: ChildProcess;
  private exitInfo: ChildExit | undefined;
  private readonly stderrLines: string[] = [];

  constructor(spec: ChildAppSpec) {
    super();
    this.name = spec.name;
    this.child = spawn(process.execPath, [...spec.nodeArgs, spec.entry, ...(spec.args ?? [])], {
      cwd: spec.cwd,
      env: spec.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    this.exited = new Promise((resolve) => {
      // 'close', not 'exit': every line it wrote has been read by then.
      this.child.once('close', (code, signal) => {
        this.exitInfo = { code, signal };
        this.emit('exit', this.exitInfo);
        resolve(this.exitInfo);
      });
    });
    // A failed spawn (no such executable) ends in 'close' too; the error itself is reported.
    this.child.once('error', (err) => this.emit('stderr', `cannot start: ${err.message}`));
    splitLines(this.child.stdout!, (line) => this.emit('stdout', line, parsePinoLine(line)));
    splitLines(this.child.stderr!, (line) => {
      this.stderrLines.push(line);
      if (this.stderrLines.length > STDERR_TAIL) this.stderrLines.shift();
      this.emit('stderr', line);
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get hasExited(): boolean {
    return this.exitInfo !== undefined;
  }

  /** The last lines it wrote to stderr (a config error, a stack trace). */
  get stderrTail(): string {
    return this.stderrLines.join('\n');
  }

  signal(signal: NodeJS.Signals): void {
    if (this.exitInfo !== undefined || this.child.pid === undefined) return;
    try {
      process.kill(this.child.pid, signal);
    } catch {
      // Already gone: 'close' follows.
    }
  }

  /** SIGTERM, then SIGKILL if it has not exited after `timeoutMs`. Resolves once it is gone. */
  async stop(timeoutMs: number): Promise<ChildExit> {
    return this.exitInfo ?? stopProcess(this, timeoutMs);
  }

  /**
   * Resolves on the first stdout line `matches` accepts; rejects if the process exits first
   * (with its stderr), or when `signal` aborts.
   */
  waitForLine(matches: (line: PinoLine) => boolean, signal: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      const cleanup = (): void => {
        this.off('stdout', onLine);
        this.off('exit', onExit);
        signal.removeEventListener('abort', onAbort);
      };
      const onLine = (_line: string, parsed: PinoLine | undefined): void => {
        if (parsed === undefined || !matches(parsed)) return;
        cleanup();
        resolve();
      };
      const onExit = (exit: ChildExit): void => {
        cleanup();
        reject(this.exitedEarly(exit));
      };
      const onAbort = (): void => {
        cleanup();
        reject(signal.reason as Error);
      };
      if (signal.aborted) return onAbort();
      if (this.exitInfo !== undefined) return onExit(this.exitInfo);
      this.on('stdout', onLine);
      this.on('exit', onExit);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** The error for a process that ended before it was ready. */
  exitedEarly(exit: ChildExit): Error {
    const how = exit.signal ? `signal ${exit.signal}` : `code ${exit.code}`;
    const tail = this.stderrTail;
    return new Error(`${this.name} exited (${how}) before it was ready${tail ? `:\n${tail}` : ''}`);
  }
}

/** A process as stopProcess sees it: something to signal, and its end. */
export interface Stoppable<T> {
  signal(signal: NodeJS.Signals): void;
  readonly exited: Promise<T>;
}

/** SIGTERM, then SIGKILL if it has not exited after `timeoutMs`. Resolves once it is gone. */
export async function stopProcess<T>(proc: Stoppable<T>, timeoutMs: number): Promise<T> {
  proc.signal('SIGTERM');
  const timer = setTimeout(() => proc.signal('SIGKILL'), timeoutMs);
  try {
    return await proc.exited;
  } finally {
    clearTimeout(timer);
  }
}

/** Calls `onLine` with each non-empty line of `stream` (utf8), the last one even without `\n`. */
export function splitLines(stream: NodeJS.ReadableStream, onLine: (line: string) => void): void {
  let partial = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    partial += chunk;
    const lines = partial.split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) if (line.length > 0) onLine(line);
  });
  stream.on('end', () => {
    if (partial.length > 0) onLine(partial);
    partial = '';
  });
}
