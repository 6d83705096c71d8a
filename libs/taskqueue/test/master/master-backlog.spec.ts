import { TestCluster } from './support/cluster';
import { waitFor } from '../../../../test/support/wait-for';

const cluster = TestCluster.perFile();

const BACKLOG = 10_000;

describe('Master: a large backlog', () => {
  it('indexes 10,000 queued tasks and assigns them all, each once', async () => {
    const ids = await cluster.submit('echo', BACKLOG, {}, { pad: 'x'.repeat(100) });
    const master = await cluster.master('m1');
    const started = Date.now();
    await master.start();
    await waitFor('backlog indexed', () => master.stats().queueDepth === BACKLOG, {
      timeoutMs: 10000,
    });
    const indexedMs = Date.now() - started;

    // Workers arrive; the first assignments must not wait for the whole backlog to be read.
    const workers = [];
    for (let i = 0; i < 4; i++) workers.push(await cluster.worker(`w${i}`, { concurrency: 2500 }));
    const joined = Date.now();
    await waitFor('first assignments', async () => master.stats().assigned > 0, {
      timeoutMs: 5000,
    });
    const firstMs = Date.now() - joined;
    await waitFor('all assigned', () => master.stats().assigned === BACKLOG, { timeoutMs: 20000 });

    const assigned = (await Promise.all(workers.map((w) => w.assignments()))).flat().sort();
    expect(assigned).toEqual([...ids].sort());
    expect(await cluster.queued()).toEqual([]);
    // Least loaded first: the work is spread evenly.
    for (const w of workers) expect((await w.assignments()).length).toBe(2500);
    expect(indexedMs).toBeLessThan(5000);
    expect(firstMs).toBeLessThan(2000);
  });
});
