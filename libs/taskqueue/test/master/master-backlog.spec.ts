import { ZkServer } from '@app/zk-server';
import { TestCluster, startServer } from './support/cluster';
import { waitFor } from './support/wait';

let server: ZkServer;
let cluster: TestCluster;

beforeAll(async () => {
  server = await startServer();
  cluster = await TestCluster.create(server);
});
afterAll(async () => {
  await cluster?.close();
  await server?.stop();
});

const BACKLOG = 10_000;

describe('Master: a large backlog', () => {
  it('indexes 10,000 queued tasks and assigns them all, each once', async () => {
    const ids = await cluster.submit('echo', BACKLOG, {}, { pad: 'x'.repeat(100) });
    const master = await cluster.master('m1');
    const started = Date.now();
    await master.start();
    await waitFor('backlog indexed', () => master.stats().queueDepth === BACKLOG, 10000);
    const indexedMs = Date.now() - started;

    // Workers arrive; the first assignments must not wait for the whole backlog to be read.
    const workers = [];
    for (let i = 0; i < 4; i++) workers.push(await cluster.worker(`w${i}`, { concurrency: 2500 }));
    const joined = Date.now();
    await waitFor('first assignments', async () => master.stats().assigned > 0, 5000);
    const firstMs = Date.now() - joined;
    await waitFor('all assigned', () => master.stats().assigned === BACKLOG, 20000);

    const assigned = (await Promise.all(workers.map((w) => w.assignments()))).flat().sort();
    expect(assigned).toEqual([...ids].sort());
    expect(await cluster.queued()).toEqual([]);
    // Least loaded first: the work is spread evenly.
    for (const w of workers) expect((await w.assignments()).length).toBe(2500);
    expect(indexedMs).toBeLessThan(5000);
    expect(firstMs).toBeLessThan(2000);
  });
});
