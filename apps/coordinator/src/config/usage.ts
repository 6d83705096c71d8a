/** `--help` text: the zoo.cfg keys this server reads, each also a flag. */
export const USAGE = `Usage: shepherd coordinator [zoo.cfg] [--config zoo.cfg] [--<zoo.cfg key> <value>]...

Runs Shepherd's embedded, standalone ZooKeeper-compatible server. Settings come from a
zoo.cfg (key=value lines, # comments, as Apache ZooKeeper reads it); every key can also be
given as a flag of the same name, which overrides the file.

  zoo.cfg, --config <file>           zoo.cfg to read (optional)
  --tickTime <ms>                    basic time unit (default 2000)
  --dataDir <dir>                    snapshots, and the txn log unless dataLogDir (default ./data)
  --dataLogDir <dir>                 txn log directory (default dataDir)
  --clientPort <port>                client port (default 2181; 0 = pick a free port)
  --clientPortAddress <addr>         address to listen on (default 0.0.0.0)
  --secureClientPort <port>          TLS client port (none by default; alone, no plain port)
  --secureClientPortAddress <addr>   address of the TLS port (default clientPortAddress)
  --ssl.keyStore.location <file>     PEM file: the server's private key and certificate
  --ssl.keyStore.password <pw>       passphrase of an encrypted key
  --ssl.trustStore.location <file>   PEM file: CAs that client certificates must chain to
  --ssl.clientAuth <none|want|need>  client certificates (default need); trusted ones
                                     authenticate as x509:<subject DN>
  --ssl.handshakeDetectionTimeoutMillis <ms>
                                     close a connection not through its handshake (default 5000)
  --maxClientCnxns <n>               connections per client IP, 0 = unlimited (default 60)
  --minSessionTimeout <ms>           default 2 * tickTime
  --maxSessionTimeout <ms>           default 20 * tickTime
  --autopurge.snapRetainCount <n>    snapshots kept by autopurge, at least 3 (default 3)
  --autopurge.purgeInterval <hours>  autopurge period; 0 = off (default 0)
  --4lw.commands.whitelist <list>    four-letter words allowed, e.g. srvr,ruok,mntr or *
  --snapCount <n>                    txns between snapshots (default 100000)
  --extendedTypesEnabled <bool>      allow TTL nodes (default false)
  --DigestAuthenticationProvider.superDigest <super:base64>
                                     digest of the "super" user
  --skipACL <yes|no>                 skip every ACL check (default no)
  --help                             this text

Logs are JSON lines on stdout (LOG_LEVEL=debug for session expiries). SIGTERM or SIGINT
stops the server cleanly. An ensemble (server.N lines) needs Apache ZooKeeper; point
Shepherd at it with a connection string like h1:2181,h2:2181,h3:2181/shepherd.
`;
