import { paths } from '@shepherd/taskqueue';
import { TestCluster } from './support/cluster';
import { delay, waitFor } from '../../../../test/support/wait-for';

const cluster = TestCluster.perTest();

describe('Master: assignment', () => {
  it('gives workers tasks up to their concurrency, least loaded first, only their types', async () => {
    const a = await cluster.worker('a', { concurrency: 2, types: ['echo'] });
    const b = await cluster.worker('b', { concurrency: 4, types: ['echo', 'resize'] });
    const c = await cluster.worker('c', { concurrency: 1, types: ['resize'] });
    const echo = await cluster.submit('echo', 10);
    const master = await cluster.master('m1');
    await master.start();
    expect(master.isLeader).toBe(true);

    // 6 slots can take echo (a: 2, b: 4); c runs resize only.
    await waitFor('six echo tasks assigned', async () => (await cluster.queued()).length === 4);
    expect(await a.assignments()).toHaveLength(2);
    expect(await b.assignments()).toHaveLength(4);
    expect(await c.assignments()).toHaveLength(0);
    // Submit order: the six oldest went first.
    const assigned = [...(await a.assignments()), ...(await b.assignments())].sort();
    expect(assigned).toEqual(echo.slice(0, 6));

    // A resize task: b is full, so c gets it.
    const [resize] = await cluster.submit('resize');
    await waitFor('resize assigned to c', async () => (await c.assignments()).includes(resize));

    // The assignment record: assigned, attempt counted, fenced on the worker's session.
    const { record } = await a.record((await a.assignments())[0]);
    expect(record).toMatchObject({
      state: 'assigned',
      attempts: 1,
      worker: 'a',
      workerSession: a.session,
    });
    expect(record.history.map((h) => h.event)).toEqual(['queued', 'assigned']);

    // Completing frees a slot: the next queued echo task follows.
    await a.complete((await a.assignments())[0]);
    await waitFor('a slot refilled', async () => (await a.assignments()).length === 2);
    expect(await cluster.queued()).toHaveLength(3);
    expect(master.stats()).toMatchObject({ isLeader: true, assigned: 8, workers: 3 });
  });

  it('prefers the least loaded worker (assigned / concurrency, then fewer assigned, then id)', async () => {
    const master = await cluster.master('m1');
    const big = await cluster.worker('big', { concurrency: 4 });
    const small = await cluster.worker('small', { concurrency: 2 });
    await master.start();
    // One task at a time: each goes to the least loaded worker.
    const order: string[] = [];
    for (let i = 0; i < 6; i++) {
      const [id] = await cluster.submit('echo');
      const holder = await waitFor(`task ${i} assigned`, async () => {
        if ((await big.assignments()).includes(id)) return 'big';
        if ((await small.assignments()).includes(id)) return 'small';
        return undefined;
      });
      order.push(holder);
    }
    // 0/4 = 0/2: same ratio and count, so by id -> big; 1/4 > 0/2 -> small; 1/4 < 1/2 -> big;
    // 2/4 = 1/2: same ratio, small has fewer -> small; small is full -> big, big.
    expect(order).toEqual(['big', 'small', 'big', 'small', 'big', 'big']);
  });

  it('assigns nothing to a draining worker, and resumes when it is no longer draining', async () => {
    const w = await cluster.worker('w', { concurrency: 3 });
    await w.setDraining(true);
    const master = await cluster.master('m1');
    await master.start();
    await cluster.submit('echo', 2);
    await delay(300);
    expect(await w.assignments()).toHaveLength(0);
    await w.setDraining(false);
    await waitFor('assigned after draining ends', async () => (await w.assignments()).length === 2);
  });

  it('does not assign a delayed task before its time', async () => {
    const w = await cluster.worker('w', { concurrency: 2 });
    const master = await cluster.master('m1');
    await master.start();
    const [later] = await cluster.submit('echo', 1, { delayMs: 800 });
    const [now] = await cluster.submit('echo', 1);
    await waitFor('the due task assigned', async () => (await w.assignments()).includes(now));
    const submitted = Date.now();
    expect(await w.assignments()).not.toContain(later);
    await waitFor('the delayed task assigned', async () => (await w.assignments()).includes(later));
    const { record } = await w.record(later);
    expect(record.updatedAt).toBeGreaterThanOrEqual(record.createdAt + 800);
    expect(Date.now() - submitted).toBeGreaterThan(300);
  });

  it('leaves tasks nobody can take queued, and assigns them when a worker for them joins', async () => {
    const master = await cluster.master('m1');
    await master.start();
    await cluster.worker('echoer', { concurrency: 5, types: ['echo'] });
    const [odd] = await cluster.submit('odd');
    await delay(300);
    expect(await cluster.queued()).toEqual([odd]);
    const any = await cluster.worker('any', { concurrency: 1, types: ['*'] });
    await waitFor('odd task assigned to the wildcard worker', async () =>
      (await any.assignments()).includes(odd),
    );
  });

  it('puts back the /assign directory of a live worker that lacks it, and watches it', async () => {
    const w = await cluster.worker('w', { concurrency: 1 });
    await cluster.admin.delete(paths.assignRoot('w'));
    const master = await cluster.master('m1');
    await master.start();
    const [first, second] = await cluster.submit('echo', 2);
    await waitFor('first assigned', async () => (await w.assignments()).includes(first));
    await w.complete(first);
    await waitFor('second assigned once the slot is free', async () =>
      (await w.assignments()).includes(second),
    );
  });

  it('reassigns a handed-back task at once, without counting the attempt', async () => {
    const leaving = await cluster.worker('leaving', { concurrency: 1 });
    const master = await cluster.master('m1');
    await master.start();
    const [id] = await cluster.submit('echo');
    await waitFor('assigned', async () => (await leaving.assignments()).includes(id));
    await leaving.setDraining(true);
    const staying = await cluster.worker('staying', { concurrency: 1 });
    await leaving.handBack(id);
    await waitFor('reassigned', async () => (await staying.assignments()).includes(id));
    const { record } = await staying.record(id);
    expect(record.attempts).toBe(1);
    expect(record.history.map((h) => h.event)).toEqual([
      'queued',
      'assigned',
      'handed-back',
      'assigned',
    ]);
  });
});
