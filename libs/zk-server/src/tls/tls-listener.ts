import { X509Certificate } from 'node:crypto';
import { Server as TlsServer, TLSSocket, createServer } from 'node:tls';
import { subjectDistinguishedName } from '../acl/x509';
import { ZkServerTlsConfig } from '../server/server-config';

/** Why a TLS connection was turned away (for the server's counters and logs). */
export type TlsRefusal = 'handshake' | 'untrusted-certificate';

export interface TlsListenerHooks {
  /** A client finished the handshake; `x509` is its subject DN when it presented a trusted certificate. */
  onConnection(socket: TLSSocket, x509: string | undefined): void;
  /** A connection was refused: a failed handshake (plain TCP, no or untrusted certificate under 'need'). */
  onRefused(reason: TlsRefusal, err?: Error): void;
}

/**
 * The secureClientPort's listener (NettyServerCnxnFactory with an SslHandler and its
 * CertificateVerifier). ssl.clientAuth maps to Node's options: 'need' asks for a certificate
 * and fails the handshake without a trusted one; 'want' asks, lets a client without one in,
 * and closes one that presented an untrusted certificate (Java's trust manager fails that
 * handshake too); 'none' does not ask. A client certificate the trust store accepts is the
 * connection's x509 id (X509AuthenticationProvider.getClientId: the subject DN).
 *
 * Nothing a client sends here reaches the frame decoder before the handshake completed: a
 * plain ZooKeeper hello, a four-letter word or garbage on this port fails the handshake and
 * closes that socket only.
 */
export function createTlsListener(config: ZkServerTlsConfig, hooks: TlsListenerHooks): TlsServer {
  const clientAuth = config.clientAuth ?? 'need';
  const server = createServer(
    {
      key: config.key,
      cert: config.cert,
      passphrase: config.passphrase,
      ca: config.ca,
      requestCert: clientAuth !== 'none',
      rejectUnauthorized: clientAuth === 'need',
      // ZooKeeper 3.8 speaks TLSv1.2 and 1.3 (ssl.enabledProtocols); so does this.
      minVersion: 'TLSv1.2',
      handshakeTimeout: config.handshakeTimeoutMs ?? 5000,
    },
    (socket) => {
      let x509: string | undefined;
      if (clientAuth !== 'none') {
        const peer = socket.getPeerX509Certificate();
        if (peer !== undefined && !socket.authorized) {
          hooks.onRefused('untrusted-certificate', socket.authorizationError);
          socket.destroy();
          return;
        }
        if (peer !== undefined) x509 = subjectDistinguishedName(peer as X509Certificate);
      }
      hooks.onConnection(socket, x509);
    },
  );
  server.on('tlsClientError', (err, socket) => {
    hooks.onRefused('handshake', err);
    // Node leaves the socket open after a handshake timeout; a half-sent hello must not hold it.
    socket.destroy();
  });
  return server;
}
