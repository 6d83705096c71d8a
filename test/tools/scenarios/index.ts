import { ZkCluster } from '../../support/zk-harness';
import { RecordingProxy } from '../recording-proxy';
import { recordZkCliSession } from './zkcli-session';

export interface FixtureScenario {
  /** File name under test/fixtures/zk-3.8/ (without .json). */
  name: string;
  description: string;
  client: 'zkCli.sh' | 'shepherd';
  /** Drives a client through `proxy`; every byte it exchanges becomes the fixture. */
  run(proxy: RecordingProxy, cluster: ZkCluster): Promise<unknown>;
}

export const FIXTURE_SCENARIOS: readonly FixtureScenario[] = [
  {
    name: 'zkcli-session',
    description:
      'zkCli.sh 3.8.0: create (persistent, ephemeral, sequential, container, TTL), ls -s, get/stat/ls ' +
      'with watches that fire, set (ok and BadVersion), NoNode, getAcl/setAcl, addauth digest, ' +
      'whoami, getEphemerals, getAllChildrenNumber, sync, addWatch (persistent + recursive), ' +
      'removewatches, delete/deleteall, closeSession',
    client: 'zkCli.sh',
    run: (proxy) => recordZkCliSession(proxy),
  },
];
