import { Socket, connect } from 'net';
import { ConnectionOptions, connect as connectTls } from 'tls';

/**
 * Opens a connection to a ZooKeeper port: plain TCP, or TLS with `tls` (a secureClientPort).
 * `onOpen` runs once it can carry ZooKeeper frames: on connect, or after the TLS handshake.
 */
export function dial(
  host: string,
  port: number,
  tls: ConnectionOptions | undefined,
  onOpen: () => void,
): Socket {
  return tls ? connectTls({ ...tls, host, port }, onOpen) : connect({ host, port }, onOpen);
}
