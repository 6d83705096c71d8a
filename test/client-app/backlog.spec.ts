import request from 'supertest';
import { TaskQueueClient } from '@shepherd/taskqueue';
import { ZkServer } from '@shepherd/zk-server';
import { ClientAppHarness, startZkServer } from './support/client-app-harness';
import { parsePrometheusText, valueOf } from './support/prometheus-text';

// A backlog nobody works on (no master, no worker): /stats and /metrics count it without
// listing it, and a page of /tasks reads only its own records.

const BACKLOG = 10_000;

let server: ZkServer;
let h: ClientAppHarness;

beforeAll(async () => {
  server = await startZkServer();
  h = await ClientAppHarness.start(server, { master: false, workers: [] });
  for (let i = 0; i < BACKLOG / 1000; i++) {
    const tasks = Array.from({ length: 1000 }, (_, n) => ({ type: 'echo', payload: { n } }));
    await request(h.http).post('/tasks/batch').send({ tasks }).expect(202);
  }
}, 120_000);
afterAll(async () => {
  await h?.stop();
  await server?.stop();
});

it('/stats and /metrics count the backlog without listing the queue', async () => {
  const list = jest.spyOn(TaskQueueClient.prototype, 'list');
  try {
    const started = Date.now();
    const stats = (await request(h.http).get('/stats').expect(200)).body;
    expect(Date.now() - started).toBeLessThan(2000);
    expect(stats.counts).toEqual({
      waiting: 0,
      queued: BACKLOG,
      assigned: 0,
      running: 0,
      finished: 0,
      dead: 0,
    });
    const metrics = parsePrometheusText((await request(h.http).get('/metrics').expect(200)).text);
    expect(valueOf(metrics, 'shepherd_tasks', { state: 'queued' })).toBe(BACKLOG);
    // The only listing is of the in-flight area, to tell running from assigned.
    for (const [query] of list.mock.calls) expect(query).toMatchObject({ state: 'running' });
  } finally {
    list.mockRestore();
  }
});

it('a page of /tasks answers quickly', async () => {
  const started = Date.now();
  const page = (await request(h.http).get('/tasks?state=queued&limit=50').expect(200)).body;
  expect(Date.now() - started).toBeLessThan(3000);
  expect(page.items).toHaveLength(50);
  expect(page.nextCursor).toEqual(expect.any(String));
});
