import { TaskQueueClient, priorityOf } from '@shepherd/taskqueue';
import { expireSession } from '../../../../test/support/expire-session';
import { FakeWorker, TestCluster } from './support/cluster';
import { waitFor } from '../../../../test/support/wait-for';

const cluster = TestCluster.perTest();

let clients: TaskQueueClient[] = [];
afterEach(() => {
  for (const c of clients) c.close();
  clients = [];
});

/** A submitter on its own connection: the real submit path (ids from TaskIdSequence). */
async function submitter(): Promise<TaskQueueClient> {
  const client = new TaskQueueClient({ connection: await cluster.connection() });
  clients.push(client);
  return client;
}

async function submit(client: TaskQueueClient, count: number, priority?: number) {
  const items = Array.from({ length: count }, (_, n) => ({
    type: 'echo',
    payload: { n },
    options: priority === undefined ? {} : { priority },
  }));
  return (await client.submitMany(items)).map((v) => v.id);
}

/**
 * Runs `count` tasks on a worker of concurrency 1, one at a time, the way a worker does: waits
 * for its one assignment, completes it, and so on. Returns the ids in the order assigned.
 */
async function runInOrder(worker: FakeWorker, count: number): Promise<string[]> {
  const order: string[] = [];
  while (order.length < count) {
    const held = await waitFor(`assignment #${order.length + 1}`, async () => {
      const a = await worker.assignments();
      return a.length > 0 ? a : undefined;
    });
    expect(held).toHaveLength(1); // concurrency 1, no prefetch
    order.push(held[0]);
    await worker.complete(held[0]);
  }
  return order;
}

describe('Master: priorities', () => {
  it('assigns higher priorities first, one priority in submit order, to a busy worker', async () => {
    const w = await cluster.worker('w', { concurrency: 1 });
    const master = await cluster.master('m1');
    await master.start();
    const client = await submitter();
    const [busy] = await submit(client, 1);
    await waitFor('the worker to be busy', async () => (await w.assignments()).includes(busy));
    const low = await submit(client, 2, -5);
    const high = await submit(client, 2, 5);
    const normal = await submit(client, 2);
    await waitFor('the leader to know the six', () => master.stats().queueDepth === 6);
    expect(await runInOrder(w, 7)).toEqual([busy, ...high, ...normal, ...low]);
    const views = await Promise.all([...low, ...high, ...normal].map((id) => client.get(id)));
    expect(views.map((v) => [v.state, v.priority])).toEqual([
      ['done', -5],
      ['done', -5],
      ['done', 5],
      ['done', 5],
      ['done', 0],
      ['done', 0],
    ]);
  });

  it("runs a lost worker's task before the tasks of its priority submitted after it", async () => {
    const w1 = await cluster.worker('w1', { concurrency: 1 });
    const master = await cluster.master('m1');
    await master.start();
    const client = await submitter();
    const [first] = await submit(client, 1, 5);
    await waitFor('w1 to hold it', async () => (await w1.assignments()).includes(first));
    const [lower] = await submit(client, 1, 0);
    const [later] = await submit(client, 1, 5);
    // w1 is killed: its session expires, the leader moves its task back under the same id.
    await expireSession(cluster.connectString, w1.client.sessionId, w1.client.sessionPassword);
    await waitFor('the task back in the queue', async () => (await cluster.queued()).length === 3);
    expect(await cluster.queued()).toEqual([first, later, lower]);
    const w2 = await cluster.worker('w2', { concurrency: 1 });
    expect(await runInOrder(w2, 3)).toEqual([first, later, lower]);
    expect((await client.get(first)).attempts).toBe(2);
  });

  it('runs a task handed back on drain before later tasks of its priority', async () => {
    const w = await cluster.worker('w', { concurrency: 1 });
    const master = await cluster.master('m1');
    await master.start();
    const client = await submitter();
    const [first] = await submit(client, 1, -3);
    await waitFor('w to hold it', async () => (await w.assignments()).includes(first));
    const [higher] = await submit(client, 1, 0);
    const [later] = await submit(client, 1, -3);
    await w.setDraining(true);
    await w.handBack(first);
    await waitFor('the task back in the queue', async () => (await cluster.queued()).length === 3);
    await w.setDraining(false);
    expect(await runInOrder(w, 3)).toEqual([higher, first, later]);
  });

  it('a new leader assigns by priority too: from its listing and from new events', async () => {
    const a = await cluster.master('a');
    const b = await cluster.master('b');
    await a.start();
    await waitFor('a to lead', () => a.isLeader);
    await b.start();
    const client = await submitter();
    const low = await submit(client, 2, -1000);
    const normal = await submit(client, 2);
    const high = await submit(client, 2, 1000);
    await waitFor('a to know the six', () => a.stats().queueDepth === 6);
    await cluster.expire(a); // a's session ends: b takes over and lists /tasks
    await waitFor('b to lead', () => b.isLeader && b.stats().queueDepth === 6);
    const [middle] = await submit(client, 1, 500);
    const [lowest] = await submit(client, 1, -1000);
    await waitFor('b to know the eight', () => b.stats().queueDepth === 8);
    const w = await cluster.worker('w', { concurrency: 1 });
    const order = await runInOrder(w, 8);
    expect(order).toEqual([...high, middle, ...normal, ...low, lowest]);
    expect(order.map((id) => priorityOf(id))).toEqual([1000, 1000, 500, 0, 0, -1000, -1000, -1000]);
  });
});
