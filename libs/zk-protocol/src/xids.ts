/**
 * Reserved xids (ClientCnxn.java: NOTIFICATION_XID, PING_XID, AUTHPACKET_XID, SET_WATCHES_XID).
 * Ordinary requests use positive xids; the Java client wraps back to 1 at Integer.MAX_VALUE
 * precisely so it can never produce one of these.
 */
export enum Xid {
  /** Server-pushed WatcherEvent; the reply header carries zxid -1. */
  Notification = -1,
  Ping = -2,
  Auth = -4,
  SetWatches = -8,
}

/** True for an xid the server answers outside the in-order pending queue. */
export function isSpecialXid(xid: number): boolean {
  return xid === Xid.Notification || xid === Xid.Ping || xid === Xid.Auth || xid === Xid.SetWatches;
}
