import request from 'supertest';
import { ZkServer } from '@shepherd/zk-server';
import { ClientAppHarness, startZkServer } from './support/client-app-harness';
import { SseReader } from '../support/sse-reader';

// API_TOKEN set: every endpoint but /health (and the docs) wants the bearer token.

const TOKEN = 'correct-horse-battery-staple';
const WRONG = 'correct-horse-battery-stapler';

let server: ZkServer;
let h: ClientAppHarness;
let open: ClientAppHarness;
let taskId: string;

beforeAll(async () => {
  server = await startZkServer();
  h = await ClientAppHarness.start(server, { apiToken: TOKEN });
  open = await ClientAppHarness.start(server, { master: false, workers: [] });
  const res = await request(h.http)
    .post('/tasks')
    .set('Authorization', `Bearer ${TOKEN}`)
    .send({ type: 'echo', delayMs: 60_000 })
    .expect(202);
  taskId = res.body.id;
});
afterAll(async () => {
  await open?.stop();
  await h?.stop();
  await server?.stop();
});

type Method = 'get' | 'post' | 'delete';
const PROTECTED: Array<[Method, string, object?]> = [
  ['post', '/tasks', { type: 'echo', delayMs: 60_000 }],
  ['post', '/tasks/batch', { tasks: [{ type: 'echo', delayMs: 60_000 }] }],
  ['get', '/tasks'],
  ['get', '/tasks/:id'],
  ['delete', '/tasks/:id'],
  ['post', '/tasks/:id/retry'],
  ['get', '/workers'],
  ['get', '/masters'],
  ['get', '/stats'],
  ['get', '/metrics'],
];

function call(method: Method, path: string, body?: object, auth?: string) {
  let req = request(h.http)[method](path.replace(':id', taskId));
  if (auth !== undefined) req = req.set('Authorization', auth);
  return body ? req.send(body) : req;
}

describe.each(PROTECTED)('%s %s', (method, path, body) => {
  it('answers 401 without a token', async () => {
    const res = await call(method, path, body).expect(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="shepherd"');
    expect(res.body).toEqual({
      statusCode: 401,
      error: 'Unauthorized',
      message: 'missing API token: send the header "Authorization: Bearer <API_TOKEN>"',
    });
  });

  it('answers 401 with a wrong token', async () => {
    const res = await call(method, path, body, `Bearer ${WRONG}`).expect(401);
    expect(res.body.message).toBe('wrong API token');
  });

  it('answers with the right token', async () => {
    const res = await call(method, path, body, `Bearer ${TOKEN}`);
    // The task is cancelled by DELETE before retry runs, so retry is a 409: past the guard.
    expect([200, 202, 409]).toContain(res.status);
  });
});

describe('what the token does not guard', () => {
  it('/health answers without a token', async () => {
    await request(h.http).get('/health').expect(200);
  });

  it('the API docs answer without a token', async () => {
    await request(h.http).get('/docs-json').expect(200);
    await request(h.http).get('/docs').expect(200);
  });

  it('the dashboard’s static files answer without a token', async () => {
    // 200 once the dashboard is built, 503 "not built" before: never 401.
    const page = await request(h.http).get('/');
    expect([200, 503]).toContain(page.status);
    const asset = await request(h.http).get('/assets/none.js');
    expect([404, 503]).toContain(asset.status);
  });

  it('an unknown path is a 404 either way', async () => {
    await request(h.http).get('/nowhere').expect(404);
  });
});

describe('how the token is presented', () => {
  it('takes the scheme in any case, and refuses other schemes and a bare token', async () => {
    await request(h.http).get('/stats').set('Authorization', `bearer ${TOKEN}`).expect(200);
    await request(h.http).get('/stats').set('Authorization', `Basic ${TOKEN}`).expect(401);
    await request(h.http).get('/stats').set('Authorization', TOKEN).expect(401);
    await request(h.http).get('/stats').set('Authorization', `Bearer ${TOKEN} x`).expect(401);
  });

  it('checks the token before the body', async () => {
    const res = await request(h.http).post('/tasks').send({ type: 'bad type' }).expect(401);
    expect(res.body.message).toMatch(/^missing API token/);
  });

  it('takes ?access_token= on /events only (EventSource cannot send headers)', async () => {
    const ok = await SseReader.open(`${h.url}/events?access_token=${TOKEN}`);
    ok.close();
    expect(ok.status).toBe(200);
    expect(ok.headers['content-type']).toMatch(/^text\/event-stream/);

    const header = await SseReader.open(`${h.url}/events`, { Authorization: `Bearer ${TOKEN}` });
    header.close();
    expect(header.status).toBe(200);

    for (const url of [`${h.url}/events`, `${h.url}/events?access_token=${WRONG}`]) {
      const refused = await SseReader.open(url);
      refused.close();
      expect(refused.status).toBe(401);
    }
    await request(h.http).get(`/stats?access_token=${TOKEN}`).expect(401);
  });
});

describe('without API_TOKEN', () => {
  it('every endpoint answers without a token', async () => {
    await request(open.http).get('/stats').expect(200);
    await request(open.http).get('/metrics').expect(200);
    await request(open.http).get('/workers').expect(200);
    await request(open.http).post('/tasks').send({ type: 'echo', delayMs: 60_000 }).expect(202);
    const sse = await SseReader.open(`${open.url}/events`);
    sse.close();
    expect(sse.status).toBe(200);
  });
});
