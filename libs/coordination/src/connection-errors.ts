/** One attempt to open a session got no ConnectResponse in time (server down or unreachable). */
export class ConnectTimeoutError extends Error {
  constructor(
    readonly connectString: string,
    readonly timeoutMs: number,
  ) {
    super(`no ZooKeeper session from ${connectString} within ${timeoutMs} ms`);
    this.name = 'ConnectTimeoutError';
  }
}

/** The ZooKeeperConnection was closed (before or while connecting). */
export class ConnectionClosedError extends Error {
  constructor(message = 'ZooKeeperConnection is closed') {
    super(message);
    this.name = 'ConnectionClosedError';
  }
}
