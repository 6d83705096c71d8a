import { ZkCluster, startEnsemble } from '../support/zk-harness';
import { describeTaskQueueScenarios } from '../taskqueue/scenarios';

// The same fault scenarios on a 3-server Apache ZooKeeper ensemble: the task queue needs
// nothing of the embedded coordinator.
jest.setTimeout(600000);

let ensemble: ZkCluster | undefined;

beforeAll(async () => {
  ensemble = await startEnsemble(3, { tickTime: 250 });
}, 180000);

afterAll(async () => {
  await ensemble?.stop();
});

describeTaskQueueScenarios('a 3-server Apache ZooKeeper ensemble', () => {
  if (!ensemble) throw new Error('the ensemble did not start: see beforeAll');
  return { connectString: ensemble.connectString, sessionTimeoutMs: 2000, backlog: 100_000 };
});
