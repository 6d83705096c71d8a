import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Resident set size of a process in bytes (VmRSS of /proc/<pid>/status; Linux only). */
export function readRssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
  if (kb === undefined) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(kb) * 1024;
}

/**
 * CPU time (user + system, µs) a process has used so far, from /proc/<pid>/stat. Read before
 * and after a measured run, it gives the server's own CPU cost per operation, a figure that
 * stays steady when the wall-clock numbers of a shared machine do not.
 */
export function readCpuUs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the "(comm)" that may contain spaces; utime and stime are fields 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1e6) / CLOCK_TICKS_PER_SECOND;
}

// USER_HZ: 100 on every Linux architecture Node runs on.
const CLOCK_TICKS_PER_SECOND = 100;

/**
 * A JVM's heap in use after a full collection, in bytes: `jcmd <pid> GC.run`, then the used
 * columns of `jstat -gc` (survivors, eden, old; not metaspace). What the live objects hold,
 * which RSS does not show (a JVM keeps the heap it grew to). Undefined when the JDK's tools are
 * not installed (a JRE has neither).
 */
export function jvmHeapUsedAfterGcBytes(pid: number): number | undefined {
  try {
    execFileSync('jcmd', [String(pid), 'GC.run'], { stdio: 'ignore', timeout: 60_000 });
    const out = execFileSync('jstat', ['-gc', String(pid)], { encoding: 'utf8', timeout: 60_000 });
    const [header, values] = out.trim().split('\n');
    const names = header.trim().split(/\s+/);
    const cells = values.trim().split(/\s+/).map(Number);
    const kb = (name: string) => cells[names.indexOf(name)] ?? NaN;
    const used = kb('S0U') + kb('S1U') + kb('EU') + kb('OU');
    return Number.isFinite(used) ? used * 1024 : undefined;
  } catch {
    return undefined;
  }
}
