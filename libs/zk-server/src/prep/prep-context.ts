import { Id } from '@shepherd/zk-protocol';
import { DataTree } from '../data-tree/data-tree';

export interface PrepConfig {
  /** zookeeper.extendedTypesEnabled: TTL nodes (createTTL) are Unimplemented without it. */
  extendedTypesEnabled?: boolean;
  /** zookeeper.skipACL: no ACL checks at all. */
  skipACL?: boolean;
  /** The server serves TLS, so ACLs may name the x509 scheme (see acl/x509.ts). */
  x509?: boolean;
}

/**
 * What prep needs to decide a request: the current tree (read only), who is asking and from
 * where. The zxid and time are not needed to decide; the caller puts them in the TxnHeader.
 */
export interface PrepContext {
  tree: DataTree;
  sessionId: bigint;
  /** The connection's ids (see AuthInfo; normally starts with ip:<address>). */
  authInfo: readonly Id[];
  /**
   * The client's address. When given and authInfo holds no ip id, `ip:<address>` is added for
   * the checks, as every ZooKeeper connection carries it.
   */
  clientAddress?: string;
  config?: PrepConfig;
}
