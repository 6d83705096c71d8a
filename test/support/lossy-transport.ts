import { Transport, TransportFactory, tcpTransportFactory } from '@shepherd/zk-client';

/**
 * Request types on the wire (ZooDefs.OpCode), written out here so that the tests do not trust
 * the code under test.
 */
export const WIRE_OP = {
  create: 1,
  setData: 5,
  multi: 14,
  create2: 15,
  createContainer: 19,
  createTTL: 21,
} as const;

/** Every request of the create family. */
export const CREATE_OPS: readonly number[] = [
  WIRE_OP.create,
  WIRE_OP.create2,
  WIRE_OP.createContainer,
  WIRE_OP.createTTL,
];

/** How long a connection that lost a reply stays open: the server applies the request meanwhile. */
const REPLY_LOSS_CLOSE_MS = 150;

/** The request frames of one client write: [len][xid][type]..., with their offsets. */
function requestFrames(buf: Buffer): { at: number; type: number }[] {
  const frames: { at: number; type: number }[] = [];
  for (let at = 0; at + 12 <= buf.length; at += 4 + buf.readInt32BE(at))
    frames.push({ at, type: buf.readInt32BE(at + 8) });
  return frames;
}

/** A transport that passes everything through to `inner`, but for what `over` replaces. */
function relay(inner: Transport, over: Partial<Transport> = {}): Transport {
  return {
    write: (buf) => inner.write(buf),
    close: () => inner.close(),
    onConnect: (cb) => inner.onConnect(cb),
    onData: (cb) => inner.onData(cb),
    onError: (cb) => inner.onError(cb),
    onClose: (cb) => inner.onClose(cb),
    ...over,
  };
}

export type LossMode =
  /** The request reaches the server (and is applied); its reply, and all after it, is lost. */
  | 'reply'
  /** The request never reaches the server: the connection drops just before it. */
  | 'request';

/**
 * Real TCP transports that lose one request's outcome on demand, so the client sees
 * ConnectionLoss for it with the outcome unknown (applied or not, depending on the mode). From
 * the lost request on, the connection is dead both ways, and it closes; the session survives and
 * the client reconnects to it on its own.
 */
export class LossyTransports {
  /** How many requests were lost so far. */
  lost = 0;
  private armed: { ops: readonly number[]; mode: LossMode; skip: number } | undefined;

  /** Loses the next request of one of the types `ops`, after letting `skip` of them through. */
  arm(ops: number | readonly number[], mode: LossMode = 'reply', skip = 0): void {
    this.armed = { ops: typeof ops === 'number' ? [ops] : ops, mode, skip };
  }

  readonly factory: TransportFactory = (address) => {
    const inner = tcpTransportFactory(address);
    let handshake = true;
    let dead = false;
    return relay(inner, {
      write: (buf) => {
        // The first write of a connection is the ConnectRequest: no request header.
        if (handshake || dead || !this.armed) {
          handshake = false;
          if (!dead) inner.write(buf);
          return;
        }
        const armed = this.armed;
        const hit = requestFrames(buf).find((f) => armed.ops.includes(f.type) && armed.skip-- <= 0);
        if (!hit) return inner.write(buf);
        this.armed = undefined;
        this.lost++;
        dead = true;
        if (armed.mode === 'request') {
          inner.write(buf.subarray(0, hit.at));
          inner.close();
        } else {
          inner.write(buf);
          setTimeout(() => inner.close(), REPLY_LOSS_CLOSE_MS);
        }
      },
      onData: (cb) =>
        inner.onData((chunk) => {
          if (!dead) cb(chunk);
        }),
    });
  };
}

/** Real TCP transports that can be cut off from the server on demand. */
export class Blackout {
  private readonly live = new Set<{ inner: Transport; deaf: boolean }>();
  private refuseUntil = 0;

  readonly factory: TransportFactory = (address) => {
    if (Date.now() < this.refuseUntil) return refusedTransport();
    const connection = { inner: tcpTransportFactory(address), deaf: false };
    const { inner } = connection;
    this.live.add(connection);
    return relay(inner, {
      onData: (cb) =>
        inner.onData((chunk) => {
          if (!connection.deaf) cb(chunk);
        }),
      onClose: (cb) =>
        inner.onClose(() => {
          this.live.delete(connection);
          cb();
        }),
    });
  };

  /**
   * Closes every live connection, and makes new ones fail at once for `ms`: the client is
   * disconnected (its session lives on if `ms` is below the session timeout), then reconnects.
   */
  cut(ms: number): void {
    this.refuseUntil = Date.now() + ms;
    for (const { inner } of [...this.live]) inner.close();
  }

  /**
   * From now on nothing the server sends arrives on the live connections (watch events
   * included), and they close `closeAfterMs` later. The client reconnects to the same session;
   * what happened meanwhile was never delivered.
   */
  deafen(closeAfterMs = 300): void {
    for (const connection of this.live) {
      connection.deaf = true;
      setTimeout(() => connection.inner.close(), closeAfterMs);
    }
    this.live.clear();
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
