import { Watcher, ZooKeeperClient, isRetryable, withRetry } from '@shepherd/zk-client';
import { EventType, NoNodeError, SessionExpiredError, WatcherType } from '@shepherd/zk-protocol';
import { Subscription } from 'rxjs';
import { isSessionEnd, isSessionLive } from './session-state';

const noop = (): void => undefined;

/**
 * Resolves once `path` does not exist (at once if it is already gone), using a one-time
 * `exists` watch on that node only: the herd-free wait of the lock and election recipes.
 *
 * ConnectionLoss: the client re-registers the watch on reconnect and delivers a deletion it
 * missed; we also re-check on every reconnect. Session end (expired, closed): rejects with
 * SessionExpiredError. Abort: rejects with `signal.reason`.
 */
export function waitUntilDeleted(
  client: ZooKeeperClient,
  path: string,
  signal: AbortSignal,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let settled = false;
    const finish = (err?: unknown): void => {
      if (settled) return;
      settled = true;
      stateSub.unsubscribe();
      signal.removeEventListener('abort', onAbort);
      // Local only: the server-side watch fires once more into nothing, which is harmless.
      client.removeWatches(path, watcher, WatcherType.Data, true).catch(noop);
      if (err === undefined) resolve();
      else reject(err);
    };
    const watcher: Watcher = (event) => {
      // Session events reach every watcher; state$ below handles them.
      if (settled || event.type === EventType.None) return;
      if (event.type === EventType.NodeDeleted) finish();
      else void check(); // e.g. NodeDataChanged: the one-time watch is spent, arm it again
    };
    const check = async (): Promise<void> => {
      try {
        if ((await client.exists(path, watcher)) === null) finish();
      } catch (err) {
        // ConnectionLoss: wait for the reconnect below; anything else ends the wait.
        if (!isRetryable(err)) finish(err);
      }
    };
    const onAbort = (): void => finish(signal.reason);
    // state$ never emits during subscribe, so `finish` cannot run before this is assigned.
    const stateSub: Subscription = client.state$.subscribe((state) => {
      if (isSessionEnd(state)) finish(new SessionExpiredError(path));
      else if (isSessionLive(state)) void check();
    });
    if (signal.aborted) {
      onAbort();
      return;
    }
    signal.addEventListener('abort', onAbort, { once: true });
    void check();
  });
}

/**
 * Deletes a node of our session's (any version), retrying through ConnectionLoss. A node that
 * is already gone, or went with the session, is what we wanted.
 */
export async function deleteOwnNode(client: ZooKeeperClient, path: string): Promise<void> {
  await withRetry(async () => {
    try {
      await client.delete(path);
    } catch (err) {
      if (err instanceof NoNodeError || err instanceof SessionExpiredError) return;
      throw err;
    }
  });
}
