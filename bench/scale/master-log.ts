import { Child } from '../throughput/child';

/** One pino JSON line a master app wrote: its epoch-ms time, message and fields. */
export interface LogLine {
  time: number;
  msg: string;
  [field: string]: unknown;
}

/**
 * The log lines of a master app process, collected from the tail its Child keeps (masters log a
 * few lines per leadership change at info level, far less than that tail holds between polls).
 */
export class MasterLog {
  private readonly seen = new Set<string>();
  readonly lines: LogLine[] = [];

  constructor(readonly child: Child) {}

  /** Takes in the lines written since the last call. */
  poll(): void {
    for (const raw of this.child.log.split('\n')) {
      if (!raw.startsWith('{') || this.seen.has(raw)) continue;
      try {
        const line = JSON.parse(raw) as LogLine;
        if (typeof line.time !== 'number' || typeof line.msg !== 'string') continue;
        this.seen.add(raw);
        this.lines.push(line);
      } catch {
        // A line cut in half by the tail's start or by a read mid-write: the next poll has it.
      }
    }
  }

  /** The first line whose message starts with `msg` (after `since`, epoch ms), polling first. */
  find(msg: string, since = 0): LogLine | undefined {
    this.poll();
    return this.lines.find((l) => l.msg.startsWith(msg) && l.time >= since);
  }
}
