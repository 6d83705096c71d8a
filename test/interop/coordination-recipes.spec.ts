import { describeRecipesContract } from '../../libs/coordination/test/recipes-contract';
import { ZkCluster, startStandalone } from '../support/zk-harness';

// The recipe contract (election, locks, children cache, protected create) against Apache
// ZooKeeper 3.8 standalone; libs/coordination/test runs the same cases on the embedded server.
let cluster: ZkCluster | undefined;

beforeAll(async () => {
  cluster = await startStandalone();
});

afterAll(async () => {
  await cluster?.stop();
});

describeRecipesContract('Apache ZooKeeper standalone', () => {
  if (!cluster) throw new Error('ZooKeeper is not running: see the beforeAll failure above');
  return cluster.connectString;
});
