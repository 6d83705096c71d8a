// Test doubles: a hand-driven clock and an in-memory transport whose "server" side decodes the
// client's frames with the protocol codec and answers with it. No sockets, no real time.
import {
  ConnectRequest,
  ConnectResponse,
  FrameDecoder,
  Request,
  RequestHeader,
  Response,
  WatcherEvent,
  decodeConnectRequest,
  decodeRequest,
  encodeConnectResponse,
  encodeNotification,
  encodeReply,
} from '@shepherd/zk-protocol';
import { HostAddress, Transport, TransportFactory } from '@shepherd/zk-client';
import { FakeClock as SharedFakeClock } from '../../../test/support/fake-clock';

/** The shared hand-driven clock, started at 0 as the client's tests count time from there. */
export class FakeClock extends SharedFakeClock {
  constructor() {
    super(0);
  }
}

export type ClientFrame =
  | { kind: 'connect'; req: ConnectRequest }
  | { kind: 'request'; header: RequestHeader; request: Request };

export class FakeTransport implements Transport {
  readonly frames: ClientFrame[] = [];
  writes = 0;
  closed = false;
  private readonly decoder = new FrameDecoder();
  private connectCb: () => void = () => undefined;
  private dataCb: (b: Buffer) => void = () => undefined;
  private closeCb: () => void = () => undefined;

  constructor(readonly address: HostAddress) {}

  write(buf: Buffer): void {
    this.writes++;
    for (const body of this.decoder.push(buf)) {
      this.frames.push(
        this.frames.length === 0
          ? { kind: 'connect', req: decodeConnectRequest(body) }
          : { kind: 'request', ...decodeRequest(body) },
      );
    }
  }
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.closeCb();
  }
  onConnect(cb: () => void): void {
    this.connectCb = cb;
  }
  onData(cb: (chunk: Buffer) => void): void {
    this.dataCb = cb;
  }
  onError(): void {}
  onClose(cb: () => void): void {
    this.closeCb = cb;
  }

  // --- server side ---
  open(): void {
    this.connectCb();
  }
  send(buf: Buffer): void {
    this.dataCb(buf);
  }
  accept(res: Partial<ConnectResponse> = {}): void {
    this.send(
      encodeConnectResponse({
        protocolVersion: 0,
        timeOut: 30000,
        sessionId: 0x1234n,
        passwd: Buffer.alloc(16, 7),
        ...res,
      }),
    );
  }
  reply(xid: number, response?: Response, err = 0, zxid = 0n): void {
    this.send(encodeReply({ xid, zxid, err }, response));
  }
  notify(event: WatcherEvent): void {
    this.send(encodeNotification(event));
  }
  /** Server-side disconnect. */
  hangUp(): void {
    this.close();
  }
  get connectRequest(): ConnectRequest {
    const f = this.frames[0];
    if (!f || f.kind !== 'connect') throw new Error('no ConnectRequest yet');
    return f.req;
  }
  get requests(): Array<{ header: RequestHeader; request: Request }> {
    const out: Array<{ header: RequestHeader; request: Request }> = [];
    for (const f of this.frames) {
      if (f.kind === 'request') out.push({ header: f.header, request: f.request });
    }
    return out;
  }
}

export class FakeNetwork {
  readonly transports: FakeTransport[] = [];
  readonly factory: TransportFactory = (address) => {
    const t = new FakeTransport(address);
    this.transports.push(t);
    return t;
  };
  get last(): FakeTransport {
    return this.transports[this.transports.length - 1];
  }
}

/** Let setImmediate-batched writes and promise reactions run. */
export async function settle(rounds = 3): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((r) => setImmediate(r));
}
