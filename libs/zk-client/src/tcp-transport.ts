import * as net from 'net';
import * as tls from 'tls';
import { HostAddress } from './connect-string';
import { Transport, TransportFactory } from './transport';

/**
 * TLS to the servers (ZooKeeper 3.5+'s secureClientPort; the Java client's
 * `zookeeper.client.secure` with ClientCnxnSocketNetty). PEM strings or Buffers, as Node's tls
 * takes them.
 */
export interface ClientTlsOptions {
  /** CA certificates the server's certificate must chain to (default: Node's root CAs). */
  ca?: string | Buffer | (string | Buffer)[];
  /** The client's certificate, for servers that ask for one (ssl.clientAuth want or need). */
  cert?: string | Buffer;
  /** The private key of `cert`. */
  key?: string | Buffer;
  /**
   * The name the server's certificate must carry. Default the host of the connect string: a
   * DNS name is checked against the certificate's DNS names, an IP address against its IP
   * addresses (ssl.hostnameVerification, on by default in ZooKeeper too).
   */
  servername?: string;
  /**
   * Verify the server's certificate (default true). Turning it off gives up what TLS is for; it
   * exists for throwaway test setups only.
   */
  rejectUnauthorized?: boolean;
}

/**
 * Transport over a TCP socket (ClientCnxnSocketNIO.java: TCP_NODELAY is set), or over TLS when
 * `tlsOptions` is given: the connection counts as made once the handshake is done and the
 * server's certificate verified; a failed handshake is an error like a refused connection, and
 * the client moves on to the next server.
 */
export class TcpTransport implements Transport {
  private readonly socket: net.Socket;
  private readonly connectEvent: 'connect' | 'secureConnect';
  private closed = false;
  private closeCb: () => void = () => undefined;

  constructor(address: HostAddress, tlsOptions?: ClientTlsOptions) {
    if (tlsOptions) {
      this.socket = tls.connect({
        host: address.host,
        port: address.port,
        ca: tlsOptions.ca,
        cert: tlsOptions.cert,
        key: tlsOptions.key,
        // SNI carries DNS names only; an IP address is still checked against the IP SANs.
        servername: tlsOptions.servername ?? (net.isIP(address.host) ? undefined : address.host),
        rejectUnauthorized: tlsOptions.rejectUnauthorized ?? true,
      });
      this.connectEvent = 'secureConnect';
    } else {
      this.socket = net.connect({ host: address.host, port: address.port });
      this.connectEvent = 'connect';
    }
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
    this.socket.once(this.connectEvent, cb);
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

/** A factory of TLS transports with these options (ClientOptions.tls). */
export function tlsTransportFactory(options: ClientTlsOptions): TransportFactory {
  return (address) => new TcpTransport(address, options);
}
