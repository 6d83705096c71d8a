import { AddressInfo, connect, createServer, Server, Socket } from 'net';

export type Direction = 'c2s' | 's2c';

export interface RecordedChunk {
  dir: Direction;
  /** ms since the proxy started; shows ordering across directions and pauses (pings). */
  t: number;
  data: Buffer;
}

/** One client connection: the proxy's accept, up to either side closing. */
export interface RecordedConnection {
  index: number;
  chunks: RecordedChunk[];
  closed: boolean;
}

export interface ProxyTarget {
  host: string;
  port: number;
}

/**
 * A TCP proxy between a ZooKeeper client and one server that records both directions as the
 * raw chunks `net` delivered (boundaries kept, so the golden tests can replay them as-is).
 *
 * Test controls: `dropConnections()` cuts live connections (forces a client reconnect, hence
 * setWatches), `stall()` silences them without closing, `accepting = false` refuses new ones
 * (keeps a client disconnected while the world changes), and `target` can be switched to
 * another ensemble member between connections.
 */
export class RecordingProxy {
  readonly connections: RecordedConnection[] = [];
  /** When false, new client connections are closed at once (the client sees ConnectionLoss). */
  accepting = true;
  private readonly live = new Set<Socket>();
  private readonly stalled = new Set<RecordedConnection>();
  private readonly startedAt = Date.now();

  private constructor(
    private readonly server: Server,
    public target: ProxyTarget,
  ) {}

  static async start(target: ProxyTarget): Promise<RecordingProxy> {
    const server = createServer();
    const proxy = new RecordingProxy(server, target);
    server.on('connection', (client) => proxy.onClient(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    return proxy;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  get connectString(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** Destroys every live connection, both halves; the server keeps the session. */
  dropConnections(): void {
    for (const socket of this.live) socket.destroy();
  }

  /**
   * From now on, silently drops every byte of the current connections, both ways, while
   * keeping the sockets open: a hung server or a network partition, as the client sees it.
   * New connections are not affected.
   */
  stall(): void {
    for (const conn of this.connections) if (!conn.closed) this.stalled.add(conn);
  }

  async close(): Promise<void> {
    this.dropConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private onClient(client: Socket): void {
    if (!this.accepting) {
      client.destroy();
      return;
    }
    const conn: RecordedConnection = { index: this.connections.length, chunks: [], closed: false };
    this.connections.push(conn);
    // Hold client bytes until the upstream socket is open, so nothing is lost or reordered.
    client.pause();
    const upstream = connect(this.target);
    this.live.add(client);
    this.live.add(upstream);
    const record = (dir: Direction, data: Buffer): void => {
      conn.chunks.push({ dir, t: Date.now() - this.startedAt, data: Buffer.from(data) });
    };
    upstream.on('connect', () => client.resume());
    client.on('data', (data: Buffer) => {
      if (this.stalled.has(conn)) return;
      record('c2s', data);
      upstream.write(data);
    });
    upstream.on('data', (data: Buffer) => {
      if (this.stalled.has(conn)) return;
      record('s2c', data);
      client.write(data);
    });
    // When one side goes away, end() the other (not destroy()): end flushes what is still
    // queued, e.g. the closeSession reply the server sends just before its FIN.
    const pair: Array<[Socket, Socket]> = [
      [client, upstream],
      [upstream, client],
    ];
    for (const [socket, other] of pair) {
      socket.on('error', () => socket.destroy());
      socket.on('close', () => {
        this.live.delete(socket);
        conn.closed = true;
        other.end();
      });
    }
  }
}
