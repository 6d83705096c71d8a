import { HostAddress } from './connect-string';

/**
 * A byte stream to one server. The client never touches sockets directly (compare nats.js'
 * Transport): TcpTransport is the production implementation, unit tests use a fake.
 *
 * Contract: the factory starts connecting immediately; handlers registered synchronously after
 * creation see every event. `onClose` fires exactly once, after `onError` if there was one,
 * and also after a local `close()`.
 */
export interface Transport {
  /** Queue bytes for the server. Callers batch frames, so this is called about once per tick. */
  write(buf: Buffer): void;
  /** Tear the stream down; `onClose` follows. Idempotent. */
  close(): void;
  onConnect(cb: () => void): void;
  onData(cb: (chunk: Buffer) => void): void;
  onError(cb: (err: Error) => void): void;
  onClose(cb: () => void): void;
}

export type TransportFactory = (address: HostAddress) => Transport;
