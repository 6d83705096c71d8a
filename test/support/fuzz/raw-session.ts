import { Socket, connect } from 'node:net';
import {
  ConnectRequest,
  ConnectResponse,
  DecodedReply,
  FrameDecoder,
  OpCode,
  Request,
  decodeConnectResponse,
  decodeReply,
  encodeConnectRequest,
  encodeRequest,
} from '@app/zk-protocol';
import { waitFor } from '../wait-for';

/**
 * A connection on the raw protocol, for what a client library never sends: it records every
 * frame the server sends and whether the server closed the socket.
 */
export class RawSession {
  readonly frames: Buffer[] = [];
  closed = false;
  private readonly decoder = new FrameDecoder({ maxFrameSize: 0x7fffffff });
  private readonly ops = new Map<number, OpCode>();

  private constructor(readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => this.frames.push(...this.decoder.push(chunk)));
    socket.on('close', () => (this.closed = true));
    socket.on('error', () => undefined);
  }

  static async open(port: number, host = '127.0.0.1'): Promise<RawSession> {
    const socket = connect({ host, port });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    return new RawSession(socket);
  }

  static connectRequest(req: Partial<ConnectRequest> = {}): Buffer {
    return encodeConnectRequest({
      protocolVersion: 0,
      lastZxidSeen: 0n,
      timeOut: 30000,
      sessionId: 0n,
      passwd: Buffer.alloc(16),
      readOnly: false,
      ...req,
    });
  }

  /** Opens a connection and completes the handshake. */
  static async session(port: number, host = '127.0.0.1'): Promise<RawSession> {
    const s = await RawSession.open(port, host);
    s.write(RawSession.connectRequest());
    await s.connectResponse();
    return s;
  }

  async connectResponse(): Promise<ConnectResponse> {
    return decodeConnectResponse(await this.nextFrame());
  }

  write(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  request(xid: number, request: Request): void {
    this.ops.set(xid, request.op);
    this.socket.write(encodeRequest(xid, request));
  }

  nextFrame(timeoutMs = 5000): Promise<Buffer> {
    return waitFor('a frame from the server', () => this.frames.shift(), {
      timeoutMs,
      intervalMs: 10,
    });
  }

  async nextReply(timeoutMs = 5000): Promise<DecodedReply> {
    return decodeReply(await this.nextFrame(timeoutMs), (xid) => this.ops.get(xid));
  }

  async waitClosed(timeoutMs = 5000): Promise<void> {
    await waitFor('the server to close the connection', () => this.closed, {
      timeoutMs,
      intervalMs: 10,
    });
  }

  destroy(): void {
    this.socket.destroy();
  }
}
