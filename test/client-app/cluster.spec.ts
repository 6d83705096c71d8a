import request from 'supertest';
import { ZkServer } from '@shepherd/zk-server';
import { ClientAppHarness, startZkServer } from './support/client-app-harness';
import { parsePrometheusText, valueOf } from './support/prometheus-text';
import { SseReader } from '../support/sse-reader';
import { waitFor } from '../support/wait-for';

// The cluster-wide endpoints end to end: /workers, /masters, /stats, /metrics, /health,
// /events and the OpenAPI document, with a master and a worker in this process.

let server: ZkServer;
let h: ClientAppHarness;
const readers: SseReader[] = [];

beforeAll(async () => {
  server = await startZkServer();
  h = await ClientAppHarness.start(server, { app: { sseHeartbeatMs: 200 } });
});
afterEach(() => {
  for (const r of readers.splice(0)) r.close();
});
afterAll(async () => {
  await h?.stop();
  await server?.stop();
});

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const api = () => request(h.http);

async function submit(body: object): Promise<string> {
  return ((await api().post('/tasks').send(body).expect(202)).body as { id: string }).id;
}

async function events(): Promise<SseReader> {
  const reader = await SseReader.open(`${h.url}/events`);
  readers.push(reader);
  return reader;
}

describe('GET /events', () => {
  it('streams task.queued, task.assigned and task.completed for a submitted task', async () => {
    const sse = await events();
    expect(sse.status).toBe(200);
    expect(sse.headers['content-type']).toMatch(/^text\/event-stream/);
    const id = await submit({ type: 'echo', payload: 'hi' });
    const completed = await sse.waitFor(
      'task.completed',
      (e) => e.data.taskId === id && e.event === 'task.completed',
    );
    const mine = sse.events.filter((e) => e.data.taskId === id).map((e) => e.event);
    expect(mine.indexOf('task.queued')).toBeGreaterThanOrEqual(0);
    expect(mine.indexOf('task.queued')).toBeLessThan(mine.indexOf('task.assigned'));
    expect(mine.indexOf('task.assigned')).toBeLessThan(mine.indexOf('task.completed'));
    expect(completed.data).toMatchObject({
      type: 'task.completed',
      at: expect.stringMatching(ISO),
      taskId: id,
      taskType: 'echo',
      state: 'done',
      workerId: 'w1',
      attempts: 1,
    });
    const assigned = sse.events.find((e) => e.event === 'task.assigned' && e.data.taskId === id);
    expect(assigned?.data).toMatchObject({ workerId: 'w1', state: 'assigned' });
  });

  it('sends a comment line as a heartbeat', async () => {
    const sse = await events();
    await waitFor('a heartbeat', () => sse.comments.includes('heartbeat'), { timeoutMs: 5000 });
  });

  it('streams worker.joined and worker.left', async () => {
    const sse = await events();
    await h.startWorker('w-events');
    await sse.waitFor(
      'worker.joined',
      (e) => e.event === 'worker.joined' && e.data.workerId === 'w-events',
    );
    await h.stopWorker('w-events');
    await sse.waitFor(
      'worker.left',
      (e) => e.event === 'worker.left' && e.data.workerId === 'w-events',
    );
  });

  it('shows a lost worker’s task reassigned, in the stream, the history and the metrics', async () => {
    await h.stopWorker('w1');
    await h.startWorker('w2', 1);
    const sse = await events();
    const id = await submit({ type: 'sleep', payload: { ms: 1500 } });
    await waitFor('the sleep to run on w2', async () => {
      const { body } = await api().get(`/tasks/${id}`).expect(200);
      return body.state === 'running' && body.worker === 'w2';
    });
    await h.expireWorkerSession('w2');

    const reassigned = await sse.waitFor(
      'task.reassigned',
      (e) => e.event === 'task.reassigned' && e.data.taskId === id,
    );
    expect(reassigned.data).toMatchObject({ state: 'queued' });
    const done = (await api().get(`/tasks/${id}?wait=20`).expect(200)).body;
    expect(done.state).toBe('done');
    const history = done.history.map((e: { event: string }) => e.event);
    expect(history.filter((e: string) => e === 'reassigned')).toHaveLength(1);
    expect(history.slice(history.indexOf('reassigned'))).toEqual(
      expect.arrayContaining(['assigned', 'completed']),
    );
    const metrics = parsePrometheusText((await api().get('/metrics').expect(200)).text);
    expect(valueOf(metrics, 'shepherd_task_reassignments_total')).toBeGreaterThanOrEqual(1);

    await h.stopWorker('w2');
    await h.startWorker('w1');
  });
});

describe('GET /workers and GET /masters', () => {
  it('lists the live workers with the tasks they hold', async () => {
    const id = await submit({ type: 'sleep', payload: { ms: 30_000 } });
    const workers = await waitFor('w1 to hold the sleep', async () => {
      const { body } = await api().get('/workers').expect(200);
      return body.find((w: { running: string[] }) => w.running.includes(id)) && body;
    });
    expect(workers).toEqual([
      {
        id: 'w1',
        host: expect.any(String),
        pid: process.pid,
        concurrency: 4,
        prefetch: 1,
        types: ['echo', 'fail', 'sleep'],
        running: [id],
        since: expect.stringMatching(ISO),
        draining: false,
      },
    ]);
    await api().delete(`/tasks/${id}`).expect(200);
  });

  it('names the leader and the candidates in election order', async () => {
    const first = (await api().get('/masters').expect(200)).body;
    expect(first).toEqual({
      leader: 'm1',
      candidates: [
        {
          id: 'm1',
          node: expect.stringMatching(/^\/election\//),
          host: expect.any(String),
          pid: process.pid,
          since: expect.stringMatching(ISO),
        },
      ],
    });
    const backup = await h.connection().then(async (connection) => {
      const { Master } = await import('@shepherd/taskqueue');
      const m = new Master({ id: 'm2', connection });
      await m.start();
      return m;
    });
    const both = (await api().get('/masters').expect(200)).body;
    expect(both.leader).toBe('m1');
    expect(both.candidates.map((c: { id: string }) => c.id)).toEqual(['m1', 'm2']);
    await backup.stop();
  });
});

describe('GET /stats', () => {
  it('counts tasks by state, tallies what finished, and measures throughput and latency', async () => {
    const before = (await api().get('/stats').expect(200)).body;
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push(await submit({ type: 'echo', payload: i }));
    for (const id of ids) await api().get(`/tasks/${id}?wait=10`).expect(200);
    const delayed = await submit({ type: 'echo', delayMs: 60_000 });
    const sleeping = await submit({ type: 'sleep', payload: { ms: 30_000 } });
    const dead = await submit({ type: 'fail', payload: { times: 9 }, maxAttempts: 1 });
    await api().get(`/tasks/${dead}?wait=10`).expect(200);
    await waitFor('the sleep to run', async () => {
      const { body } = await api().get(`/tasks/${sleeping}`).expect(200);
      return body.state === 'running';
    });

    const stats = await waitFor('the stats to catch up', async () => {
      const { body } = await api().get('/stats').expect(200);
      return (
        body.counts.running === 1 &&
        body.finishedSinceStart.dead > before.finishedSinceStart.dead &&
        body
      );
    });
    expect(stats).toEqual({
      at: expect.stringMatching(ISO),
      counts: {
        waiting: 0,
        queued: expect.any(Number),
        assigned: 0,
        running: 1,
        finished: expect.any(Number),
        dead: expect.any(Number),
      },
      since: expect.stringMatching(ISO),
      finishedSinceStart: {
        done: expect.any(Number),
        failed: expect.any(Number),
        cancelled: expect.any(Number),
        dead: expect.any(Number),
      },
      workers: 1,
      masters: 1,
      leader: 'm1',
      throughput: {
        windowSeconds: 60,
        perSecond: expect.any(Array),
        total: expect.any(Number),
        ratePerSecond: expect.any(Number),
      },
      latency: {
        windowSeconds: 60,
        count: expect.any(Number),
        p50Ms: expect.any(Number),
        p99Ms: expect.any(Number),
      },
      // The delayed echo waits, but a worker serves its type.
      queuedTypesWithoutWorker: [],
    });
    expect(stats.counts.queued).toBeGreaterThanOrEqual(1);
    expect(stats.counts.finished).toBeGreaterThanOrEqual(before.counts.finished + 3);
    expect(stats.counts.dead).toBe(before.counts.dead + 1);
    expect(stats.finishedSinceStart.done).toBeGreaterThanOrEqual(
      before.finishedSinceStart.done + 3,
    );
    expect(stats.throughput.perSecond).toHaveLength(60);
    expect(stats.throughput.total).toBe(
      stats.throughput.perSecond.reduce((a: number, b: number) => a + b, 0),
    );
    expect(stats.throughput.total).toBeGreaterThanOrEqual(3);
    expect(stats.latency.p99Ms).toBeGreaterThanOrEqual(stats.latency.p50Ms);

    await api().delete(`/tasks/${delayed}`).expect(200);
    await api().delete(`/tasks/${sleeping}`).expect(200);
    // Counts are read at most once a second; the tallies follow the events.
    await waitFor('the cancels to be counted', async () => {
      const { body } = await api().get('/stats').expect(200);
      return (
        body.finishedSinceStart.cancelled === stats.finishedSinceStart.cancelled + 2 &&
        body.counts.running === 0
      );
    });
  });
});

describe('GET /metrics', () => {
  it('answers Prometheus text with the tasks, workers, masters, latency and session', async () => {
    const id = await submit({ type: 'echo' });
    await api().get(`/tasks/${id}?wait=10`).expect(200);
    const res = await api().get('/metrics').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const m = parsePrometheusText(res.text);
    expect(m.types.get('shepherd_tasks')).toBe('gauge');
    expect(m.types.get('shepherd_task_latency_seconds')).toBe('histogram');
    expect(m.types.get('shepherd_tasks_finished_total')).toBe('counter');
    expect(m.types.get('shepherd_task_reassignments_total')).toBe('counter');
    for (const state of ['queued', 'assigned', 'running', 'finished', 'dead'])
      expect(valueOf(m, 'shepherd_tasks', { state })).toEqual(expect.any(Number));
    expect(valueOf(m, 'shepherd_tasks', { state: 'finished' })).toBeGreaterThanOrEqual(1);
    expect(valueOf(m, 'shepherd_workers')).toBe(1);
    expect(valueOf(m, 'shepherd_masters')).toBe(1);
    expect(valueOf(m, 'shepherd_zookeeper_connected')).toBe(1);
    expect(valueOf(m, 'shepherd_zookeeper_sessions_total')).toBe(1);
    expect(valueOf(m, 'shepherd_tasks_finished_total', { state: 'done' })).toBeGreaterThanOrEqual(
      1,
    );
    expect(valueOf(m, 'shepherd_task_latency_seconds_count')).toBeGreaterThanOrEqual(1);
    expect(valueOf(m, 'shepherd_task_latency_seconds_bucket', { le: '+Inf' })).toBe(
      valueOf(m, 'shepherd_task_latency_seconds_count'),
    );
    expect(valueOf(m, 'process_cpu_user_seconds_total')).toEqual(expect.any(Number));
  });

  it('answers queue depth per type and outcomes per type and outcome', async () => {
    // A type no worker serves stays queued: the leader's counts (published about once a
    // second) show it.
    await submit({ type: 'nobody.serves' });
    const id = await submit({ type: 'echo' });
    await api().get(`/tasks/${id}?wait=10`).expect(200);
    const m = await waitFor('the leader to count it', async () => {
      const parsed = parsePrometheusText((await api().get('/metrics').expect(200)).text);
      return (valueOf(parsed, 'shepherd_queue_depth', { type: 'nobody.serves', state: 'queued' }) ??
        0) >= 1
        ? parsed
        : undefined;
    });
    expect(m.types.get('shepherd_queue_depth')).toBe('gauge');
    expect(valueOf(m, 'shepherd_queue_depth', { type: '', state: 'unclassified' })).toBe(0);
    expect(m.types.get('shepherd_task_outcomes_total')).toBe('counter');
    expect(
      valueOf(m, 'shepherd_task_outcomes_total', { type: 'echo', outcome: 'done' }),
    ).toBeGreaterThanOrEqual(1);
  });
});

describe('GET /health', () => {
  it('answers 200 with the ZooKeeper session up', async () => {
    const res = await api().get('/health').expect(200);
    expect(res.body).toMatchObject({
      status: 'ok',
      info: { zookeeper: { status: 'up', state: 'CONNECTED', rttMs: expect.any(Number) } },
    });
  });
});

describe('OpenAPI', () => {
  it('serves the document at /docs-json with every path', async () => {
    const doc = (await api().get('/docs-json').expect(200)).body;
    expect(doc.openapi).toMatch(/^3\./);
    const ops = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(
      ([path, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(ops.sort()).toEqual(
      [
        'POST /tasks',
        'POST /tasks/batch',
        'GET /tasks',
        'GET /tasks/{id}',
        'DELETE /tasks/{id}',
        'POST /tasks/{id}/retry',
        'GET /workers',
        'GET /masters',
        'GET /stats',
        'GET /events',
        'GET /health',
        'GET /metrics',
        'POST /schedules',
        'GET /schedules',
        'GET /schedules/{name}',
        'PUT /schedules/{name}',
        'DELETE /schedules/{name}',
        'GET /queues',
        'GET /queues/{type}',
        'PUT /queues/{type}',
        'POST /flows',
        'GET /flows',
        'GET /flows/{id}',
        'POST /flows/{id}/cancel',
      ].sort(),
    );
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(Object.keys(doc.components.schemas)).toEqual(
      expect.arrayContaining(['SubmitTaskDto', 'TaskResponse', 'StatsResponse', 'WorkerResponse']),
    );
    expect(doc.paths['/tasks'].post.responses['202']).toBeDefined();
  });

  it('documents the flows: the DAG body, the created answer, the flow with its tasks', async () => {
    const doc = (await api().get('/docs-json').expect(200)).body;
    const schemas = doc.components.schemas;
    expect(Object.keys(schemas)).toEqual(
      expect.arrayContaining([
        'CreateFlowDto',
        'FlowTaskDto',
        'CancelFlowDto',
        'FlowCreatedResponse',
        'FlowResponse',
        'FlowTaskResponse',
        'FlowPageResponse',
      ]),
    );
    const task = schemas.FlowTaskDto;
    expect(task.required).toEqual(expect.arrayContaining(['key', 'type']));
    expect(Object.keys(task.properties)).toEqual(
      expect.arrayContaining(['key', 'type', 'payload', 'dependsOn', 'priority', 'delayMs']),
    );
    expect(task.properties.idempotencyKey).toBeUndefined();
    expect(schemas.CreateFlowDto.properties.tasks).toMatchObject({ maxItems: 500 });
    expect(schemas.CreateFlowDto.properties.onDependencyFailure.enum).toEqual(['cancel', 'run']);
    expect(schemas.FlowTaskResponse.properties.state.enum).toContain('waiting');
    const create = doc.paths['/flows'].post;
    expect(create.responses['201'].content['application/json'].schema.$ref).toBe(
      '#/components/schemas/FlowCreatedResponse',
    );
    expect(create.responses['400']).toBeDefined();
    expect(doc.paths['/flows/{id}'].get.responses['404']).toBeDefined();
    const list = doc.paths['/flows'].get;
    expect(list.responses['200'].content['application/json'].schema.$ref).toBe(
      '#/components/schemas/FlowPageResponse',
    );
    expect(list.responses['400']).toBeDefined();
    const limit = list.parameters.find((p: { name: string }) => p.name === 'limit');
    expect(limit).toMatchObject({ in: 'query', required: false });
    expect(limit.schema).toMatchObject({ minimum: 1, maximum: 100, default: 20 });
    expect(list.parameters.map((p: { name: string }) => p.name)).toContain('cursor');
    expect(schemas.FlowPageResponse.properties.items.items.$ref).toBe(
      '#/components/schemas/FlowResponse',
    );
    expect(doc.paths['/flows/{id}/cancel'].post.responses['200']).toBeDefined();
  });

  it('documents the limits, the submit warnings and queuedTypesWithoutWorker', async () => {
    const doc = (await api().get('/docs-json').expect(200)).body;
    const schemas = doc.components.schemas;
    const description = (schema: string, field: string) =>
      String(schemas[schema].properties[field].description);
    expect(description('TaskResponse', 'payload')).toMatch(/512 KiB as JSON.*100 levels/);
    expect(description('TaskResponse', 'result')).toMatch(
      /256 KiB as JSON.*fails the task at once/,
    );
    expect(description('TaskResponse', 'progress')).toMatch(/4 KiB as JSON/);
    expect(description('TaskErrorResponse', 'stack')).toMatch(/WORKER_ERROR_STACKS/);
    expect(description('SubmittedTaskResponse', 'warning')).toMatch(/no live worker/);
    expect(description('BatchItemResponse', 'warning')).toMatch(/no live worker/);
    expect(schemas.BatchResponse.required).toEqual(expect.arrayContaining(['ids', 'items']));
    expect(description('StatsResponse', 'queuedTypesWithoutWorker')).toMatch(/no live worker/);
    const submit = doc.paths['/tasks'].post;
    expect(submit.requestBody.description).toMatch(/512 KiB.*100 levels/);
    expect(submit.responses['202'].content['application/json'].schema.$ref).toBe(
      '#/components/schemas/SubmittedTaskResponse',
    );
    expect(submit.responses['400'].description).toMatch(/nested deeper than 100 levels/);
    expect(doc.paths['/tasks/batch'].post.requestBody.description).toMatch(/1 to 1000 tasks/);
  });

  it('serves Swagger UI at /docs from local files', async () => {
    const html = await api().get('/docs').expect(200).expect('Content-Type', /html/);
    expect(html.text).toContain('swagger-ui-bundle.js');
    expect(html.text).not.toMatch(/(src|href)="(https?:)?\/\//);
    await api().get('/docs/swagger-ui-bundle.js').expect(200);
    await api().get('/docs/swagger-ui-init.js').expect(200);
  });
});
