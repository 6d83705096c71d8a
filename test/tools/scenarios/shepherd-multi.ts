import { ZooKeeperClient } from '@shepherd/zk-client';
import { CreateMode } from '@shepherd/zk-protocol';
import { RecordingProxy } from '../recording-proxy';

/** multi (success, and a partial failure that rolls back) and multiRead with an error entry. */
export async function recordShepherdMulti(proxy: RecordingProxy): Promise<void> {
  const zk = new ZooKeeperClient(proxy.connectString, { sessionTimeout: 10000 });
  await zk.connect();
  try {
    await zk
      .transaction()
      .create('/multi', 'm')
      .create('/multi/a', 'a')
      .create('/multi/seq-', 's', { mode: CreateMode.EPHEMERAL_SEQUENTIAL })
      .create('/multi/box', null, { mode: CreateMode.CONTAINER })
      .setData('/multi', 'm2', 0)
      .check('/multi/a', 0)
      .commit();
    await zk
      .transaction()
      .create('/multi/b', 'b')
      .delete('/multi/a', 0)
      .check('/multi', 7) // BadVersion: everything above is rolled back
      .setData('/multi/a', 'never')
      .commit()
      .catch(() => undefined);
    await zk.multiRead([
      { type: 'getChildren', path: '/multi' },
      { type: 'getData', path: '/multi/a' },
      { type: 'getData', path: '/multi/missing' },
    ]);
  } finally {
    await zk.close();
  }
}
