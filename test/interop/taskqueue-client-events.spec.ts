import { Subscription } from 'rxjs';
import { ZooKeeperConnection } from '@shepherd/coordination';
import { ClusterEvent, TaskQueueClient } from '@shepherd/taskqueue';
import { waitFor } from '../support/wait-for';
import { ZkCluster, fourLetterWord, startStandalone } from '../support/zk-harness';

// The client's events$ rests on one persistent recursive watch (ZooKeeper 3.6+ addWatch) that
// it removes when the last subscriber leaves: both against Apache ZooKeeper 3.8.
let cluster: ZkCluster | undefined;
let connection: ZooKeeperConnection | undefined;

beforeAll(async () => {
  cluster = await startStandalone();
  connection = new ZooKeeperConnection({ connectString: cluster.connectString });
  await connection.connect();
}, 120000);

afterAll(async () => {
  await connection?.close();
  await cluster?.stop();
});

it('events$ sees a task queued and cancelled, and its watch is removed on unsubscribe', async () => {
  const client = new TaskQueueClient({ connection: connection! });
  await client.submit('warm-up', null); // lays the tree out
  const seen: ClusterEvent[] = [];
  const sub: Subscription = client.events$.subscribe((e) => seen.push(e));
  // The watch is set asynchronously: submit until one of ours is seen queued.
  const submitted: string[] = [];
  const task = await waitFor('the watch to be set', async () => {
    submitted.push((await client.submit('echo', { n: 1 })).id);
    await new Promise((r) => setTimeout(r, 100));
    const hit = seen.find((e) => e.type === 'task.queued' && submitted.includes(e.taskId!));
    return hit ? { id: hit.taskId! } : undefined;
  });
  await client.cancel(task.id);
  await waitFor('task.cancelled', () =>
    seen.some((e) => e.type === 'task.cancelled' && e.taskId === task.id),
  );
  // The server lists the recursive watch on the root (wchp: path, then watching sessions)...
  const port = Number(cluster!.connectString.split(':')[1]);
  const watchesOnRoot = async () => /^\/\n/m.test(await fourLetterWord(port, 'wchp'));
  expect(await watchesOnRoot()).toBe(true);
  sub.unsubscribe();
  // ...and no longer once the last subscriber left (removeWatches reached the server).
  await waitFor('the watch to be removed on the server', async () => !(await watchesOnRoot()));
  client.close();
});
