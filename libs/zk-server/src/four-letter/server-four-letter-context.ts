import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ServerCore } from '../server/server-core';
import { ServerCnxn } from '../server/server-cnxn';
import { FourLetterCnxn, FourLetterContext, FourLetterConf } from './four-letter-context';
import { ServerStats } from './server-stats';
import { FOUR_LETTER_VERSION } from './version';

/** A connection of the core that carries four-letter statistics (the TCP ClientConnection). */
function isFourLetterCnxn(c: ServerCnxn): c is ServerCnxn & FourLetterCnxn {
  return 'stats' in c && 'remoteSocketAddress' in c;
}

/** The live view of a ZkServer the four-letter words read; computed when a word is asked. */
export function serverFourLetterContext(
  core: ServerCore,
  stats: ServerStats,
  clientPort: () => number,
): FourLetterContext {
  const sid = (c: ServerCnxn): bigint => c.sessionId;
  const { config } = core;
  return {
    version: FOUR_LETTER_VERSION,
    get serving() {
      return !core.isFailed;
    },
    stats,
    connections: () => [...core.connections].filter(isFourLetterCnxn),
    get lastZxid() {
      return core.lastZxid;
    },
    get nodeCount() {
      return core.tree.nodeCount;
    },
    approximateDataSize() {
      return core.tree.approximateDataSize();
    },
    get ephemeralsCount() {
      let n = 0;
      for (const paths of core.tree.ephemerals.values()) n += paths.size;
      return n;
    },
    get watchCount() {
      return core.watches.watchCount();
    },
    get globalSessions() {
      return core.sessions.size;
    },
    watchSummary: () => core.watches.summary(),
    watchesBySession: () => [...core.watches.byWatcher()].map(([w, paths]) => [sid(w), paths]),
    watchesByPath: () => [...core.watches.byPath()].map(([path, ws]) => [path, ws.map(sid)]),
    get conf(): FourLetterConf {
      const dataDir = config.dataDir === undefined ? '' : resolve(config.dataDir);
      const logDir = config.dataLogDir === undefined ? dataDir : resolve(config.dataLogDir);
      return {
        clientPort: clientPort(),
        dataDir,
        dataDirSize: dirSize(dataDir),
        dataLogDir: logDir,
        dataLogSize: dirSize(logDir),
        tickTime: config.tickTime,
        maxClientCnxns: config.maxClientCnxns,
        minSessionTimeout: config.minSessionTimeout,
        maxSessionTimeout: config.maxSessionTimeout,
      };
    },
    fileDescriptors,
  };
}

/** ZooKeeperServer.getDataDirSize: bytes of the files directly in the directory. */
function dirSize(dir: string): number {
  if (dir === '') return 0;
  let size = 0;
  try {
    for (const name of readdirSync(dir)) {
      const st = statSync(join(dir, name), { throwIfNoEntry: false });
      if (st?.isFile()) size += st.size;
    }
  } catch {
    return 0;
  }
  return size;
}

/** OSMXBean open/max file descriptor counts; Linux only (/proc), as ZooKeeper is Unix only. */
function fileDescriptors(): { open: number; max: number } | undefined {
  try {
    const open = readdirSync('/proc/self/fd').length;
    const limits = readFileSync('/proc/self/limits', 'latin1');
    const m = /^Max open files\s+(\d+|unlimited)/m.exec(limits);
    const max = m && m[1] !== 'unlimited' ? Number(m[1]) : -1;
    return { open, max };
  } catch {
    return undefined;
  }
}
