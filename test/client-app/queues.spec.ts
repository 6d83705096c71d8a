import request from 'supertest';
import { clientAppPerFile } from './support/client-app-harness';
import { waitFor } from '../support/wait-for';

// The /queues endpoints end to end: the real client app on an embedded ZooKeeper, with the
// harness's master enforcing the settings and its worker (w1, the test handlers) running tasks.

const h = clientAppPerFile();

const api = () => request(h.http);

describe('/queues', () => {
  it('GET of a type without settings answers the defaults and its live workers', async () => {
    const res = await api().get('/queues/echo').expect(200);
    expect(res.body).toMatchObject({
      type: 'echo',
      paused: false,
      concurrency: null,
      rateLimit: null,
      groupConcurrency: null,
      workers: 1,
    });
    expect((await api().get('/queues/nobody-runs-this').expect(200)).body).toMatchObject({
      workers: 0,
    });
  });

  it('PUT changes fields one at a time, null clears; GET /queues lists it', async () => {
    await api().put('/queues/rest-q').send({ paused: true }).expect(200);
    const res = await api()
      .put('/queues/rest-q')
      .send({ concurrency: 2, rateLimit: { max: 5, perMs: 1000 }, groupConcurrency: 3 })
      .expect(200);
    expect(res.body).toMatchObject({
      type: 'rest-q',
      paused: true,
      concurrency: 2,
      rateLimit: { max: 5, perMs: 1000 },
      groupConcurrency: 3,
      workers: 0,
    });
    await api()
      .put('/queues/rest-q')
      .send({ concurrency: null, groupConcurrency: null })
      .expect(200);
    const list = (await api().get('/queues').expect(200)).body as { items: { type: string }[] };
    expect(list.items.find((q) => q.type === 'rest-q')).toMatchObject({
      type: 'rest-q',
      paused: true,
      concurrency: null,
      rateLimit: { max: 5, perMs: 1000 },
      groupConcurrency: null,
      workers: 0,
    });
    expect(list.items.map((q) => q.type)).toContain('echo');
  });

  it('a paused type holds its tasks until resumed', async () => {
    await api().put('/queues/echo').send({ paused: true }).expect(200);
    const { id } = (
      await api()
        .post('/tasks')
        .send({ type: 'echo', payload: { a: 1 } })
        .expect(202)
    ).body as { id: string };
    await new Promise((r) => setTimeout(r, 500));
    expect((await api().get(`/tasks/${id}`).expect(200)).body).toMatchObject({ state: 'queued' });
    await api().put('/queues/echo').send({ paused: false }).expect(200);
    await waitFor('done after resume', async () => {
      const body = (await api().get(`/tasks/${id}`).expect(200)).body as { state: string };
      return body.state === 'done';
    });
  });

  it('shows how many tasks of each type are queued and running, as the leader counted them', async () => {
    // A type nobody serves: its tasks stay queued, and /queues lists it with the count.
    await api()
      .post('/tasks/batch')
      .send({ tasks: [1, 2, 3].map((n) => ({ type: 'nobody-serves', payload: n })) })
      .expect(202);
    const counted = await waitFor('the leader to count them', async () => {
      const body = (await api().get('/queues/nobody-serves').expect(200)).body as {
        queued: number | null;
        countedAt: unknown;
      };
      return body.queued === 3 ? body : undefined;
    });
    expect(counted).toMatchObject({ workers: 0, running: 0, queued: 3, unclassified: 0 });
    expect(typeof counted.countedAt).toBe('string');
    const list = (await api().get('/queues').expect(200)).body as { items: { type: string }[] };
    expect(list.items.find((q) => q.type === 'nobody-serves')).toMatchObject({ queued: 3 });
    // A running task is counted as running.
    const { id } = (
      await api()
        .post('/tasks')
        .send({ type: 'sleep', payload: { ms: 3000 } })
        .expect(202)
    ).body as { id: string };
    await waitFor('sleep counted as running', async () => {
      const body = (await api().get('/queues/sleep').expect(200)).body as { running: number };
      return body.running === 1 || undefined;
    });
    await api().delete(`/tasks/${id}`).expect(200);
  });

  it('400 with a clear message for bad values, unknown fields and bad types', async () => {
    const bad = async (type: string, body: object, message: RegExp) => {
      const res = await api().put(`/queues/${type}`).send(body).expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
      expect(JSON.stringify(res.body.message)).toMatch(message);
    };
    await bad('q', { paused: 'yes' }, /paused must be a boolean/);
    await bad('q', { concurrency: 0 }, /concurrency must not be less than 1/);
    await bad('q', { concurrency: 1.5 }, /concurrency must be an integer/);
    await bad('q', { concurrency: 100_001 }, /concurrency must not be greater than 100000/);
    await bad('q', { rateLimit: { max: 0, perMs: 10 } }, /max must not be less than 1/);
    await bad('q', { rateLimit: { max: 1, perMs: 86_400_001 } }, /perMs must not be greater/);
    await bad('q', { rateLimit: { max: 1, perMs: 10, burst: 2 } }, /burst should not exist/);
    await bad('q', { rateLimit: 5 }, /rateLimit must be an object/);
    await bad('q', { groupConcurrency: 0 }, /groupConcurrency must not be less than 1/);
    await bad('q', { groupConcurrency: 'two' }, /groupConcurrency must be an integer/);
    await bad('q', { speed: 1 }, /property speed should not exist/);
    await bad('bad%20type', { paused: true }, /type must match/);
    const res = await api().get('/queues/bad%20type').expect(400);
    expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
  });

  it('answers types that are not znode names (. and ..) with 400, never 500', async () => {
    for (const type of ['..', '.', '%2e%2e']) {
      const res = await api().get(`/queues/${type}`);
      expect([type, res.status < 500]).toEqual([type, true]);
    }
    await api()
      .put('/queues/..')
      .send({ paused: true })
      .expect((res) => expect(res.status).toBeLessThan(500));
  });

  it('is in the OpenAPI document', async () => {
    const doc = (await api().get('/docs-json').expect(200)).body as {
      paths: Record<string, Record<string, unknown>>;
    };
    expect(Object.keys(doc.paths['/queues'])).toContain('get');
    expect(Object.keys(doc.paths['/queues/{type}']).sort()).toEqual(['get', 'put']);
  });
});
