import { freemem, hostname, release, tmpdir, userInfo } from 'node:os';
import { getHeapStatistics } from 'node:v8';

/** One `key=value` of envi. */
export type EnvEntry = [string, string];

/**
 * envi (EnvCommand / Environment.list) with the keys that are not Java-specific under their
 * ZooKeeper names, and the runtime described as Node.js instead of the JVM (java.* keys would
 * be false). Memory is in MB like Environment's os.memory.* entries.
 */
export function environmentEntries(version: string): EnvEntry[] {
  const mb = (bytes: number): string => `${Math.floor(bytes / (1024 * 1024))}MB`;
  let user: { username: string; homedir: string } = { username: '<NA>', homedir: '<NA>' };
  try {
    user = userInfo();
  } catch {
    // No passwd entry for the uid (containers): ZooKeeper prints what Java has, here <NA>.
  }
  return [
    ['zookeeper.version', version],
    ['host.name', hostname()],
    ['node.version', process.version],
    ['node.execPath', process.execPath],
    ['java.io.tmpdir', tmpdir()],
    ['os.name', osName()],
    ['os.arch', process.arch === 'x64' ? 'amd64' : process.arch],
    ['os.version', release()],
    ['user.name', user.username],
    ['user.home', user.homedir],
    ['user.dir', process.cwd()],
    ['os.memory.free', mb(freemem())],
    ['os.memory.max', mb(getHeapStatistics().heap_size_limit)],
    ['os.memory.total', mb(process.memoryUsage().rss)],
  ];
}

export function formatEnvi(version: string): string {
  let out = 'Environment:\n';
  for (const [key, value] of environmentEntries(version)) out += `${key}=${value}\n`;
  return out;
}

function osName(): string {
  const names: Record<string, string> = { linux: 'Linux', darwin: 'Mac OS X', win32: 'Windows' };
  return names[process.platform] ?? process.platform;
}
