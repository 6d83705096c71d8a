import {
  ConnectResponse,
  FrameDecoder,
  OpCode,
  ReplyHeader,
  Response,
  WatcherEvent,
  Xid,
  decodeConnectResponse,
  decodeReply,
} from '@shepherd/zk-protocol';
import { PendingQueue } from './pending-queue';
import { Transport } from './transport';

/** The part of a queued request the wire layer needs: its xid, and its op to decode the reply. */
export interface InFlight {
  xid: number;
  op: OpCode;
}

/** Liveness hooks (the Heartbeat); stamped once per read chunk / write flush, not per frame. */
export interface Activity {
  sent(): void;
  received(): void;
}

export interface ConnectionHandler<T extends InFlight> {
  onOpen(conn: Connection<T>): void;
  onConnectResponse(conn: Connection<T>, res: ConnectResponse): void;
  onReply(conn: Connection<T>, call: T, header: ReplyHeader, response: Response | undefined): void;
  onNotification(conn: Connection<T>, event: WatcherEvent): void;
  onAuthReply(conn: Connection<T>, err: number): void;
  onSetWatchesReply(conn: Connection<T>, err: number): void;
  /** Called once, whatever ended the connection; pending calls are still queued then. */
  onLost(conn: Connection<T>, reason: Error): void;
}

/** Framing, write batching and in-order xid matching for one transport (ClientCnxnSocket). */
export class Connection<T extends InFlight> {
  readonly pending = new PendingQueue<T>();
  activity: Activity | undefined;
  private readonly decoder: FrameDecoder;
  private out: Buffer[] = [];
  private flushScheduled = false;
  private handshaken = false;
  private dead = false;
  private readonly opFor = (xid: number): OpCode | undefined => {
    const head = this.pending.peek();
    return head !== undefined && head.xid === xid ? head.op : undefined;
  };
  private readonly flush = (): void => this.flushNow();

  constructor(
    private readonly transport: Transport,
    private readonly handler: ConnectionHandler<T>,
    maxFrameSize?: number,
  ) {
    this.decoder = new FrameDecoder({ maxFrameSize });
    transport.onConnect(() => {
      if (!this.dead) handler.onOpen(this);
    });
    transport.onData((chunk) => this.onData(chunk));
    transport.onError((err) => this.drop(err));
    transport.onClose(() => this.drop(new Error('connection closed by peer')));
  }

  get alive(): boolean {
    return !this.dead;
  }

  /** Queue a request whose reply will be matched by xid. */
  send(call: T, frame: Buffer): void {
    this.pending.push(call);
    this.enqueue(frame);
  }

  /** Queue a frame with no pending-queue entry (ping, auth, setWatches, ConnectRequest). */
  enqueue(frame: Buffer): void {
    if (this.dead) return;
    this.out.push(frame);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      // Everything issued in this turn of the event loop leaves in one socket write: under a
      // deep pipeline that is one syscall for dozens of requests. setImmediate runs right after
      // the current I/O phase, so a lone request waits for nothing.
      setImmediate(this.flush);
    }
  }

  /** Write whatever is queued now (used before closing, so closeSession is not lost). */
  flushNow(): void {
    this.flushScheduled = false;
    if (this.dead || this.out.length === 0) return;
    const out = this.out;
    this.out = [];
    this.transport.write(out.length === 1 ? out[0] : Buffer.concat(out));
    this.activity?.sent();
  }

  /** Drop the connection (protocol error, timeout, local close). Idempotent. */
  drop(reason: Error): void {
    if (this.dead) return;
    this.dead = true;
    this.out = [];
    this.transport.close();
    this.handler.onLost(this, reason);
  }

  private onData(chunk: Buffer): void {
    if (this.dead) return;
    this.activity?.received();
    let frames: Buffer[];
    try {
      frames = this.decoder.push(chunk);
    } catch (err) {
      this.drop(err as Error);
      return;
    }
    for (let i = 0; i < frames.length && !this.dead; i++) {
      try {
        this.onFrame(frames[i]);
      } catch (err) {
        this.drop(err as Error);
      }
    }
  }

  private onFrame(body: Buffer): void {
    if (!this.handshaken) {
      // The first frame on a connection is always the ConnectResponse (ClientCnxnSocket
      // .readConnectResult); it has no ReplyHeader.
      this.handshaken = true;
      this.handler.onConnectResponse(this, decodeConnectResponse(body));
      return;
    }
    const { header, response, event } = decodeReply(body, this.opFor);
    switch (header.xid) {
      case Xid.Notification:
        if (event) this.handler.onNotification(this, event);
        return;
      case Xid.Ping:
        return;
      case Xid.Auth:
        this.handler.onAuthReply(this, header.err);
        return;
      case Xid.SetWatches:
        this.handler.onSetWatchesReply(this, header.err);
        return;
    }
    const head = this.pending.peek();
    if (head === undefined || head.xid !== header.xid) {
      // ClientCnxn.readResponse: replies come in request order; anything else means we are out
      // of sync with the server and the only safe move is to drop the connection.
      throw new Error(
        `xid out of order: got ${header.xid}, expected ${head === undefined ? 'none' : head.xid}`,
      );
    }
    this.pending.shift();
    this.handler.onReply(this, head, header, response);
  }
}
