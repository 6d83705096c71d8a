import { TransportFactory, tcpTransportFactory } from '@app/zk-client';

// ZooDefs.OpCode.multi on the wire, written here rather than imported from the code under test.
const MULTI = 14;

/** Offsets of the complete request frames in a client write: [len][xid][type]... */
function frames(buf: Buffer): { at: number; end: number; type: number }[] {
  const out: { at: number; end: number; type: number }[] = [];
  for (let at = 0; at + 12 <= buf.length;) {
    const end = at + 4 + buf.readInt32BE(at);
    out.push({ at, end, type: buf.readInt32BE(at + 8) });
    at = end;
  }
  return out;
}

export type LossMode =
  /** The multi never reaches the server: the connection drops just before it. */
  | 'unsent'
  /** The server applies the multi, but its reply (and all after it) is lost. */
  | 'reply-lost';

/**
 * Real TCP transports that lose one multi on demand, so a caller sees ConnectionLoss with the
 * outcome unknown (and, depending on the mode, applied or not). The session survives: the
 * client reconnects on its own well within the session timeout.
 */
export class LossyTransports {
  lost = 0;
  private armed: { mode: LossMode; skip: number } | undefined;

  readonly factory: TransportFactory = (address) => {
    const inner = tcpTransportFactory(address);
    let handshake = true;
    let swallowing = false;
    return {
      write: (buf) => {
        // The first write of a connection is the ConnectRequest: no request header.
        if (handshake || swallowing || !this.armed) {
          handshake = false;
          if (!swallowing) inner.write(buf);
          return;
        }
        const armed = this.armed;
        const multi = frames(buf).find((f) => f.type === MULTI && armed.skip-- <= 0);
        if (!multi) return inner.write(buf);
        const mode = armed.mode;
        this.armed = undefined;
        this.lost++;
        swallowing = true;
        if (mode === 'unsent') {
          inner.write(buf.subarray(0, multi.at));
          inner.close();
        } else {
          inner.write(buf);
          // Long enough for the server to apply it; the reply is swallowed meanwhile.
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

  /** Loses the multi after the next `skip` ones. */
  arm(mode: LossMode, skip = 0): void {
    this.armed = { mode, skip };
  }
}
