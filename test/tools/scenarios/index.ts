import { ZkCluster } from '../../support/zk-harness';
import { RecordingProxy } from '../recording-proxy';
import { recordShepherdCrud } from './shepherd-crud';
import { recordShepherdMulti } from './shepherd-multi';
import { recordShepherdWatches } from './shepherd-watches';
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
  {
    name: 'shepherd-crud',
    description:
      'shepherd client: create/create2/createContainer/createTTL, exists, getData, setData ' +
      '(ok and BadVersion), getChildren/getChildren2, getACL/setACL, auth, whoAmI, ' +
      'getEphemerals, getAllChildrenNumber, sync, ping, delete, closeSession',
    client: 'shepherd',
    run: (proxy) => recordShepherdCrud(proxy),
  },
  {
    name: 'shepherd-multi',
    description:
      'shepherd client: multi that commits, multi that fails at a check (per-op errors), ' +
      'multiRead with a NoNode entry',
    client: 'shepherd',
    run: (proxy) => recordShepherdMulti(proxy),
  },
  {
    name: 'shepherd-watches',
    description:
      'shepherd client: data/exist/child watches, addWatch persistent + recursive, ' +
      'notifications, checkWatches/removeWatches, then a dropped connection: reconnect with ' +
      'lastZxidSeen + setWatches2, and the missed change fires',
    client: 'shepherd',
    run: (proxy, cluster) => recordShepherdWatches(proxy, cluster),
  },
];
