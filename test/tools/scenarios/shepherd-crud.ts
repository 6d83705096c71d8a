import { ZooKeeperClient } from '@shepherd/zk-client';
import { CREATOR_ALL_ACL, CreateMode } from '@shepherd/zk-protocol';
import { delay } from '../../support/wait-for';
import { RecordingProxy } from '../recording-proxy';

/**
 * Our client through every single-node op, including error replies, auth and a ping. The
 * short session timeout makes the client ping within the idle pause (ClientCnxn pings after
 * readTimeout/2 of silence, readTimeout = 2/3 of the session timeout).
 */
export async function recordShepherdCrud(proxy: RecordingProxy): Promise<void> {
  const zk = new ZooKeeperClient(proxy.connectString, { sessionTimeout: 2000 });
  await zk.connect();
  try {
    const root = await zk.create('/crud', 'root');
    await zk.createWithStat(`${root}/stat`, Buffer.from([0, 1, 2]));
    await zk.create(`${root}/eph`, 'e', { mode: CreateMode.EPHEMERAL });
    await zk.create(`${root}/seq-`, 's', { mode: CreateMode.PERSISTENT_SEQUENTIAL });
    await zk.create(`${root}/box`, null, { mode: CreateMode.CONTAINER });
    await zk.create(`${root}/ttl`, 't', { mode: CreateMode.PERSISTENT_WITH_TTL, ttl: 60000 });
    await zk.create(root).catch(() => undefined); // NodeExists
    await zk.exists(`${root}/missing`);
    await zk.exists(root);
    await zk.getData(root);
    await zk.setData(root, 'v1', 0);
    await zk.setData(root, 'stale', 0).catch(() => undefined); // BadVersion
    await zk.getChildren(root);
    await zk.getChildrenWithStat(root);
    await zk.getACL(root);
    await zk.addAuth('digest', 'shepherd:secret');
    await zk.create(`${root}/private`, 'p', { acl: CREATOR_ALL_ACL });
    await zk.setACL(`${root}/stat`, CREATOR_ALL_ACL, 0);
    await zk.whoAmI();
    await zk.getEphemerals(root);
    await zk.getAllChildrenNumber(root);
    await zk.sync(root);
    await delay(1200);
    await zk.delete(`${root}/stat`, 1).catch(() => undefined); // BadVersion
    await zk.delete(`${root}/stat`);
  } finally {
    await zk.close();
  }
}
