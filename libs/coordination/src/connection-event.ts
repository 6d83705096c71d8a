/**
 * What a ZooKeeperConnection reports about its sessions (a discriminated union, as nats.js
 * reports status changes).
 *
 * - `connected`: a new session is live (the first one, or a replacement after expiry).
 * - `disconnected`: the socket went away; the session may still be alive, the client is
 *   reconnecting. Ephemerals and watches are kept if it comes back within the session timeout.
 * - `reconnected`: the same session is back (watches were re-registered by the client).
 * - `expired`: the session is gone for good, with its ephemerals and watches; a new one follows.
 * - `closed`: close() ended the connection; nothing follows.
 */
export type ConnectionEvent =
  | { type: 'connected'; sessionId: bigint }
  | { type: 'disconnected' }
  | { type: 'reconnected' }
  | { type: 'expired'; sessionId: bigint }
  | { type: 'closed' };
