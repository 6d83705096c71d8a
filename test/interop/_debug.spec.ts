import { ZooKeeperClient } from '@app/zk-client';
import { ZkCluster, startStandalone } from '../support/zk-harness';
import { expireSession } from '../support/expire-session';

let cluster: ZkCluster;
beforeAll(async () => { cluster = await startStandalone(); });
afterAll(async () => { await cluster?.stop(); });
it('debug expire', async () => {
  const zk = new ZooKeeperClient(cluster.connectString, { sessionTimeout: 10000 });
  await zk.connect();
  console.log(zk.sessionId.toString(16), zk.sessionPassword.toString('hex'), zk.sessionTimeout);
  zk.state$.subscribe((s) => console.log('state', s));
  await expireSession(cluster.connectString, zk.sessionId, zk.sessionPassword);
  await new Promise((r) => setTimeout(r, 2000));
  console.log(zk.state);
  console.log(cluster.logTail(0));
});
