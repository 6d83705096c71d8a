import { ZooKeeperClient } from '@shepherd/zk-client';
import { AddWatchMode, WatcherType } from '@shepherd/zk-protocol';
import { waitFor } from '../../support/wait-for';
import { ZkCluster } from '../../support/zk-harness';
import { RecordingProxy } from '../recording-proxy';

/**
 * Every watch kind and the notifications they produce, removeWatches/checkWatches, then a
 * dropped connection: the reconnect (2nd recorded connection) carries the session id,
 * lastZxidSeen and a setWatches2 with all watch kinds, and a change missed while away fires.
 * Changes come from a second client that bypasses the proxy, so only our client is recorded.
 */
export async function recordShepherdWatches(
  proxy: RecordingProxy,
  cluster: ZkCluster,
): Promise<void> {
  const zk = new ZooKeeperClient(proxy.connectString, { sessionTimeout: 10000 });
  const writer = new ZooKeeperClient(cluster.connectStringFor(0), { sessionTimeout: 10000 });
  await zk.connect();
  await writer.connect();
  let fired = 0;
  const watcher = (): void => void fired++;
  try {
    await zk.create('/watch', 'w');
    await zk.create('/watch/kid', 'k');
    await zk.create('/watch/tree');
    await zk.getData('/watch', watcher);
    await zk.exists('/watch/absent', watcher);
    await zk.getChildren('/watch', watcher);
    await zk.addWatch('/watch/kid', watcher, AddWatchMode.PERSISTENT);
    // Not on /watch itself: ZooKeeper 3.8.0 keeps one watch mode per (connection, path), so a
    // recursive watch there would silence the child watch's NodeChildrenChanged
    // (ZOOKEEPER-4466).
    await zk.addWatch('/watch/tree', watcher, AddWatchMode.PERSISTENT_RECURSIVE);
    await writer.setData('/watch', 'changed');
    await writer.create('/watch/absent');
    await writer.setData('/watch/kid', 'k2');
    await writer.create('/watch/tree/leaf');
    // NodeDataChanged, NodeCreated + NodeChildrenChanged, NodeDataChanged, NodeCreated.
    await waitFor('the notifications', () => fired >= 5);

    await zk.getData('/watch', watcher);
    await zk.getChildren('/watch', watcher);
    await zk.checkWatches('/watch', WatcherType.Data);
    await zk.removeWatches('/watch', watcher, WatcherType.Children);

    // Away: a change is made while the client is cut off; the reconnect must report it.
    proxy.accepting = false;
    proxy.dropConnections();
    await writer.setData('/watch', 'while away');
    proxy.accepting = true;
    const before = fired;
    await waitFor('the missed change to fire after reconnect', () => fired > before, {
      timeoutMs: 20000,
    });
    await zk.exists('/watch');
  } finally {
    await zk.close();
    await writer.close();
  }
}
