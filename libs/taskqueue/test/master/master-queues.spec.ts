import { TaskQueueClient } from '@shepherd/taskqueue';
import { TestCluster } from './support/cluster';
import { delay, waitFor } from '../../../../test/support/wait-for';

const cluster = TestCluster.perTest();

/** A client on its own connection in the test's chroot, closed with the cluster. */
async function client(): Promise<TaskQueueClient> {
  return new TaskQueueClient({ connection: await cluster.connection() });
}

describe('Master: per-type queue settings', () => {
  it('assigns nothing of a paused type while others flow; unpausing resumes at once', async () => {
    const tasks = await client();
    await tasks.setQueue('slow', { paused: true });
    const w = await cluster.worker('w', { concurrency: 10, types: ['*'] });
    const master = await cluster.master('m1');
    await master.start();
    // The paused type is at the head of the queue: it must not hold back the others.
    const slow = await cluster.submit('slow', 3);
    const echo = await cluster.submit('echo', 2);
    await waitFor('echo assigned', async () => (await w.assignments()).length === 2);
    await delay(300);
    expect((await w.assignments()).sort()).toEqual(echo.sort());
    expect((await cluster.queued()).sort()).toEqual(slow.sort());

    await tasks.setQueue('slow', { paused: false });
    await waitFor('slow assigned after unpause', async () => (await w.assignments()).length === 5);
    tasks.close();
  });

  it('keeps at most `concurrency` tasks of a type assigned across two workers', async () => {
    const tasks = await client();
    await tasks.setQueue('capped', { concurrency: 3 });
    const a = await cluster.worker('a', { concurrency: 5, types: ['*'] });
    const b = await cluster.worker('b', { concurrency: 5, types: ['*'] });
    const master = await cluster.master('m1');
    await master.start();
    await cluster.submit('capped', 8);
    const other = await cluster.submit('other', 2);
    await waitFor('others assigned', async () => (await cluster.queued()).length === 5);
    await delay(300);
    const held = async () => [...(await a.assignments()), ...(await b.assignments())];
    expect((await held()).filter((id) => !other.includes(id))).toHaveLength(3);
    expect((await a.assignments()).length).toBeGreaterThan(0);
    expect((await b.assignments()).length).toBeGreaterThan(0);

    // Finishing one lets exactly one more start.
    const first = (await a.assignments()).find((id) => !other.includes(id))!;
    await a.complete(first);
    await waitFor('one more started', async () => (await cluster.queued()).length === 4);
    await delay(300);
    expect((await held()).filter((id) => !other.includes(id))).toHaveLength(3);

    // Clearing the cap lets the rest go.
    await tasks.setQueue('capped', { concurrency: null });
    await waitFor('all assigned', async () => (await cluster.queued()).length === 0);
    tasks.close();
  });

  it('starts at most rateLimit.max tasks of a type per window', async () => {
    const tasks = await client();
    await tasks.setQueue('limited', { rateLimit: { max: 2, perMs: 60_000 } });
    const w = await cluster.worker('w', { concurrency: 10, types: ['*'] });
    const master = await cluster.master('m1');
    await master.start();
    await cluster.submit('limited', 5);
    await waitFor('two started', async () => (await w.assignments()).length === 2);
    // Completing them frees slots, but not the window.
    for (const id of await w.assignments()) await w.complete(id);
    await cluster.submit('echo', 1);
    await waitFor('echo assigned', async () => (await w.assignments()).length === 1);
    await delay(300);
    expect(await cluster.queued()).toHaveLength(3);
    tasks.close();
  });

  it('keeps the settings across a change of leader', async () => {
    const tasks = await client();
    await tasks.setQueue('slow', { paused: true });
    const w = await cluster.worker('w', { concurrency: 10, types: ['*'] });
    const m1 = await cluster.master('m1');
    const m2 = await cluster.master('m2');
    await m1.start();
    await m2.start();
    expect(m1.isLeader).toBe(true);
    const slow = await cluster.submit('slow', 2);
    await m1.stop();
    await waitFor('m2 leads', () => m2.isLeader);
    const [echo] = await cluster.submit('echo');
    await waitFor('echo assigned', async () => (await w.assignments()).includes(echo));
    await delay(300);
    expect((await cluster.queued()).sort()).toEqual(slow.sort());
    expect(await tasks.queue('slow')).toMatchObject({ type: 'slow', paused: true });
    await tasks.setQueue('slow', { paused: false });
    await waitFor('slow assigned', async () => (await cluster.queued()).length === 0);
    tasks.close();
  });
});
