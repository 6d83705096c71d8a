import { ContractTarget } from '../contract/client-contract';
import { HARNESS_FEATURES, ZkCluster } from '../support/zk-harness';

/**
 * Adapts a harness cluster to the contract's target. Throws (failing the case, never skipping
 * it) when beforeAll could not start ZooKeeper; that beforeAll error carries the reason.
 */
export function harnessTarget(cluster: ZkCluster | undefined): ContractTarget {
  if (!cluster) throw new Error('ZooKeeper is not running: see the beforeAll failure above');
  return {
    connectString: cluster.connectString,
    expireSession: (id, password) => cluster.expireSession(id, password),
    features: {
      ttl: HARNESS_FEATURES.extendedTypes,
      reaping: true,
      reapIntervalMs: HARNESS_FEATURES.containerCheckIntervalMs,
    },
  };
}
