/** A zoo.cfg or flag problem the operator must fix; the message names the key and its source. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/**
 * The config describes an ensemble (server.N lines). ZooKeeper's QuorumPeerMain would start a
 * quorum peer; this server is standalone only, so it refuses before touching any port or file.
 */
export class EnsembleConfigError extends ConfigError {
  constructor(readonly keys: string[]) {
    super(ensembleMessage(keys));
    this.name = 'EnsembleConfigError';
  }
}

function ensembleMessage(keys: string[]): string {
  return [
    `This config describes a ZooKeeper ensemble (${keys.join(', ')}), but the embedded ` +
      'coordinator only runs standalone: it has no leader election or quorum replication.',
    'To run an ensemble, use Apache ZooKeeper (e.g. zkServer.sh start zoo.cfg on each server; ' +
      'Debian: apt-get install zookeeperd) and point Shepherd at it with a connection string ' +
      'listing every server and a chroot, e.g. h1:2181,h2:2181,h3:2181/shepherd',
    'For a single-server coordinator, remove the server.N lines.',
  ].join('\n');
}
