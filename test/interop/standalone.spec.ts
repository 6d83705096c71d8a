import { describeClientContract } from '../contract/client-contract';
import { ZkCluster, startStandalone } from '../support/zk-harness';
import { harnessTarget } from './harness-target';

// Apache ZooKeeper 3.8 (Debian's package), one standalone server on a free loopback port.
let cluster: ZkCluster | undefined;

beforeAll(async () => {
  cluster = await startStandalone();
});

afterAll(async () => {
  await cluster?.stop();
});

describeClientContract('Apache ZooKeeper standalone', () => harnessTarget(cluster));
