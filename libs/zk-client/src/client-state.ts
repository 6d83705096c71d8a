/**
 * Client lifecycle states (ZooKeeper.States in ZooKeeper.java).
 *
 *   NOT_CONNECTED --connect()--> CONNECTING --ConnectResponse--> CONNECTED
 *   CONNECTED --socket lost / read timeout / bad xid--> CONNECTING (Disconnected event)
 *   CONNECTING --ConnectResponse.timeOut <= 0--> CLOSED (Expired event; final)
 *   any live state --auth reply AuthFailed--> AUTH_FAILED (final)
 *   any live state --close()--> CLOSED (Closed event)
 */
export enum ClientState {
  CONNECTING = 'CONNECTING',
  CONNECTED = 'CONNECTED',
  CONNECTED_READ_ONLY = 'CONNECTED_READ_ONLY',
  AUTH_FAILED = 'AUTH_FAILED',
  CLOSED = 'CLOSED',
  NOT_CONNECTED = 'NOT_CONNECTED',
}

/** ZooKeeper.States.isAlive: the client may still (re)connect and serve requests. */
export function isAlive(state: ClientState): boolean {
  return state !== ClientState.CLOSED && state !== ClientState.AUTH_FAILED;
}

export function isConnected(state: ClientState): boolean {
  return state === ClientState.CONNECTED || state === ClientState.CONNECTED_READ_ONLY;
}
