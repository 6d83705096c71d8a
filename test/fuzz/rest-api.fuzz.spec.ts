import fc from 'fast-check';
import request from 'supertest';
import { TaskQueueClient } from '@shepherd/taskqueue';
import { ZkServer } from '@shepherd/zk-server';
import { type AppRoute, appRoutes } from '../security/app-routes';
import { QueueApp, startServer } from '../security/queue-app';

// Property-based tests of the REST API over the real client app: random methods, paths, ids,
// queries, headers and bodies on every route the app serves. Whatever comes in, the answer is
// never a 5xx, and the number of tasks in the queue grows only by the tasks a 202 announces.
//
// Seeded and bounded: FUZZ_SEED=<n> and FUZZ_RUNS=<scale> reproduce or widen a run; a failure
// prints fast-check's seed and path, which replay it exactly.

const SEED = Number(process.env.FUZZ_SEED ?? 20261124);
const SCALE = Number(process.env.FUZZ_RUNS ?? 1);
const runs = (n: number) => Math.max(1, Math.round(n * SCALE));

jest.setTimeout(120_000);

let server: ZkServer;
let h: QueueApp;
let tasks: TaskQueueClient;
let routes: AppRoute[];
/** Tasks that exist and are finished (cancelled): ids worth hitting, and ?wait= returns at once. */
const knownIds: string[] = [];
/** Every id a 202 has announced so far. */
const announced = new Set<string>();

beforeAll(async () => {
  server = await startServer();
  // No master and no worker: nothing moves, so the queue's total only changes by submissions.
  h = await QueueApp.start(server.connectString, '/rest-fuzz');
  tasks = await h.client();
  const all = appRoutes(h.app).filter((r) => r.path !== '/events'); // an endless stream
  // Every route, the API's (not the docs' or the dashboard's files) three times as often.
  const api = all.filter((r) => /^\/(tasks|workers|masters|stats|metrics|health)/.test(r.path));
  routes = [...all, ...api, ...api];
  for (let i = 0; i < 3; i++) {
    const res = await request(h.http).post('/tasks').send({ type: 'echo', payload: i }).expect(202);
    await request(h.http).delete(`/tasks/${res.body.id}`).expect(200);
    knownIds.push(res.body.id);
    announced.add(res.body.id);
  }
});

afterAll(async () => {
  tasks?.close();
  await h?.stop();
  await server?.stop();
});

async function total(): Promise<number> {
  const c = await tasks.counts();
  return c.queued + c.inFlight + c.finished + c.dead;
}

/** Ids in a 2xx submit answer not seen before: the tasks it claims to have created. */
function newIds(status: number, body: unknown): string[] {
  if (status < 200 || status > 299 || body === null || typeof body !== 'object') return [];
  const b = body as { id?: unknown; ids?: unknown };
  const ids = Array.isArray(b.ids) ? b.ids : typeof b.id === 'string' ? [b.id] : [];
  const fresh = [...new Set(ids.filter((x): x is string => typeof x === 'string'))].filter(
    (id) => !announced.has(id),
  );
  for (const id of fresh) announced.add(id);
  return fresh;
}

// ---- arbitraries -------------------------------------------------------------------------

const printable = fc.string({
  unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
  maxLength: 40,
});
const anyText = fc.string({ unit: 'grapheme', maxLength: 40 });

/** A path segment: encoded or raw, including malformed escapes and traversal. */
const segment = fc.oneof(
  fc.constantFrom(
    ...['x', '..', '.', '%', '%zz', '%00', '%2F..%2F', '..%2F..%2Fpackage.json', '%E0%A4%A'],
  ),
  fc.constantFrom('0', '-1', 'null', 'undefined', '__proto__', 'constructor', 'a'.repeat(300)),
  anyText.filter((s) => s.length > 0).map(encodeURIComponent),
  fc.stringMatching(/^[0-9A-Za-z_-]{1,30}$/),
  fc.constant('<known>'),
);

const queryValue = fc.oneof(
  printable,
  fc.constantFrom(
    '',
    '0',
    '-1',
    '1e3',
    '1.5',
    'NaN',
    'Infinity',
    '61',
    '0.001',
    'true',
    '[]',
    '{}',
  ),
  fc.constantFrom('queued', 'done', 'dead', 'echo', 'bad type'),
);
const queryKey = fc.oneof(
  fc.constantFrom(
    'state',
    'type',
    'limit',
    'cursor',
    'wait',
    'access_token',
    'state[]',
    'limit[a]',
    '__proto__',
  ),
  fc.stringMatching(/^[a-z_]{1,10}$/),
);
const query = fc.oneof(
  { weight: 1, arbitrary: fc.constant('') },
  {
    weight: 1,
    arbitrary: fc
      .array(fc.tuple(queryKey, queryValue), { maxLength: 4 })
      .map((pairs) =>
        pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&'),
      ),
  },
);

const jsonScalar = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  anyText,
  fc.constantFrom(-1, 0, 1.5, 2 ** 53, 1e308, '', 'echo', '1'),
);

/** A submit item that the API must accept. */
const validItem = fc.record(
  {
    // `.` and `..` are not task types: they are znode names ZooKeeper refuses.
    type: fc.stringMatching(/^[A-Za-z0-9._:-]{1,64}$/).filter((t) => t !== '.' && t !== '..'),
    payload: fc.jsonValue({ maxDepth: 3 }),
    maxAttempts: fc.integer({ min: 1, max: 100 }),
    timeoutMs: fc.integer({ min: 1, max: 24 * 3600 * 1000 }),
    delayMs: fc.integer({ min: 0, max: 365 * 24 * 3600 * 1000 }),
    backoffMs: fc.integer({ min: 0, max: 24 * 3600 * 1000 }),
  },
  { requiredKeys: ['type'] },
);

/** Something shaped like a submit item, with any field possibly wrong. */
const submitish = fc.record(
  {
    type: fc.oneof(fc.constantFrom('echo', 'sleep', 'a'.repeat(65), 'bad type', ''), jsonScalar),
    payload: fc.jsonValue({ maxDepth: 3 }),
    maxAttempts: fc.oneof(fc.integer({ min: -5, max: 200 }), jsonScalar),
    timeoutMs: fc.oneof(fc.integer({ min: -5, max: 100_000_000 }), jsonScalar),
    delayMs: fc.oneof(fc.integer({ min: -5, max: 10_000 }), jsonScalar),
    backoffMs: jsonScalar,
    idempotencyKey: fc.oneof(anyText, jsonScalar),
    extra: fc.jsonValue({ maxDepth: 2 }),
    __proto__: fc.jsonValue({ maxDepth: 1 }),
  },
  { requiredKeys: [] },
);

const jsonBody = fc.oneof(
  validItem,
  fc.record({ tasks: fc.array(validItem, { minLength: 1, maxLength: 4 }) }),
  submitish,
  fc.record(
    { tasks: fc.oneof(fc.array(submitish, { maxLength: 4 }), fc.jsonValue({ maxDepth: 2 })) },
    { requiredKeys: [] },
  ),
  fc.jsonValue({ maxDepth: 3 }),
);

/**
 * Arrays and objects nested up to 5,000 levels (a 4 KB body reaches 2,000), as JSON text: built
 * as a string, since JSON.stringify itself runs out of stack on such values. Mostly around the
 * API's limit (MAX_BODY_DEPTH, 100 levels), where an off-by-one would show.
 */
const deepJson = fc
  .record({
    depth: fc.oneof(
      fc.integer({ min: 1, max: 5000 }),
      fc.integer({ min: 90, max: 110 }),
      fc.constantFrom(1999, 2000, 2001, 4999, 5000),
    ),
    // Which container each level is: all arrays, all objects, or mixed.
    shape: fc.constantFrom('array', 'object', 'mixed'),
    leaf: fc.constantFrom('null', '1', '"x"', '[]', '{}', 'true'),
    key: fc.constantFrom('a', 'payload', '__proto__', 'type', ''),
  })
  .map(({ depth, shape, leaf, key }) => {
    const inner = leaf === '[]' || leaf === '{}' ? depth - 1 : depth;
    const levels = Array.from({ length: inner }, (_, i) =>
      shape === 'mixed' ? (i % 3 === 0 ? 'object' : 'array') : shape,
    );
    const open = levels.map((l) => (l === 'array' ? '[' : `{${JSON.stringify(key)}:`)).join('');
    const close = levels
      .reverse()
      .map((l) => (l === 'array' ? ']' : '}'))
      .join('');
    return { text: open + leaf + close, depth };
  });

/** Where a deep value goes in a request, and how many levels the request adds above it. */
const deepBody = fc
  .tuple(
    deepJson,
    fc.constantFrom(
      { path: '/tasks', wrap: (v: string) => `{"type":"echo","payload":${v}}`, above: 1 },
      {
        path: '/tasks/batch',
        wrap: (v: string) => `{"tasks":[{"type":"echo"},{"type":"echo","payload":${v}}]}`,
        above: 3,
      },
      { path: '/tasks', wrap: (v: string) => v, above: 0 },
      { path: '/tasks', wrap: (v: string) => `{"type":"echo","extra":${v}}`, above: 1 },
      { path: '/tasks', wrap: (v: string) => `{"type":${v}}`, above: 1 },
      { path: '/tasks/batch', wrap: (v: string) => `{"tasks":${v}}`, above: 1 },
      { path: '/tasks/batch', wrap: (v: string) => `{"tasks":[${v}]}`, above: 2 },
    ),
  )
  .map(([value, at]) => ({
    path: at.path,
    body: at.wrap(value.text),
    depth: value.depth + at.above,
  }));

/** What goes on the wire: JSON, broken JSON, or something else entirely. */
const rawBody = fc.oneof(
  { weight: 1, arbitrary: deepBody.map((b) => b.body) },
  { weight: 4, arbitrary: jsonBody.map((v) => JSON.stringify(v)) },
  { weight: 1, arbitrary: jsonBody.map((v) => JSON.stringify(v).slice(0, -1)) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '',
      '{',
      '[',
      'null',
      '"x"',
      '{"type":"echo",}',
      '\u0000',
      '{"__proto__":{"type":"echo"}}',
      '{"constructor":{"prototype":{"x":1}}}',
    ),
  },
  { weight: 1, arbitrary: anyText },
);

const contentType = fc.constantFrom(
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=latin1',
  'application/json; charset=nope',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/*+json',
  'garbage',
);

/** Mostly absent: when present, usually the header value that makes the request fail. */
const sometimes = <T>(arb: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 5, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: arb });

const headers = fc.record({
  'content-type': fc.oneof(
    { weight: 4, arbitrary: fc.constant('application/json') },
    { weight: 2, arbitrary: contentType },
  ),
  accept: sometimes(
    fc.constantFrom('*/*', 'text/html', 'application/xml', 'text/event-stream', ''),
  ),
  authorization: sometimes(printable),
  'content-encoding': sometimes(fc.constantFrom('gzip', 'deflate', 'br', 'identity', 'bogus')),
  'x-forwarded-for': sometimes(printable),
  'if-none-match': sometimes(printable),
});

const fuzzRequest = fc.record({
  route: fc.integer({ min: 0, max: 10_000 }),
  segments: fc.array(segment, { minLength: 2, maxLength: 2 }),
  query,
  headers,
  body: fc.option(rawBody, { nil: undefined }),
});

type FuzzRequest = typeof fuzzRequest extends fc.Arbitrary<infer T> ? T : never;

async function send(r: FuzzRequest) {
  const route = routes[r.route % routes.length];
  let i = 0;
  const path = route.path.replace(/:[a-z]+/g, () => {
    const s = r.segments[i++ % r.segments.length];
    return s === '<known>' ? knownIds[r.route % knownIds.length] : s;
  });
  const url = r.query ? `${path}?${r.query}` : path;
  const agent = request(h.http) as unknown as Record<string, (url: string) => request.Test>;
  let req = agent[route.method.toLowerCase()](url).timeout(30_000);
  for (const [k, v] of Object.entries(r.headers)) if (v !== undefined) req = req.set(k, v);
  if (r.body !== undefined && route.method !== 'GET' && route.method !== 'HEAD') {
    req = req.send(r.body);
  }
  const res = await req.ok(() => true);
  return { route, url, res };
}

// ---- properties ---------------------------------------------------------------------------

it('any request on any route: never a 5xx, and no task but those a 202 announces', async () => {
  await fc.assert(
    fc.asyncProperty(fuzzRequest, async (r) => {
      const before = await total();
      const { route, url, res } = await send(r);
      const fresh = newIds(res.status, res.body);
      const after = await total();
      const where = `${route.method} ${url} -> ${res.status} ${JSON.stringify(res.body)?.slice(0, 300)}`;
      expect([where, res.status < 500]).toEqual([where, true]);
      expect([where, after - before]).toEqual([where, fresh.length]);
    }),
    { seed: SEED, numRuns: runs(400) },
  );
});

/** One way to break an otherwise valid item. */
const breakage = fc.oneof(
  fc.record({
    field: fc.constant('type'),
    value: fc.oneof(
      fc.constantFrom('', 'a b', 'a'.repeat(65), 'é', 'x/y', 'x\n'),
      fc.integer(),
      fc.constant(null),
      fc.array(fc.constant('echo'), { minLength: 1, maxLength: 2 }),
    ),
  }),
  fc.record({
    field: fc.constantFrom('maxAttempts'),
    value: fc.oneof(fc.constantFrom(0, -1, 101, 1.5, '3', null, true), fc.integer({ min: 101 })),
  }),
  fc.record({
    field: fc.constantFrom('timeoutMs', 'backoffMs'),
    value: fc.constantFrom(-1, 1.5, '10', 24 * 3600 * 1000 + 1, null, [], {}),
  }),
  fc.record({
    field: fc.constant('delayMs'),
    value: fc.constantFrom(-1, 0.5, '0', 365 * 24 * 3600 * 1000 + 1, null, false),
  }),
  fc.record({
    field: fc.constant('idempotencyKey'),
    value: fc.constantFrom('', 'k'.repeat(257), 7, null, ['k']),
  }),
  fc.record({
    field: fc
      .stringMatching(/^[a-z]{1,12}$/)
      .filter(
        (k) =>
          ![
            'type',
            'payload',
            'maxattempts',
            'timeoutms',
            'delayms',
            'backoffms',
            'idempotencykey',
          ].includes(k.toLowerCase()),
      ),
    value: fc.jsonValue({ maxDepth: 1 }),
  }),
  fc.record({ field: fc.constant('-drop-type'), value: fc.constant(null) }),
);

function broken(item: Record<string, unknown>, b: { field: string; value: unknown }) {
  const copy: Record<string, unknown> = { ...item };
  if (b.field === '-drop-type') delete copy.type;
  else copy[b.field] = b.value;
  return copy;
}

const invalidSubmit = fc.oneof(
  fc
    .tuple(validItem, breakage)
    .map(([item, b]) => ({ path: '/tasks', body: broken(item, b) as object })),
  fc
    .tuple(fc.array(validItem, { maxLength: 5 }), fc.nat(), validItem, breakage)
    .map(([good, at, item, b]) => {
      const items: object[] = [...good];
      items.splice(at % (good.length + 1), 0, broken(item, b));
      return { path: '/tasks/batch', body: { tasks: items } as object };
    }),
  fc.constantFrom(
    { path: '/tasks/batch', body: { tasks: [] } },
    { path: '/tasks/batch', body: { tasks: 'echo' } },
    { path: '/tasks/batch', body: {} },
    { path: '/tasks/batch', body: { tasks: [{ type: 'echo' }], extra: 1 } },
    {
      path: '/tasks/batch',
      body: { tasks: Array.from({ length: 1001 }, () => ({ type: 'echo' })) },
    },
    { path: '/tasks', body: [] },
    { path: '/tasks', body: {} },
  ),
);

it('an invalid submission is refused with 400 and queues nothing, not even its valid items', async () => {
  await fc.assert(
    fc.asyncProperty(invalidSubmit, async ({ path, body }) => {
      const before = await total();
      const res = await request(h.http)
        .post(path)
        .send(body)
        .ok(() => true);
      const after = await total();
      const where = `POST ${path} ${JSON.stringify(body).slice(0, 300)} -> ${res.status} ${JSON.stringify(res.body)}`;
      expect([where, res.status]).toEqual([where, 400]);
      expect([where, after]).toEqual([where, before]);
    }),
    { seed: SEED, numRuns: runs(150) },
  );
});

it('a valid submission is queued exactly once per item, as sent', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(validItem, { minLength: 1, maxLength: 5 }),
      fc.boolean(),
      async (items, batch) => {
        const before = await total();
        const res = batch
          ? await request(h.http).post('/tasks/batch').send({ tasks: items })
          : await request(h.http).post('/tasks').send(items[0]);
        const sent = batch ? items : [items[0]];
        expect(res.status).toBe(202);
        const ids = newIds(res.status, res.body);
        expect(ids).toHaveLength(sent.length);
        expect(await total()).toBe(before + sent.length);
        for (const [i, id] of ids.entries()) {
          const got = await request(h.http).get(`/tasks/${id}`).expect(200);
          expect(got.body).toMatchObject({ id, type: sent[i].type, state: 'queued' });
          expect(got.body.payload ?? null).toEqual(sent[i].payload ?? null);
        }
      },
    ),
    { seed: SEED, numRuns: runs(40) },
  );
});

it('a deeply nested body (arrays, objects, up to 5,000 levels) is a 400 or a 202, never a 5xx', async () => {
  await fc.assert(
    fc.asyncProperty(deepBody, async ({ path, body, depth }) => {
      const before = await total();
      const res = await request(h.http)
        .post(path)
        .set('Content-Type', 'application/json')
        .send(body)
        .ok(() => true);
      const fresh = newIds(res.status, res.body);
      const after = await total();
      const where = `POST ${path} (${depth} levels) ${body.slice(0, 120)} -> ${res.status} ${JSON.stringify(res.body)?.slice(0, 300)}`;
      expect([where, [202, 400].includes(res.status)]).toEqual([where, true]);
      if (depth > 100)
        expect([where, res.body]).toEqual([
          where,
          {
            statusCode: 400,
            error: 'Bad Request',
            message: 'request body is nested deeper than 100 levels',
          },
        ]);
      expect([where, after - before]).toEqual([where, fresh.length]);
    }),
    { seed: SEED, numRuns: runs(120) },
  );
  // And the app still serves.
  await request(h.http).post('/tasks').send({ type: 'echo' }).expect(202);
});
