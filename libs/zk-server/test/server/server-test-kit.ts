import { Socket, connect } from 'node:net';
import {
  ConnectRequest,
  ConnectResponse,
  FrameDecoder,
  OpCode,
  Request,
  decodeConnectResponse,
  decodeReply,
  DecodedReply,
  encodeConnectRequest,
  encodeRequest,
} from '@shepherd/zk-protocol';
import { ZkServer, ZkServerConfig } from '@shepherd/zk-server';

/** Starts a server on a free loopback port. */
export async function startServer(config: ZkServerConfig = {}): Promise<ZkServer> {
  const server = new ZkServer({ port: 0, ...config });
  await server.start();
  return server;
}

/** Polls until `probe` is truthy (real sockets take real time), failing after `ms`. */
export async function eventually<T>(
  what: string,
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  ms = 5000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/**
 * A client on the raw protocol, for what a well-behaved client library never sends: it records
 * every frame the server sends and whether the server closed the socket.
 */
export class RawClient {
  readonly frames: Buffer[] = [];
  closed = false;
  private readonly decoder = new FrameDecoder({ maxFrameSize: 0x7fffffff });
  private readonly ops = new Map<number, OpCode>();

  private constructor(readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => this.frames.push(...this.decoder.push(chunk)));
    socket.on('close', () => (this.closed = true));
    socket.on('error', () => undefined);
  }

  static async open(server: ZkServer): Promise<RawClient> {
    const addr = server.address;
    if (!addr) throw new Error('server not started');
    const socket = connect({ host: addr.host, port: addr.port });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    return new RawClient(socket);
  }

  /** Opens a connection and completes the handshake; returns the ConnectResponse. */
  static async session(
    server: ZkServer,
    req: Partial<ConnectRequest> = {},
  ): Promise<{ client: RawClient; response: ConnectResponse }> {
    const client = await RawClient.open(server);
    const response = await client.connect(req);
    return { client, response };
  }

  /** A ConnectRequest frame: a new session unless `req` says otherwise. */
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

  async connect(req: Partial<ConnectRequest> = {}): Promise<ConnectResponse> {
    this.socket.write(RawClient.connectRequest(req));
    return this.connectResponse();
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

  async nextFrame(ms = 5000): Promise<Buffer> {
    const frame = await eventually('a frame', () => this.frames.shift(), ms);
    return frame;
  }

  async nextReply(ms = 5000): Promise<DecodedReply> {
    return decodeReply(await this.nextFrame(ms), (xid) => this.ops.get(xid));
  }

  async waitClosed(ms = 5000): Promise<void> {
    await eventually('the server to close the connection', () => this.closed, ms);
  }

  destroy(): void {
    this.socket.destroy();
  }
}
