import * as net from 'net';
import { HostAddress } from './connect-string';
import { Transport, TransportFactory } from './transport';

/** Transport over a plain TCP socket (ClientCnxnSocketNIO.java: TCP_NODELAY is set). */
export class TcpTransport implements Transport {
  private readonly socket: net.Socket;
  private closed = false;
  private closeCb: () => void = () => undefined;

  constructor(address: HostAddress) {
    this.socket = net.connect({ host: address.host, port: address.port });
    // Requests are small and latency-bound; we coalesce writes ourselves per tick.
    this.socket.setNoDelay(true);
    this.socket.on('close', () => {
      this.closed = true;
      this.closeCb();
    });
  }

  write(buf: Buffer): void {
    if (!this.closed) this.socket.write(buf);
  }

  close(): void {
    if (this.closed) return;
    this.socket.destroy();
  }

  onConnect(cb: () => void): void {
    this.socket.once('connect', cb);
  }

  onData(cb: (chunk: Buffer) => void): void {
    this.socket.on('data', cb);
  }

  onError(cb: (err: Error) => void): void {
    this.socket.on('error', cb);
  }

  onClose(cb: () => void): void {
    this.closeCb = cb;
  }
}

export const tcpTransportFactory: TransportFactory = (address) => new TcpTransport(address);
