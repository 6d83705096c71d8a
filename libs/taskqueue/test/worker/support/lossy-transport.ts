import { TransportFactory, tcpTransportFactory } from '@app/zk-client';

// Request type codes on the wire (ZooDefs.OpCode), written out so the test does not trust
// the code under test: setData 5, multi 14.
export const WIRE_OP = { setData: 5, multi: 14 } as const;

/** The op codes of the requests in one client write: frames are [len][xid][type]... */
function opsIn(buf: Buffer): number[] {
  const ops: number[] = [];
  for (let at = 0; at + 12 <= buf.length; at += 4 + buf.readInt32BE(at))
    ops.push(buf.readInt32BE(at + 8));
  return ops;
}

/**
 * A real TCP transport that loses one request's outcome on demand, so the client sees
 * ConnectionLoss for it:
 * - 'reply': the request reaches the server (it is applied), its reply never comes back;
 * - 'request': the request is never sent (it is not applied).
 * Either way the socket closes and the client reconnects to the same session.
 */
export class LossyTransport {
  lost = 0;
  private armed: { op: number; mode: 'reply' | 'request' } | undefined;

  arm(op: number, mode: 'reply' | 'request'): void {
    this.armed = { op, mode };
  }

  readonly factory: TransportFactory = (address) => {
    const inner = tcpTransportFactory(address);
    let first = true;
    let deaf = false;
    return {
      write: (buf) => {
        // The first write is the ConnectRequest, which has no request header.
        const hit = !first && this.armed !== undefined && opsIn(buf).includes(this.armed.op);
        first = false;
        if (!hit || this.armed === undefined) return inner.write(buf);
        const { mode } = this.armed;
        this.armed = undefined;
        this.lost++;
        deaf = true;
        if (mode === 'reply') {
          inner.write(buf);
          // Long enough for the server to apply it; short of the session timeout.
          setTimeout(() => inner.close(), 150);
        } else {
          inner.close();
        }
      },
      close: () => inner.close(),
      onConnect: (cb) => inner.onConnect(cb),
      onData: (cb) => inner.onData((chunk) => (deaf ? undefined : cb(chunk))),
      onError: (cb) => inner.onError(cb),
      onClose: (cb) => inner.onClose(cb),
    };
  };
}
