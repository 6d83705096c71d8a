import { ClientTlsOptions } from '@shepherd/zk-client';

/**
 * What a server under test gives the contract suite: a connect string, plus optional hooks.
 * The contract never asks what kind of server it is (Apache ZooKeeper, an embedded server...).
 */
export interface ContractTarget {
  /** "host:port[,host:port...]", no chroot (the suite adds its own). */
  connectString: string;
  /**
   * Ends a live session from the outside. Default: the kazoo way (attach a second connection
   * with the same id + password and closeSession it), which any ZooKeeper-protocol server obeys.
   */
  expireSession?: (sessionId: bigint, password: Buffer) => Promise<void>;
  features?: Partial<ContractFeatures>;
  /** A secureClientPort target: every client of the suite connects with these. */
  tls?: ClientTlsOptions;
  /**
   * The x509 id (subject DN) the server gives every client for `tls.cert`: each session is
   * authenticated under it (X509AuthenticationProvider), which the ACL cases account for.
   */
  x509Id?: string;
}

export interface ContractFeatures {
  /** CreateMode *_WITH_TTL accepted (zookeeper.extendedTypesEnabled). If false, the suite
   *  asserts they are refused with Unimplemented instead. */
  ttl: boolean;
  /** Empty containers and expired TTL nodes are reaped (ContainerManager). */
  reaping: boolean;
  /** Upper bound for a reaper pass, to size the waits. */
  reapIntervalMs: number;
}

export const DEFAULT_FEATURES: ContractFeatures = {
  ttl: false,
  reaping: false,
  reapIntervalMs: 60000,
};
