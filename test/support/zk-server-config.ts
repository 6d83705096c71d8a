/**
 * Renders a zoo.cfg for one server of a loopback test cluster.
 *
 * Values follow the book's ensemble example (tickTime/initLimit/syncLimit + server.N lines),
 * with a shorter tick so that session bounds (2..20 ticks) and follower sync are test-sized.
 */
export interface ZkServerConfig {
  dataDir: string;
  clientPort: number;
  tickTime: number;
  /** Empty for a standalone server; otherwise every member, this one included. */
  peers: ReadonlyArray<{ id: number; quorumPort: number; electionPort: number }>;
  /** A secureClientPort beside clientPort, with PEM stores (ZooKeeper's TLS guide). */
  secure?: { port: number; keyStore: string; trustStore: string };
}

export function renderZooCfg(cfg: ZkServerConfig): string {
  const lines = [
    `tickTime=${cfg.tickTime}`,
    'initLimit=10',
    'syncLimit=5',
    `dataDir=${cfg.dataDir}`,
    `clientPort=${cfg.clientPort}`,
    'clientPortAddress=127.0.0.1',
    // The contract suite opens many short-lived clients from 127.0.0.1; the default cap of 60
    // connections per IP would turn a slow close into a spurious connection refusal.
    'maxClientCnxns=0',
    // The AdminServer (Jetty) would grab port 8080 on every member.
    'admin.enableServer=false',
    // Readiness and "which server am I on" use ruok/srvr/cons.
    '4lw.commands.whitelist=*',
  ];
  if (cfg.secure) lines.push(...secureZooCfgLines(cfg.secure));
  if (cfg.peers.length > 0) {
    // A 1-member "ensemble" must not fall back to standalone; with 3 it documents intent.
    lines.push('standaloneEnabled=false');
    for (const p of cfg.peers)
      lines.push(`server.${p.id}=127.0.0.1:${p.quorumPort}:${p.electionPort}`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * The zoo.cfg lines of a secureClientPort with PEM stores, as ZooKeeper 3.8's TLS guide has
 * them; the embedded coordinator reads the same lines.
 */
export function secureZooCfgLines(secure: {
  port: number;
  keyStore: string;
  trustStore: string;
}): string[] {
  return [
    `secureClientPort=${secure.port}`,
    // NIOServerCnxnFactory cannot serve TLS; Netty serves both ports.
    'serverCnxnFactory=org.apache.zookeeper.server.NettyServerCnxnFactory',
    // The CertificateVerifier closes every TLS connection if no x509 provider is registered.
    'authProvider.x509=org.apache.zookeeper.server.auth.X509AuthenticationProvider',
    `ssl.keyStore.location=${secure.keyStore}`,
    'ssl.keyStore.type=PEM',
    `ssl.trustStore.location=${secure.trustStore}`,
    'ssl.trustStore.type=PEM',
  ];
}
