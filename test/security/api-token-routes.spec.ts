import request from 'supertest';
import { ZkServer } from '@shepherd/zk-server';
import { type AppRoute, appRoutes } from './app-routes';
import { QueueApp, startServer } from './queue-app';

// API_TOKEN set: every route the app actually serves wants the token, except the few that
// hold no queue data. The routes come from the app's own router, so a route added later
// is checked without anyone editing this file.

const TOKEN = 'route-check-token';

/** Open on purpose: liveness, the API's own description and the dashboard's static files. */
const OPEN = [
  /^\/health$/,
  /^\/docs($|\/|-json$)/, // Swagger UI and the OpenAPI document
  /^\/$/, // the dashboard page (it asks for the token itself)
  /^\/assets\/:file$/,
];

let server: ZkServer;
let h: QueueApp;
let routes: AppRoute[];
let taskId: string;

beforeAll(async () => {
  server = await startServer();
  h = await QueueApp.start(server.connectString, '/api-token-routes', { apiToken: TOKEN });
  routes = appRoutes(h.app);
  const res = await request(h.http)
    .post('/tasks')
    .set('Authorization', `Bearer ${TOKEN}`)
    .send({ type: 'echo' })
    .expect(202);
  taskId = res.body.id;
});
afterAll(async () => {
  await h?.stop();
  await server?.stop();
});

const isOpen = (r: AppRoute) => OPEN.some((re) => re.test(r.path));
const urlOf = (r: AppRoute) => r.path.replace(':id', taskId).replace(':file', 'app.js');

function send(r: AppRoute, method: string, auth?: string) {
  const agent = request(h.http) as unknown as Record<string, (url: string) => request.Test>;
  let req = agent[method.toLowerCase()](urlOf(r));
  if (auth !== undefined) req = req.set('Authorization', auth);
  return req;
}

it('reads the real route table: the API, the event stream, metrics and health are in it', () => {
  const names = routes.map((r) => `${r.method} ${r.path}`);
  for (const expected of [
    'POST /tasks',
    'POST /tasks/batch',
    'GET /tasks/:id',
    'DELETE /tasks/:id',
    'POST /tasks/:id/retry',
    'GET /events',
    'GET /metrics',
    'GET /health',
  ]) {
    expect(names).toContain(expected);
  }
  // Nothing but the paths above is open: each open pattern matches a route that exists.
  for (const re of OPEN) expect(routes.some((r) => re.test(r.path))).toBe(true);
});

it('every other route, in each of its methods and HEAD, answers 401 without the token', async () => {
  const guarded = routes.filter((r) => !isOpen(r));
  expect(guarded.length).toBeGreaterThanOrEqual(11);
  const answered: string[] = [];
  for (const r of guarded) {
    const methods = r.method === 'GET' ? ['GET', 'HEAD'] : [r.method];
    for (const method of methods) {
      for (const auth of [undefined, `Bearer ${TOKEN}x`, 'Bearer ', `Basic ${TOKEN}`]) {
        const res = await send(r, method, auth);
        if (res.status !== 401) answered.push(`${method} ${r.path} [${auth}] -> ${res.status}`);
        else expect(res.headers['www-authenticate']).toBe('Bearer realm="shepherd"');
      }
    }
  }
  expect(answered).toEqual([]);
});

it('every guarded route but the event stream answers with the token', async () => {
  for (const r of routes.filter((x) => !isOpen(x) && x.path !== '/events')) {
    const res = await send(r, r.method, `Bearer ${TOKEN}`);
    expect([r.path, res.status]).not.toEqual([r.path, 401]);
    expect(res.status).toBeLessThan(500);
  }
});

it('the open routes answer without the token', async () => {
  for (const r of routes.filter(isOpen)) {
    const res = await send(r, r.method);
    expect([r.path, res.status]).not.toEqual([r.path, 401]);
  }
});
