import { Transport, TransportFactory, tcpTransportFactory } from '@app/zk-client';

// Opcodes of the create family on the wire (ZooDefs.OpCode): create, create2, createContainer,
// createTTL. Written here rather than imported so the test does not trust the code under test.
const CREATE_OPS = new Set([1, 15, 19, 21]);

/** True if a client write holds a create request: frames are [len][xid][type]... */
function holdsCreate(buf: Buffer): boolean {
  for (let at = 0; at + 12 <= buf.length;) {
    const len = buf.readInt32BE(at);
    if (CREATE_OPS.has(buf.readInt32BE(at + 8))) return true;
    at += 4 + len;
  }
  return false;
}

/**
 * A real TCP transport that can lose a create's reply on demand: once `arm()`ed, the next write
 * holding a create request goes out, everything the server sends back is swallowed, and the
 * socket is closed shortly after (the server has applied the create by then). The client sees
 * ConnectionLoss for a create that did happen: the book's case for protected creates.
 */
export class LostCreateReply {
  /** How many create replies were lost so far. */
  lost = 0;
  private armed = false;

  readonly factory: TransportFactory = (address) => {
    const inner = tcpTransportFactory(address);
    let handshake = true;
    let swallowing = false;
    return {
      write: (buf) => {
        inner.write(buf);
        // The first write on a connection is the ConnectRequest (no request header).
        if (handshake) {
          handshake = false;
          return;
        }
        if (this.armed && holdsCreate(buf)) {
          this.armed = false;
          this.lost++;
          swallowing = true;
          setTimeout(() => inner.close(), 150);
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
 * Real TCP transports with an off switch: `cut(ms)` closes every live connection and makes new
 * ones fail at once for `ms`, so the client is disconnected (but its session lives on, if `ms`
 * is below the session timeout) and then reconnects on its own.
 */
export class Blackout {
  private readonly live = new Set<Transport>();
  private until = 0;

  readonly factory: TransportFactory = (address) => {
    if (Date.now() < this.until) return refusedTransport();
    const inner = tcpTransportFactory(address);
    this.live.add(inner);
    return {
      write: (buf) => inner.write(buf),
      close: () => inner.close(),
      onConnect: (cb) => inner.onConnect(cb),
      onData: (cb) => inner.onData(cb),
      onError: (cb) => inner.onError(cb),
      onClose: (cb) =>
        inner.onClose(() => {
          this.live.delete(inner);
          cb();
        }),
    };
  };

  cut(ms: number): void {
    this.until = Date.now() + ms;
    for (const t of [...this.live]) t.close();
  }
}

/** A transport to a server that is not there: it closes right away, never connecting. */
function refusedTransport(): Transport {
  let closeCb: () => void = () => undefined;
  let closed = false;
  setImmediate(() => {
    closed = true;
    closeCb();
  });
  return {
    write: () => undefined,
    close: () => undefined,
    onConnect: () => undefined,
    onData: () => undefined,
    onError: () => undefined,
    onClose: (cb) => {
      closeCb = cb;
      if (closed) cb();
    },
  };
}
