import * as path from 'path';
import { LOG_PREFIX, SNAPSHOT_PREFIX, filterZxidFiles } from './file-names';
import { SyncFs, nodeSyncFs } from './sync-fs';

/**
 * Autopurge (PurgeTxnLog.purge, DatadirCleanupManager): keep the newest `snapRetainCount`
 * snapshots and every log file that may hold txns after the oldest of them; delete the rest.
 * Keeping several snapshots matters because recovery falls back to an older snapshot when the
 * newest is damaged, and then needs that older snapshot's logs too.
 */

/** PurgeTxnLog refuses fewer than 3 retained snapshots; DatadirCleanupManager raises it to 3. */
export const MIN_SNAP_RETAIN_COUNT = 3;

export interface PurgeListing {
  /** File names in the snapshot dir (other names are ignored). */
  snapshots: readonly string[];
  /** File names in the log dir (other names are ignored). */
  logs: readonly string[];
}

export interface PurgePlan {
  snapshots: string[];
  logs: string[];
}

/** Pure: which files a purge deletes. */
export function filesToPurge(listing: PurgeListing, snapRetainCount: number): PurgePlan {
  const retain = Math.max(MIN_SNAP_RETAIN_COUNT, Math.floor(snapRetainCount));
  const snaps = filterZxidFiles(listing.snapshots, SNAPSHOT_PREFIX);
  const logs = filterZxidFiles(listing.logs, LOG_PREFIX);
  if (snaps.length <= retain) {
    return { snapshots: [], logs: [] };
  }
  const oldestKept = snaps[snaps.length - retain].zxid;
  // Util.getLogFiles: the newest log starting at or before the oldest kept snapshot may hold
  // txns after it, so it stays with everything newer.
  let firstKeptLog = 0;
  for (let i = 0; i < logs.length; i++) {
    if (logs[i].zxid <= oldestKept) {
      firstKeptLog = i;
    }
  }
  return {
    snapshots: snaps.slice(0, snaps.length - retain).map((f) => f.name),
    logs: logs.slice(0, firstKeptLog).map((f) => f.name),
  };
}

export interface PurgeOptions {
  snapDir: string;
  logDir: string;
  snapRetainCount: number;
  fs?: SyncFs;
}

/** Lists both dirs, deletes what filesToPurge says, returns what was deleted. */
export async function purge(options: PurgeOptions): Promise<PurgePlan> {
  const sfs = options.fs ?? nodeSyncFs;
  const plan = filesToPurge(
    { snapshots: await sfs.readdir(options.snapDir), logs: await sfs.readdir(options.logDir) },
    options.snapRetainCount,
  );
  // Logs first: if we stop half-way, every remaining snapshot still has its logs.
  for (const name of plan.logs) {
    await sfs.unlink(path.join(options.logDir, name));
  }
  for (const name of plan.snapshots) {
    await sfs.unlink(path.join(options.snapDir, name));
  }
  return plan;
}

/** The slice of the server Clock the scheduler needs (injectable for tests). */
export interface PurgeTimer {
  setTimeout(cb: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface AutoPurgeOptions {
  /** autopurge.purgeInterval, hours; 0 (the default in ZooKeeper) disables purging. */
  purgeIntervalHours: number;
  run: () => Promise<unknown>;
  timer?: PurgeTimer;
  onError?: (err: unknown) => void;
}

export interface AutoPurgeHandle {
  stop(): void;
}

const HOUR_MS = 60 * 60 * 1000;

/**
 * Runs `run` once right away and then every interval, like DatadirCleanupManager's
 * scheduleAtFixedRate(task, 0, interval) — but the next run is only scheduled after the previous
 * one finished, so purges never overlap.
 */
export function startAutoPurge(options: AutoPurgeOptions): AutoPurgeHandle {
  if (!(options.purgeIntervalHours > 0)) {
    return { stop: () => undefined };
  }
  const timer: PurgeTimer = options.timer ?? {
    setTimeout: (cb, ms) => {
      const t = setTimeout(cb, ms);
      t.unref();
      return t;
    },
    clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
  };
  const interval = options.purgeIntervalHours * HOUR_MS;
  let stopped = false;
  let handle: unknown = null;
  const tick = () => {
    handle = null;
    options
      .run()
      .catch((err: unknown) => options.onError?.(err))
      .finally(() => {
        if (!stopped) {
          handle = timer.setTimeout(tick, interval);
        }
      });
  };
  handle = timer.setTimeout(tick, 0);
  return {
    stop: () => {
      stopped = true;
      if (handle !== null) {
        timer.clearTimeout(handle);
        handle = null;
      }
    },
  };
}
