import { Watcher, ZooKeeperClient, isRetryable } from '@app/zk-client';
import { EventType, KeeperState, SessionExpiredError, WatcherType } from '@app/zk-protocol';

const noop = (): void => undefined;

/**
 * Resolves once `path` is gone, with an `exists` watch on that node only. Used when a previous
 * incarnation of this worker (an older session) still holds /workers/<id>: its node goes when
 * that session closes or expires.
 *
 * ConnectionLoss: the check is sent again (the client queues it until the session is back).
 * Session end: rejects with SessionExpiredError. Abort: rejects with the signal's reason.
 */
export function waitForDeletion(
  client: ZooKeeperClient,
  path: string,
  signal: AbortSignal,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let settled = false;
    const finish = (err?: unknown): void => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      client.removeWatches(path, watcher, WatcherType.Data, true).catch(noop);
      if (err === undefined) resolve();
      else reject(err);
    };
    const watcher: Watcher = (event) => {
      if (settled) return;
      if (event.type === EventType.NodeDeleted) finish();
      else if (event.type !== EventType.None) check();
      else if (event.state === KeeperState.Expired || event.state === KeeperState.Closed)
        finish(new SessionExpiredError(path));
    };
    const check = (): void => {
      client.exists(path, watcher).then(
        (stat) => {
          if (stat === null) finish();
        },
        (err: unknown) => {
          if (settled) return;
          if (isRetryable(err)) check();
          else finish(err);
        },
      );
    };
    const onAbort = (): void => finish(signal.reason);
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    check();
  });
}
