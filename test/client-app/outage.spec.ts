import request from 'supertest';
import { ZkServer } from '@shepherd/zk-server';
import { ClientAppHarness, startZkServer } from './support/client-app-harness';
import { parsePrometheusText, valueOf } from './support/prometheus-text';
import { SseReader } from '../support/sse-reader';
import { waitFor } from '../support/wait-for';

// The coordination service goes away: the API answers 503 with Retry-After at once, /health
// says why, /metrics still answers (shepherd_zookeeper_connected 0). Its own server, stopped.

let server: ZkServer;
let h: ClientAppHarness;
let taskId: string;

beforeAll(async () => {
  server = await startZkServer();
  h = await ClientAppHarness.start(server, { master: false, workers: [] });
  taskId = (await request(h.http).post('/tasks').send({ type: 'echo' }).expect(202)).body.id;
  await request(h.http).get('/metrics').expect(200); // counts read once, kept for the outage
  await server.stop();
  await waitFor('the app to see the server gone', async () => {
    const res = await request(h.http).get('/health');
    return res.status === 503;
  });
});
afterAll(async () => {
  await h?.stop();
});

type Method = 'get' | 'post' | 'delete';
const ENDPOINTS: Array<{ method: Method; path: string; body?: object }> = [
  { method: 'post', path: '/tasks', body: { type: 'echo' } },
  { method: 'post', path: '/tasks/batch', body: { tasks: [{ type: 'echo' }] } },
  { method: 'get', path: '/tasks' },
  { method: 'get', path: '/tasks/:id' },
  { method: 'get', path: '/tasks/:id?wait=5' },
  { method: 'delete', path: '/tasks/:id' },
  { method: 'post', path: '/tasks/:id/retry' },
  { method: 'get', path: '/workers' },
  { method: 'get', path: '/masters' },
  { method: 'get', path: '/stats' },
  { method: 'get', path: '/events' },
];

it.each(ENDPOINTS)(
  '$method $path answers 503 with Retry-After, at once',
  async ({ method, path, body }) => {
    const started = Date.now();
    let req = request(h.http)[method](path.replace(':id', taskId));
    if (body) req = req.send(body);
    const res = await req.expect(503);
    expect(Date.now() - started).toBeLessThan(1000);
    // About one session timeout (2 s here).
    expect(res.headers['retry-after']).toBe('2');
    expect(res.body).toEqual({
      statusCode: 503,
      error: 'Service Unavailable',
      message: 'the coordination service (ZooKeeper) is unreachable; try again shortly',
    });
  },
);

it('GET /health answers 503 and says ZooKeeper is down', async () => {
  const res = await request(h.http).get('/health').expect(503);
  expect(res.body).toMatchObject({
    status: 'error',
    error: { zookeeper: { status: 'down', message: 'not connected' } },
  });
});

it('GET /metrics still answers, with the connection down and the last counts', async () => {
  const res = await request(h.http).get('/metrics').expect(200);
  const m = parsePrometheusText(res.text);
  expect(valueOf(m, 'shepherd_zookeeper_connected')).toBe(0);
  expect(valueOf(m, 'shepherd_tasks', { state: 'queued' })).toBe(1);
});

it('bad input is still a 400, not a 503: it never needed ZooKeeper', async () => {
  await request(h.http)
    .post('/tasks')
    .set('Content-Type', 'application/json')
    .send('{"type":')
    .expect(400);
});

it('an event stream is refused with 503 before it starts', async () => {
  const sse = await SseReader.open(`${h.url}/events`);
  sse.close();
  expect(sse.status).toBe(503);
  expect(sse.headers['retry-after']).toBe('2');
});
