import { KeeperState } from '@shepherd/zk-protocol';

/**
 * States after which a client's session is over: its ephemerals are gone (or about to be) and
 * its watches will never fire. A recipe holding state for that session must drop it.
 */
export function isSessionEnd(state: KeeperState): boolean {
  return (
    state === KeeperState.Expired ||
    state === KeeperState.Closed ||
    state === KeeperState.AuthFailed
  );
}

/** A (re)connection: work interrupted by ConnectionLoss can be resumed now. */
export function isSessionLive(state: KeeperState): boolean {
  return state === KeeperState.SyncConnected || state === KeeperState.ConnectedReadOnly;
}
