/**
 * One tracked session (SessionTrackerImpl.SessionImpl). `O` is whatever identifies the
 * connection that owns it: the connection layer's own objects.
 */
export class Session<O = unknown> {
  /** Set when a closeSession is prepped or the session expired: no more requests, no touch. */
  isClosing = false;
  /**
   * The connection currently attached. Undefined until the first setOwner/checkSession,
   * and after the owning connection detaches (SessionTracker.detach).
   */
  owner: O | undefined = undefined;

  constructor(
    readonly id: bigint,
    /**
     * The timeout negotiated when the session was created (the CreateSessionTxn's timeOut).
     * Like ZooKeeper, a re-attach does not change it: the new connection's own negotiated
     * timeout is what it passes to touch().
     */
    readonly timeout: number,
  ) {}
}

/** What persistence keeps of a session: ZooKeeper's sessionsWithTimeout map entries. */
export interface SessionRecord {
  id: bigint;
  timeout: number;
}
