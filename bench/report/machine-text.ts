/** One line per machine for the page's header. */
import type { Source } from './types';

export function describeMachine(m: Source['machine']): string {
  if (!m) return 'machine not recorded';
  const parts = [
    m.cpus !== undefined ? `${m.cpus} × ${m.cpuModel ?? 'CPU'}` : undefined,
    m.memGiB !== undefined ? `${m.memGiB} GiB` : undefined,
    m.os,
    m.kernel ? `kernel ${m.kernel}` : undefined,
    m.node ? `Node ${m.node}` : undefined,
  ];
  return parts.filter((p) => p !== undefined).join(', ');
}

/** The load average when the run started or ended, the best hint of a busy shared machine. */
export function describeLoad(m: Source['machine']): string {
  return m?.loadavg ? m.loadavg.map((l) => l.toFixed(2)).join(' / ') : '';
}

/**
 * Which machine a block describes: the same hardware and Node, whoever wrote the block (the
 * scale benchmark records fewer fields), so one machine is not counted twice.
 */
export function machineKey(m: NonNullable<Source['machine']>): string {
  return [m.cpus, m.cpuModel?.trim(), m.memGiB, m.node].join('|');
}
