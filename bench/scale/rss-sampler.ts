import { readFileSync } from 'node:fs';
import { TimePoint } from './scale-types';

/** A process's resident set size in MB from /proc/<pid>/status (VmRSS), or undefined if gone. */
export function rssMB(pid: number): number | undefined {
  try {
    const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Samples the RSS of some processes on a fixed interval, times relative to `t0`. A process that
 * has exited simply stops adding samples (a kill -9 victim's series ends at its death).
 */
export class RssSampler {
  readonly series = new Map<string, TimePoint[]>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly pids: Map<string, number>,
    private readonly t0: number,
    intervalMs = 200,
  ) {
    for (const label of pids.keys()) this.series.set(label, []);
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
  }

  /** Peak RSS (MB) of one process between two times (ms since t0); 0 without samples. */
  peak(label: string, from = 0, to = Infinity): number {
    const points = (this.series.get(label) ?? []).filter((p) => p.t >= from && p.t <= to);
    return Math.max(0, ...points.map((p) => p.v));
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private sample(): void {
    const t = Date.now() - this.t0;
    for (const [label, pid] of this.pids) {
      const mb = rssMB(pid);
      if (mb !== undefined) this.series.get(label)!.push({ t, v: Math.round(mb * 10) / 10 });
    }
  }
}
