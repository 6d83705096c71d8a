import { ConnectionOptions } from 'tls';
import { FrameDecoder, decodeConnectResponse, encodeConnectRequest } from '@shepherd/zk-protocol';
import { dial } from './dial';

/** What a server did with a ConnectRequest: a ConnectResponse, a close, or nothing at all. */
export type HelloOutcome = 'answered' | 'closed' | 'silent';

/**
 * Opens a connection to `port` (TLS with `tls`, else plain TCP), sends a ZooKeeper
 * ConnectRequest for a new session and reports what came back. Used to compare how servers
 * treat a client without a certificate, with an untrusted one, or speaking plain TCP to a TLS
 * port: Apache ZooKeeper and the embedded coordinator must do the same.
 */
export function probeHello(
  port: number,
  tls?: ConnectionOptions,
  timeoutMs = 8000,
): Promise<HelloOutcome> {
  return new Promise((resolve) => {
    const decoder = new FrameDecoder();
    let settled = false;
    const socket = dial('127.0.0.1', port, tls, () =>
      socket.write(
        encodeConnectRequest({
          protocolVersion: 0,
          lastZxidSeen: 0n,
          timeOut: 4000,
          sessionId: 0n,
          passwd: Buffer.alloc(16),
          readOnly: false,
        }),
      ),
    );
    const finish = (outcome: HelloOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(outcome);
    };
    const timer = setTimeout(() => finish('silent'), timeoutMs);
    socket.on('data', (chunk: Buffer) => {
      try {
        for (const frame of decoder.push(chunk)) {
          const res = decodeConnectResponse(frame);
          if (res.timeOut > 0) finish('answered');
        }
      } catch {
        finish('closed');
      }
    });
    socket.on('error', () => finish('closed'));
    socket.on('close', () => finish('closed'));
  });
}
