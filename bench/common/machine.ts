/**
 * What a benchmark ran on, recorded beside its numbers: results from a shared
 * 2-core machine under load and from a quiet 16-core one are not comparable, and
 * the load average at the start says how busy the machine was.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';

export interface MachineInfo {
  cpus: number;
  cpuModel: string;
  memGiB: number;
  os: string;
  kernel: string;
  node: string;
  /** 1, 5 and 15 minute load averages when machineInfo() was called. */
  loadavg: number[];
}

function osName(): string {
  try {
    const text = readFileSync('/etc/os-release', 'utf8');
    const m = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(text);
    if (m) return m[1];
  } catch {
    // Not Linux, or a minimal container: fall back to what Node knows.
  }
  return `${os.type()} ${os.release()}`;
}

export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    memGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    os: osName(),
    kernel: os.release(),
    node: process.version,
    loadavg: os.loadavg().map((n) => Math.round(n * 100) / 100),
  };
}

/** A command's stdout and stderr, or undefined when it is not installed or fails. */
function run(cmd: string, args: string[]): string | undefined {
  // java prints its version on stderr, so both streams are read.
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 10000 });
  return r.status === 0 ? `${r.stdout}${r.stderr}` : undefined;
}

/** The JVM's version, as `java -version` reports it (e.g. "17.0.15"). */
export function javaVersion(): string | undefined {
  return /version "([^"]+)"/.exec(run('java', ['-version']) ?? '')?.[1];
}

/** The installed Debian zookeeper package's version, without starting a server. */
export function zookeeperVersion(): string | undefined {
  return run('dpkg-query', ['-W', '-f=${Version}', 'zookeeper'])?.trim() || undefined;
}

/** The installed redis-server's version (e.g. "7.0.15"). */
export function redisVersion(): string | undefined {
  return /v=(\S+)/.exec(run('redis-server', ['--version']) ?? '')?.[1];
}
