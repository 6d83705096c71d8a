import { ContractTarget } from '../contract/client-contract';
import { HARNESS_FEATURES, ZkCluster } from '../support/zk-harness';

/**
 * Adapts a harness cluster to the contract's target. Throws (failing the case, never skipping
 * it) when beforeAll could not start ZooKeeper; that beforeAll error carries the reason.
 */
export function harnessTarget(
  cluster: ZkCluster | undefined,
  opts: { tls?: boolean } = {},
): ContractTarget {
  if (!cluster) throw new Error('ZooKeeper is not running: see the beforeAll failure above');
  const tls = opts.tls ? cluster.tls : undefined;
  if (opts.tls && !tls) throw new Error('the cluster was started without tls: true');
  return {
    connectString: tls ? cluster.secureConnectString : cluster.connectString,
    tls,
    x509Id: tls?.x509Id,
    expireSession: (id, password) => cluster.expireSession(id, password),
    features: {
      ttl: HARNESS_FEATURES.extendedTypes,
      reaping: true,
      reapIntervalMs: HARNESS_FEATURES.containerCheckIntervalMs,
    },
  };
}
