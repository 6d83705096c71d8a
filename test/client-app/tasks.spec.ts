import request from 'supertest';
import { TaskQueueClient, Worker } from '@shepherd/taskqueue';
import { priorityOf, readTask } from '@shepherd/taskqueue';
import { clientAppPerFile } from './support/client-app-harness';
import { waitFor } from '../support/wait-for';

// The /tasks endpoints end to end: the real client app (createClientApp) on an embedded
// ZooKeeper, with a master and a worker (echo, sleep, fail) in this process.

const h = clientAppPerFile();

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const api = () => request(h.http);

async function submit(body: object): Promise<Record<string, unknown> & { id: string }> {
  const res = await api().post('/tasks').send(body).expect(202);
  return res.body as Record<string, unknown> & { id: string };
}

async function stateOf(id: string): Promise<string> {
  return ((await api().get(`/tasks/${id}`).expect(200)).body as { state: string }).state;
}

describe('POST /tasks', () => {
  it('answers 202 with the task and a Location header, and the task runs', async () => {
    const res = await api()
      .post('/tasks')
      .send({ type: 'echo', payload: { hello: ['world', 1, null] } })
      .expect(202)
      .expect('Content-Type', /json/);
    const task = res.body as Record<string, unknown> & { id: string };
    expect(task.id).toMatch(/^task-[0-9a-z]{20}$/);
    expect(res.headers.location).toBe(`/tasks/${task.id}`);
    expect(task).toEqual({
      id: task.id,
      type: 'echo',
      state: 'queued',
      worker: null,
      attempts: 0,
      maxAttempts: 3,
      priority: 0,
      history: [{ at: expect.stringMatching(ISO), event: 'queued' }],
      payload: { hello: ['world', 1, null] },
      createdAt: expect.stringMatching(ISO),
      updatedAt: expect.stringMatching(ISO),
    });

    const done = (await api().get(`${res.headers.location}?wait=10`).expect(200)).body;
    expect(done).toMatchObject({
      id: task.id,
      state: 'done',
      worker: 'w1',
      attempts: 1,
      result: { hello: ['world', 1, null] },
      startedAt: expect.stringMatching(ISO),
      finishedAt: expect.stringMatching(ISO),
    });
    expect(done.history.map((e: { event: string }) => e.event)).toEqual([
      'queued',
      'assigned',
      'started',
      'completed',
    ]);
    expect(done.history[1]).toMatchObject({ worker: 'w1', at: expect.stringMatching(ISO) });
  });

  it('takes the options, and answers the first task again for a used idempotency key', async () => {
    const body = {
      type: 'echo',
      payload: 'x',
      maxAttempts: 5,
      timeoutMs: 60_000,
      delayMs: 60_000,
      backoffMs: 10,
      idempotencyKey: `key-${Date.now()}`,
    };
    const first = await submit(body);
    expect(first).toMatchObject({
      maxAttempts: 5,
      state: 'queued',
      notBefore: expect.stringMatching(ISO),
      idempotencyKey: body.idempotencyKey,
    });
    const again = await submit(body);
    expect(again.id).toBe(first.id);
    await api().delete(`/tasks/${first.id}`).expect(200);
  });

  it('takes a priority, and shows it in the task', async () => {
    for (const priority of [-1000, 7, 1000]) {
      const task = await submit({ type: 'echo', payload: priority, priority });
      expect(task).toMatchObject({ priority, state: 'queued' });
      expect(priorityOf(task.id)).toBe(priority);
      const done = (await api().get(`/tasks/${task.id}?wait=10`).expect(200)).body;
      expect(done).toMatchObject({ state: 'done', priority, result: priority });
    }
    const listed = (await api().get('/tasks?limit=3').expect(200)).body.items;
    expect(listed.map((t: { priority: number }) => t.priority)).toEqual([1000, 7, -1000]);
  });

  it('takes a group, and shows it in the task', async () => {
    const task = await submit({ type: 'echo', payload: 1, group: 'tenant-42' });
    expect(task).toMatchObject({ group: 'tenant-42', state: 'queued' });
    const done = (await api().get(`/tasks/${task.id}?wait=10`).expect(200)).body;
    expect(done).toMatchObject({ state: 'done', group: 'tenant-42' });
  });

  it('takes a task without a payload (null)', async () => {
    const task = await submit({ type: 'echo' });
    expect(task.payload).toBeNull();
  });

  it.each([
    ['an unknown field', { type: 'echo', color: 'red' }, 'property color should not exist'],
    ['a type that is not a string', { type: 5 }, 'type must be a string'],
    ['a missing type', { payload: 1 }, 'type must be a string'],
    [
      'a type with a space',
      { type: 'e cho' },
      'type must match [A-Za-z0-9._:-]{1,64}, not . or ..',
    ],
    [
      'a type of 65 characters',
      { type: 'a'.repeat(65) },
      'type must match [A-Za-z0-9._:-]{1,64}, not . or ..',
    ],
    [
      'maxAttempts as a string',
      { type: 'echo', maxAttempts: '3' },
      'maxAttempts must be an integer number',
    ],
    [
      'maxAttempts out of range',
      { type: 'echo', maxAttempts: 0 },
      'maxAttempts must not be less than 1',
    ],
    ['a fractional delay', { type: 'echo', delayMs: 1.5 }, 'delayMs must be an integer number'],
    [
      'an empty group',
      { type: 'echo', group: '' },
      'group must be longer than or equal to 1 characters',
    ],
    ['a group that is not a string', { type: 'echo', group: 7 }, 'group must be a string'],
    [
      'a group of 129 characters',
      { type: 'echo', group: 'g'.repeat(129) },
      'group must be shorter than or equal to 128 characters',
    ],
    [
      'a priority above 1000',
      { type: 'echo', priority: 1001 },
      'priority must not be greater than 1000',
    ],
    [
      'a priority below -1000',
      { type: 'echo', priority: -1001 },
      'priority must not be less than -1000',
    ],
    [
      'a fractional priority',
      { type: 'echo', priority: 1.5 },
      'priority must be an integer number',
    ],
    [
      'a priority as a word',
      { type: 'echo', priority: 'high' },
      'priority must be an integer number',
    ],
    [
      'a priority as a string',
      { type: 'echo', priority: '5' },
      'priority must be an integer number',
    ],
    [
      'an empty idempotency key',
      { type: 'echo', idempotencyKey: '' },
      'idempotencyKey must be longer than or equal to 1 characters',
    ],
  ])('answers 400 for %s', async (_what, body, message) => {
    const res = await api().post('/tasks').send(body).expect(400);
    expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    expect(res.body.message).toContain(message);
  });

  it('answers 400 for malformed JSON, which never reaches the handler', async () => {
    const before = await api().get('/stats').expect(200);
    const res = await api()
      .post('/tasks')
      .set('Content-Type', 'application/json')
      .send('{"type": "echo",')
      .expect(400);
    expect(res.body.message).toMatch(/^malformed JSON body: /);
    const after = await api().get('/stats').expect(200);
    expect(after.body.counts.queued).toBe(before.body.counts.queued);
  });

  it('answers 400 for a body that is not an object', async () => {
    await api()
      .post('/tasks')
      .send([{ type: 'echo' }])
      .expect(400);
    await api().post('/tasks').set('Content-Type', 'application/json').send('"echo"').expect(400);
    await api().post('/tasks').set('Content-Type', 'text/plain').send('echo').expect(400);
  });

  const nested = (levels: number, kind: 'array' | 'object') =>
    kind === 'array'
      ? '['.repeat(levels) + ']'.repeat(levels)
      : '{"a":'.repeat(levels - 1) + '{}' + '}'.repeat(levels - 1);
  const postJson = (path: string, text: string) =>
    api().post(path).set('Content-Type', 'application/json').send(text);

  it.each([['array'], ['object']] as const)(
    'answers 400 for a payload of %ss nested 2,000 levels deep (4 KB), and keeps serving',
    async (kind) => {
      for (const [path, body] of [
        ['/tasks', `{"type":"echo","payload":${nested(2000, kind)}}`],
        ['/tasks/batch', `{"tasks":[{"type":"echo","payload":${nested(2000, kind)}}]}`],
        ['/tasks', nested(5000, kind)],
      ]) {
        const res = await postJson(path, body).expect(400);
        expect(res.body).toEqual({
          statusCode: 400,
          error: 'Bad Request',
          message: 'request body is nested deeper than 100 levels',
        });
      }
      await submit({ type: 'echo', payload: 'still serving' });
    },
  );

  it('takes a body nested 100 levels, and refuses one of 101', async () => {
    // The body is level 1: its payload has 99 levels of its own.
    const ok = await postJson('/tasks', `{"type":"echo","payload":${nested(99, 'array')}}`);
    expect(ok.status).toBe(202);
    const deeper = await postJson('/tasks', `{"type":"echo","payload":${nested(100, 'object')}}`);
    expect(deeper.status).toBe(400);
    expect(deeper.body.message).toBe('request body is nested deeper than 100 levels');
  });

  it('answers 413 for a payload over 512 KiB', async () => {
    const res = await api()
      .post('/tasks')
      .send({ type: 'echo', payload: 'x'.repeat(512 * 1024) })
      .expect(413);
    expect(res.body).toEqual({
      statusCode: 413,
      error: 'Payload Too Large',
      message: 'payload is 524290 bytes; the limit is 524288 bytes',
    });
  });

  it('answers 413 for a body over 16 MiB', async () => {
    const res = await api()
      .post('/tasks')
      .send({ type: 'echo', payload: 'x'.repeat(16 * 1024 * 1024) })
      .expect(413);
    expect(res.body.message).toBe('request body is larger than the 16 MiB limit');
  });

  it('takes a payload just under the limit (a body over express’s default 100 KB)', async () => {
    const task = await submit({ type: 'echo', payload: 'x'.repeat(512 * 1024 - 2) });
    expect((task.payload as string).length).toBe(512 * 1024 - 2);
  });
});

describe('POST /tasks/batch', () => {
  it('answers 202 with the ids in order, and every task runs', async () => {
    const tasks = [1, 2, 3].map((n) => ({ type: 'echo', payload: { n } }));
    const res = await api().post('/tasks/batch').send({ tasks }).expect(202);
    expect(res.body).toEqual({
      ids: [expect.any(String), expect.any(String), expect.any(String)],
      items: (res.body.ids as string[]).map((id) => ({ id })),
    });
    const ids = res.body.ids as string[];
    expect([...ids].sort()).toEqual(ids);
    for (const [i, id] of ids.entries()) {
      const done = (await api().get(`/tasks/${id}?wait=10`).expect(200)).body;
      expect(done).toMatchObject({ state: 'done', result: { n: i + 1 } });
    }
  });

  it('takes a priority per item', async () => {
    const tasks = [-1, 0, 1].map((priority) => ({ type: 'echo', payload: priority, priority }));
    const res = await api().post('/tasks/batch').send({ tasks }).expect(202);
    const ids = res.body.ids as string[];
    expect(ids.map((id) => priorityOf(id))).toEqual([-1, 0, 1]);
    for (const [i, id] of ids.entries())
      expect((await api().get(`/tasks/${id}?wait=10`).expect(200)).body).toMatchObject({
        state: 'done',
        priority: i - 1,
      });
    const bad = await api()
      .post('/tasks/batch')
      .send({ tasks: [{ type: 'echo' }, { type: 'echo', priority: 2000 }] })
      .expect(400);
    expect(bad.body.message).toContain('tasks.1.priority must not be greater than 1000');
  });

  it('answers 400 for an invalid item, and queues none of them', async () => {
    const before = (await api().get('/tasks?limit=1000').expect(200)).body.items.length;
    const res = await api()
      .post('/tasks/batch')
      .send({ tasks: [{ type: 'echo' }, { type: 'bad type' }, { type: 'echo', extra: 1 }] })
      .expect(400);
    expect(res.body.message).toEqual(
      expect.arrayContaining([
        'tasks.1.type must match [A-Za-z0-9._:-]{1,64}, not . or ..',
        'tasks.2.property extra should not exist',
      ]),
    );
    const after = (await api().get('/tasks?limit=1000').expect(200)).body.items.length;
    expect(after).toBe(before);
  });

  it('answers 400 for more than 1,000 tasks, none, or no array', async () => {
    const many = Array.from({ length: 1001 }, () => ({ type: 'echo' }));
    const res = await api().post('/tasks/batch').send({ tasks: many }).expect(400);
    expect(res.body.message).toContain('tasks must contain no more than 1000 elements');
    await api().post('/tasks/batch').send({ tasks: [] }).expect(400);
    await api()
      .post('/tasks/batch')
      .send({ tasks: { type: 'echo' } })
      .expect(400);
    await api().post('/tasks/batch').send({}).expect(400);
  });

  it('answers 413 when one item’s payload is over 512 KiB', async () => {
    const res = await api()
      .post('/tasks/batch')
      .send({ tasks: [{ type: 'echo' }, { type: 'echo', payload: 'x'.repeat(600 * 1024) }] })
      .expect(413);
    expect(res.body.message).toMatch(/^items\[1\]: payload is \d+ bytes/);
  });

  it('takes 1,000 tasks in one call', async () => {
    const tasks = Array.from({ length: 1000 }, (_, n) => ({ type: 'echo', payload: { n } }));
    const res = await api().post('/tasks/batch').send({ tasks }).expect(202);
    expect(res.body.ids).toHaveLength(1000);
    expect(new Set(res.body.ids).size).toBe(1000);
  });
});

describe('GET /tasks/:id', () => {
  it('answers 404 for an unknown id and for a malformed one', async () => {
    const unknown = await api().get('/tasks/task-000000000aaaaaaaa').expect(404);
    expect(unknown.body).toEqual({
      statusCode: 404,
      error: 'Not Found',
      message: 'task task-000000000aaaaaaaa not found',
    });
    await api().get('/tasks/nope').expect(404);
    await api().get('/tasks/task-000000000aaaaaaaa?wait=1').expect(404);
  });

  it('answers the task as it is when ?wait runs out', async () => {
    const task = await submit({ type: 'sleep', payload: { ms: 3000 } });
    const started = Date.now();
    const res = await api().get(`/tasks/${task.id}?wait=0.5`).expect(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(450);
    expect(['queued', 'assigned', 'running']).toContain(res.body.state);
    await api().delete(`/tasks/${task.id}`).expect(200);
  });

  it.each([['61'], ['-1'], ['soon'], ['1e400']])('answers 400 for ?wait=%s', async (wait) => {
    const task = await submit({ type: 'echo' });
    const res = await api().get(`/tasks/${task.id}?wait=${wait}`).expect(400);
    expect(res.body.message).toEqual([expect.stringMatching(/^wait must /)]);
  });

  it('takes an empty ?wait= as no wait', async () => {
    const task = await submit({ type: 'echo', delayMs: 60_000 });
    await api().get(`/tasks/${task.id}?wait=`).expect(200);
    await api().delete(`/tasks/${task.id}`).expect(200);
  });

  it('answers 400 for an unknown query parameter', async () => {
    const task = await submit({ type: 'echo' });
    const res = await api().get(`/tasks/${task.id}?timeout=3`).expect(400);
    expect(res.body.message).toContain('property timeout should not exist');
  });
});

describe('GET /tasks', () => {
  it('pages newest first, filtered by state and type', async () => {
    const type = `page-${Date.now()}`;
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await submit({ type, payload: i, delayMs: 60_000 })).id);

    const first = (await api().get(`/tasks?type=${type}&limit=2`).expect(200)).body;
    expect(first.items.map((t: { id: string }) => t.id)).toEqual([ids[4], ids[3]]);
    expect(first.nextCursor).toBe(ids[3]);
    const second = (
      await api().get(`/tasks?type=${type}&limit=2&cursor=${first.nextCursor}`).expect(200)
    ).body;
    expect(second.items.map((t: { id: string }) => t.id)).toEqual([ids[2], ids[1]]);
    const last = (
      await api().get(`/tasks?type=${type}&limit=2&cursor=${second.nextCursor}`).expect(200)
    ).body;
    expect(last.items.map((t: { id: string }) => t.id)).toEqual([ids[0]]);
    expect(last.nextCursor).toBeUndefined();

    await api().delete(`/tasks/${ids[0]}`).expect(200);
    const queued = (await api().get(`/tasks?type=${type}&state=queued`).expect(200)).body;
    expect(queued.items).toHaveLength(4);
    const cancelled = (await api().get(`/tasks?type=${type}&state=cancelled`).expect(200)).body;
    expect(cancelled.items.map((t: { id: string }) => t.id)).toEqual([ids[0]]);
    for (const id of ids.slice(1)) await api().delete(`/tasks/${id}`).expect(200);
  });

  it.each([
    [
      'state=lost',
      'state must be one of: waiting, queued, assigned, running, done, failed, dead, cancelled',
    ],
    ['limit=0', 'limit must not be less than 1'],
    ['limit=1001', 'limit must not be greater than 1000'],
    ['limit=ten', 'limit must be an integer from 1 to 1000'],
    ['type=no%20spaces', 'type must match [A-Za-z0-9._:-]{1,64}, not . or ..'],
    ['cursor=nope', 'cursor must be a task id (the nextCursor of a previous page)'],
    ['order=asc', 'property order should not exist'],
  ])('answers 400 for ?%s', async (query, message) => {
    const res = await api().get(`/tasks?${query}`).expect(400);
    expect(([] as string[]).concat(res.body.message)).toContain(message);
  });
});

describe('DELETE /tasks/:id', () => {
  it('cancels a queued task (200), then answers 409 as it is terminal', async () => {
    const task = await submit({ type: 'echo', delayMs: 60_000 });
    const res = await api().delete(`/tasks/${task.id}`).expect(200);
    expect(res.body).toMatchObject({ id: task.id, state: 'cancelled' });
    expect(res.body.history.at(-1)).toMatchObject({ event: 'cancelled' });
    const again = await api().delete(`/tasks/${task.id}`).expect(409);
    expect(again.body).toEqual({
      statusCode: 409,
      error: 'Conflict',
      message: `cannot cancel task ${task.id}: it is cancelled`,
    });
  });

  it('cancels a running task; its handler is aborted', async () => {
    const task = await submit({ type: 'sleep', payload: { ms: 30_000 } });
    await waitFor('the sleep to run', async () => (await stateOf(task.id)) === 'running');
    const res = await api().delete(`/tasks/${task.id}`).expect(200);
    expect(res.body).toMatchObject({ state: 'cancelled', worker: 'w1' });
    await waitFor('w1 to let go of it', async () => {
      const [w1] = (await api().get('/workers').expect(200)).body;
      return !w1.running.includes(task.id);
    });
  });

  it('answers 409 for a done task and 404 for an unknown one', async () => {
    const task = await submit({ type: 'echo' });
    await api().get(`/tasks/${task.id}?wait=10`).expect(200);
    await api().delete(`/tasks/${task.id}`).expect(409);
    await api().delete('/tasks/task-000000000aaaaaaaa').expect(404);
    await api().delete('/tasks/bogus').expect(404);
  });
});

describe('POST /tasks/:id/retry', () => {
  it('queues a dead task again (202), attempts reset; 409 for one that is not dead or failed', async () => {
    const task = await submit({ type: 'fail', payload: { times: 99 }, maxAttempts: 1 });
    const dead = (await api().get(`/tasks/${task.id}?wait=10`).expect(200)).body;
    expect(dead).toMatchObject({ state: 'dead', attempts: 1, error: { message: 'fail #1' } });
    // Name and message only: the stack (the worker's file paths) stays in the worker's log.
    expect(dead.error).toEqual({ name: 'Error', message: 'fail #1' });

    const res = await api().post(`/tasks/${task.id}/retry`).expect(202);
    expect(res.body).toMatchObject({ id: task.id, state: 'queued', attempts: 0 });
    expect(res.body.history.at(-1)).toMatchObject({ event: 'redriven' });

    const queued = await submit({ type: 'echo', delayMs: 60_000 });
    const conflict = await api().post(`/tasks/${queued.id}/retry`).expect(409);
    expect(conflict.body.message).toBe(`cannot redrive task ${queued.id}: it is queued`);
    await api().delete(`/tasks/${queued.id}`).expect(200);
    await api().post('/tasks/task-000000000aaaaaaaa/retry').expect(404);
  });

  it('runs a task that failed an attempt again, up to its maxAttempts', async () => {
    const task = await submit({ type: 'fail', payload: { times: 1 }, backoffMs: 0 });
    const done = (await api().get(`/tasks/${task.id}?wait=15`).expect(200)).body;
    expect(done).toMatchObject({ state: 'done', attempts: 2, result: { attempt: 2 } });
    expect(done.history.map((e: { event: string }) => e.event)).toContain('retry-scheduled');
  });
});

describe('a task type no live worker serves', () => {
  const warning = (type: string) =>
    `no live worker serves type "${type}" yet: the task waits until one does`;

  it('is queued all the same, with a warning in the 202', async () => {
    const res = await api().post('/tasks').send({ type: 'resize', payload: 1 }).expect(202);
    expect(res.body).toMatchObject({ type: 'resize', state: 'queued', warning: warning('resize') });
    expect(res.headers.location).toBe(`/tasks/${res.body.id}`);
    // Only the answer to the submission says it; the task itself does not carry it.
    const got = await api().get(`/tasks/${res.body.id}`).expect(200);
    expect(got.body).toMatchObject({ state: 'queued' });
    expect(got.body).not.toHaveProperty('warning');
    expect(await submit({ type: 'echo' })).not.toHaveProperty('warning');
  });

  it('is warned about per item of a batch', async () => {
    const res = await api()
      .post('/tasks/batch')
      .send({ tasks: [{ type: 'echo' }, { type: 'resize' }, { type: 'thumbnail' }] })
      .expect(202);
    const [echo, resize, thumbnail] = res.body.ids as string[];
    expect(res.body.items).toEqual([
      { id: echo },
      { id: resize, warning: warning('resize') },
      { id: thumbnail, warning: warning('thumbnail') },
    ]);
  });

  it('lists the workers once for a burst of submissions, not once per request', async () => {
    const client = h.app.get(TaskQueueClient);
    const workers = jest.spyOn(client, 'workers');
    try {
      const answers = await Promise.all(
        Array.from({ length: 20 }, () => api().post('/tasks').send({ type: 'resize' })),
      );
      expect(answers.map((a) => [a.status, a.body.warning])).toEqual(
        answers.map(() => [202, warning('resize')]),
      );
      // Read at most once a second: a slow machine may need a second read, never twenty.
      expect(workers.mock.calls.length).toBeLessThanOrEqual(2);
    } finally {
      workers.mockRestore();
    }
  });

  it('is listed by /stats for the dashboard, until a worker for it registers', async () => {
    await submit({ type: 'resize' });
    const unserved = async () =>
      (await api().get('/stats').expect(200)).body.queuedTypesWithoutWorker as string[];
    await waitFor('/stats to list resize and thumbnail', async () => {
      const types = await unserved();
      return types.includes('resize') && types.includes('thumbnail');
    });
    expect(await unserved()).not.toContain('echo');

    const worker = new Worker({
      id: 'w-resize',
      connection: await h.connection(),
      handlers: { resize: (t) => t.payload ?? null },
      closeConnection: false,
    });
    await worker.start();
    try {
      // The worker list is cached for a second: then the warning goes, and /stats drops it.
      await waitFor('a resize task submitted without a warning', async () => {
        const res = await api().post('/tasks').send({ type: 'resize' }).expect(202);
        return res.body.warning === undefined;
      });
      await waitFor('/stats to drop resize', async () => !(await unserved()).includes('resize'));
      expect(await unserved()).toContain('thumbnail');
    } finally {
      await worker.stop({ graceMs: 0 });
    }
  });
});

describe('W3C Trace Context headers (no OpenTelemetry SDK in this process)', () => {
  const TRACEPARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

  /** The trace context stored in a task's record, read straight from the tree. */
  async function storedTrace(id: string): Promise<unknown> {
    const connection = await h.connection();
    return (await readTask(connection.client, id))?.record.trace;
  }

  it('carries traceparent and tracestate of POST /tasks into the task record', async () => {
    const res = await api()
      .post('/tasks')
      .set('traceparent', TRACEPARENT)
      .set('tracestate', 'congo=t61rcWkgMzE')
      .send({ type: 'echo', payload: 1 })
      .expect(202);
    const { id, traceId } = res.body as { id: string; traceId?: string };
    expect(await storedTrace(id)).toEqual({
      traceparent: TRACEPARENT,
      tracestate: 'congo=t61rcWkgMzE',
    });
    // What to look the task up by in a tracing backend, in the task itself.
    expect(traceId).toBe('0af7651916cd43dd8448eb211c80319c');
    expect((await api().get(`/tasks/${id}`).expect(200)).body).toMatchObject({ traceId });
  });

  it('carries it on POST /tasks/batch and POST /flows too', async () => {
    const batch = await api()
      .post('/tasks/batch')
      .set('traceparent', TRACEPARENT)
      .send({ tasks: [{ type: 'echo' }, { type: 'echo' }] })
      .expect(202);
    for (const id of (batch.body as { ids: string[] }).ids)
      expect(await storedTrace(id)).toEqual({ traceparent: TRACEPARENT });
    const flow = await api()
      .post('/flows')
      .set('traceparent', TRACEPARENT)
      .send({ tasks: [{ key: 'a', type: 'echo' }] })
      .expect(201);
    expect(await storedTrace((flow.body as { tasks: { a: string } }).tasks.a)).toEqual({
      traceparent: TRACEPARENT,
    });
  });

  it.each([
    ['not a traceparent', 'hello'],
    ['version ff', TRACEPARENT.replace(/^00/, 'ff')],
    ['an all-zero trace id', `00-${'0'.repeat(32)}-b7ad6b7169203331-01`],
  ])('ignores a header that is %s, as the spec asks: 202 and no trace', async (_name, header) => {
    const res = await api()
      .post('/tasks')
      .set('traceparent', header)
      .send({ type: 'echo' })
      .expect(202);
    expect(await storedTrace((res.body as { id: string }).id)).toBeUndefined();
    expect(res.body).not.toHaveProperty('traceId');
  });

  it('documents both headers on the submitting endpoints', async () => {
    const doc = (await api().get('/docs-json').expect(200)).body as {
      paths: Record<string, Record<string, { parameters?: { name: string; in: string }[] }>>;
    };
    for (const [path, method] of [
      ['/tasks', 'post'],
      ['/tasks/batch', 'post'],
      ['/flows', 'post'],
    ])
      expect(
        doc.paths[path][method].parameters?.filter((p) => p.in === 'header').map((p) => p.name),
      ).toEqual(expect.arrayContaining(['traceparent', 'tracestate']));
  });
});
