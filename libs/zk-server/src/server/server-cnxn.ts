import { Id, WatcherEvent } from '@shepherd/zk-protocol';

/**
 * What the server core knows of a client connection (ServerCnxn.java): the watcher identity of
 * the watch tables and the owner of a session. Implemented by the TCP connection; kept as an
 * interface so the core does not depend on sockets.
 */
export interface ServerCnxn {
  /** 0 until the handshake created or re-attached a session. */
  readonly sessionId: bigint;
  /** True once closed (or closing): watches are not added for it, output is dropped. */
  readonly closed: boolean;
  /** ServerCnxn.process(WatchedEvent): one notification frame. */
  sendNotification(event: WatcherEvent, zxid: bigint): void;
  /** Drops the connection after what was already written (ServerCnxn.close(reason)). */
  close(reason: string): void;
}

/** What request processing needs of a connection besides the ServerCnxn basics. */
export interface RequestCnxn extends ServerCnxn {
  /** The connection's auth ids (ServerCnxn.authInfo); `auth` packets add to it. */
  readonly authInfo: Id[];
  /** The client's IP address (for ip ACLs and `addauth ip`). */
  readonly clientAddress: string;
  /** Writes one already framed packet. */
  send(frame: Buffer): void;
  /**
   * Ignores every later packet: the connection is on its way out (closeSession or a failed
   * auth was processed) and only the replies already queued may still go out.
   */
  stopReading(): void;
}
