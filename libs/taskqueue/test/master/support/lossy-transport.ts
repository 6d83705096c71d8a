import { TransportFactory, tcpTransportFactory } from '@app/zk-client';

/** The multi opcode on the wire (ZooDefs.OpCode.multi), written here rather than imported. */
const MULTI = 14;

function holdsMulti(buf: Buffer): boolean {
  for (let at = 0; at + 12 <= buf.length;) {
    const len = buf.readInt32BE(at);
    if (buf.readInt32BE(at + 8) === MULTI) return true;
    at += 4 + len;
  }
  return false;
}

/**
 * A TCP transport that loses the reply of the next multi once armed: the request goes out (and
 * is applied by the server), what comes back is swallowed, and the socket is closed shortly
 * after. The client sees ConnectionLoss for a multi that did happen.
 */
export class LostMultiReply {
  lost = 0;
  private armed = false;

  readonly factory: TransportFactory = (address) => {
    const inner = tcpTransportFactory(address);
    let handshake = true;
    let swallowing = false;
    return {
      write: (buf) => {
        inner.write(buf);
        if (handshake) {
          handshake = false; // the ConnectRequest has no request header
          return;
        }
        if (this.armed && holdsMulti(buf)) {
          this.armed = false;
          this.lost++;
          swallowing = true;
          setTimeout(() => inner.close(), 100);
        }
      },
      close: () => inner.close(),
      onConnect: (cb) => inner.onConnect(cb),
      onData: (cb) =>
        inner.onData((chunk) => {
          if (!swallowing) cb(chunk);
        }),
      onError: (cb) => inner.onError(cb),
      onClose: (cb) => inner.onClose(cb),
    };
  };

  arm(): void {
    this.armed = true;
  }
}

/**
 * A TCP transport whose current connection can be cut on demand: from `cut()` on, nothing the
 * server sends arrives (watch events included), and the socket closes shortly after. The client
 * reconnects to the same session; what happened meanwhile was never delivered.
 */
export class Blackout {
  private readonly live = new Set<() => void>();

  readonly factory: TransportFactory = (address) => {
    const inner = tcpTransportFactory(address);
    let dark = false;
    const cut = () => {
      dark = true;
      setTimeout(() => inner.close(), 300);
    };
    this.live.add(cut);
    return {
      write: (buf) => inner.write(buf),
      close: () => inner.close(),
      onConnect: (cb) => inner.onConnect(cb),
      onData: (cb) =>
        inner.onData((chunk) => {
          if (!dark) cb(chunk);
        }),
      onError: (cb) => inner.onError(cb),
      onClose: (cb) =>
        inner.onClose(() => {
          this.live.delete(cut);
          cb();
        }),
    };
  };

  cut(): void {
    for (const cut of this.live) cut();
    this.live.clear();
  }
}
