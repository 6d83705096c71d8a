import { EventType, KeeperState } from '@shepherd/zk-protocol';

/** An event as a watcher sees it (WatchedEvent.java); `path` is relative to the chroot. */
export interface WatchedEvent {
  type: EventType;
  state: KeeperState;
  path?: string;
}

/** Watcher.java's process(event), or a plain function. Identity is what dedupes watches. */
export type Watcher = { process(event: WatchedEvent): void } | ((event: WatchedEvent) => void);

/**
 * Invoke a watcher. A throwing watcher must not break the connection's read loop or starve the
 * other watchers of the same event (ClientCnxn.EventThread logs and carries on), so errors are
 * reported as process warnings.
 */
export function deliver(watcher: Watcher, event: WatchedEvent): void {
  try {
    if (typeof watcher === 'function') watcher(event);
    else watcher.process(event);
  } catch (err) {
    process.emitWarning(
      `zk-client: watcher threw: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
}
