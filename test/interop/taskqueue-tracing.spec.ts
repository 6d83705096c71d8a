import { describeTaskQueueTracing } from '../taskqueue/tracing-cases';
import { ZkCluster, startStandalone } from '../support/zk-harness';

// The trace of a task on Apache ZooKeeper 3.8: the same cases as on the embedded coordinator.
jest.setTimeout(180000);

let cluster: ZkCluster | undefined;

beforeAll(async () => {
  cluster = await startStandalone();
}, 120000);

afterAll(async () => {
  await cluster?.stop();
});

describeTaskQueueTracing('Apache ZooKeeper', () => {
  if (!cluster) throw new Error('Apache ZooKeeper did not start: see beforeAll');
  return { connectString: cluster.connectString };
});
