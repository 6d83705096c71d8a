import request from 'supertest';
import { ZkServer } from '@shepherd/zk-server';
import { ClientAppHarness, startZkServer } from './support/client-app-harness';
import { delay, waitFor } from '../support/wait-for';

// The /flows endpoints end to end: the real client app on an embedded ZooKeeper, with the
// harness's master releasing the flows' tasks and its worker running them (echo, sleep, fail).

let server: ZkServer;
let h: ClientAppHarness;

beforeAll(async () => {
  server = await startZkServer();
  h = await ClientAppHarness.start(server);
});
afterAll(async () => {
  await h?.stop();
  await server?.stop();
});

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const api = () => request(h.http);

interface FlowBody {
  id: string;
  state: string;
  createdAt: string;
  onDependencyFailure: string;
  cancelled?: { at: string; reason?: string };
  tasks: { key: string; id: string; type: string; state: string; dependsOn: string[] }[];
}

const flowOf = async (id: string) => (await api().get(`/flows/${id}`).expect(200)).body as FlowBody;
const states = (f: FlowBody) => Object.fromEntries(f.tasks.map((t) => [t.key, t.state]));

describe('/flows', () => {
  it('POST creates a flow (201 {id, tasks}); GET shows each task; dependents run after', async () => {
    const res = await api()
      .post('/flows')
      .send({
        tasks: [
          { key: 'a', type: 'echo', payload: { n: 1 } },
          { key: 'b', type: 'echo', payload: { n: 2 }, dependsOn: ['a'], priority: 3 },
          { key: 'c', type: 'echo', payload: { n: 3 }, dependsOn: ['a', 'b'], maxAttempts: 2 },
        ],
      })
      .expect(201);
    const created = res.body as { id: string; tasks: Record<string, string> };
    expect(created.id).toMatch(/^flow-[0-9a-z]{17}$/);
    expect(res.headers.location).toBe(`/flows/${created.id}`);
    expect(Object.keys(created.tasks).sort()).toEqual(['a', 'b', 'c']);
    for (const id of Object.values(created.tasks)) expect(id).toMatch(/^task-/);

    const first = await flowOf(created.id);
    expect(first).toMatchObject({
      id: created.id,
      onDependencyFailure: 'cancel',
      createdAt: expect.stringMatching(ISO),
    });
    expect(first.tasks.map((t) => [t.key, t.id, t.type, t.dependsOn])).toEqual([
      ['a', created.tasks.a, 'echo', []],
      ['b', created.tasks.b, 'echo', ['a']],
      ['c', created.tasks.c, 'echo', ['a', 'b']],
    ]);

    await waitFor('the flow done', async () => (await flowOf(created.id)).state === 'done');
    expect(states(await flowOf(created.id))).toEqual({ a: 'done', b: 'done', c: 'done' });
    const b = (await api().get(`/tasks/${created.tasks.b}`).expect(200)).body as {
      priority: number;
      result: unknown;
      history: { event: string }[];
      flow: unknown;
    };
    expect(b.priority).toBe(3);
    expect(b.flow).toEqual({ id: created.id, key: 'b', dependsOn: ['a'] });
    expect(b.result).toEqual({ n: 2 });
    expect(b.history.map((e) => e.event)).toEqual([
      'waiting',
      'queued',
      'assigned',
      'started',
      'completed',
    ]);
  });

  it('a failed dependency cancels its dependents; GET shows it', async () => {
    const res = await api()
      .post('/flows')
      .send({
        tasks: [
          { key: 'bad', type: 'fail', payload: { times: 5 }, maxAttempts: 1 },
          { key: 'next', type: 'echo', payload: {}, dependsOn: ['bad'] },
        ],
      })
      .expect(201);
    const { id, tasks } = res.body as { id: string; tasks: Record<string, string> };
    await waitFor('the flow ended', async () => (await flowOf(id)).state !== 'running');
    const flow = await flowOf(id);
    expect(flow.state).toBe('failed');
    expect(states(flow)).toEqual({ bad: 'dead', next: 'cancelled' });
    const next = (await api().get(`/tasks/${tasks.next}`).expect(200)).body as {
      history: { event: string; detail?: string }[];
    };
    expect(next.history.at(-1)).toMatchObject({
      event: 'cancelled',
      detail: `dependency bad (${tasks.bad}) ended dead`,
    });
  });

  it('POST /flows/:id/cancel cancels what has not ended, with or without a body', async () => {
    const res = await api()
      .post('/flows')
      .send({
        tasks: [
          { key: 'slow', type: 'sleep', payload: { ms: 30000 } },
          { key: 'after', type: 'echo', payload: {}, dependsOn: ['slow'] },
        ],
      })
      .expect(201);
    const { id } = res.body as { id: string };
    await waitFor('slow running', async () => states(await flowOf(id)).slow === 'running');
    const cancelled = (
      await api().post(`/flows/${id}/cancel`).send({ reason: 'enough' }).expect(200)
    ).body as FlowBody;
    expect(cancelled).toMatchObject({
      state: 'cancelled',
      cancelled: { at: expect.stringMatching(ISO), reason: 'enough' },
    });
    expect(states(cancelled)).toEqual({ slow: 'cancelled', after: 'cancelled' });
    // A flow whose first task no worker runs: GET shows it queued and its dependent waiting.
    const held = (
      await api()
        .post('/flows')
        .send({
          tasks: [
            { key: 'q', type: 'nobody' },
            { key: 'w', type: 'echo', dependsOn: ['q'] },
          ],
        })
        .expect(201)
    ).body as { id: string };
    expect(states(await flowOf(held.id))).toEqual({ q: 'queued', w: 'waiting' });
    const heldCancelled = (await api().post(`/flows/${held.id}/cancel`).send({}).expect(200))
      .body as FlowBody;
    expect(states(heldCancelled)).toEqual({ q: 'cancelled', w: 'cancelled' });
    expect(heldCancelled.cancelled?.reason).toBeUndefined();
    // Without a body, again: nothing left, same answer.
    const again = (await api().post(`/flows/${id}/cancel`).expect(200)).body as FlowBody;
    expect(again.state).toBe('cancelled');
  });

  it('400 with a clear message for a cycle, an unknown key and a malformed body', async () => {
    const bad = async (body: unknown, message: RegExp) => {
      const res = await api()
        .post('/flows')
        .send(body as object)
        .expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
      expect(JSON.stringify(res.body.message)).toMatch(message);
    };
    const t = (key: string, dependsOn?: string[]) => ({ key, type: 'echo', dependsOn });
    await bad({ tasks: [t('a', ['b']), t('b', ['a'])] }, /dependency cycle: a -> b -> a/);
    await bad({ tasks: [t('a', ['x'])] }, /depends on unknown key \\"x\\"/);
    await bad({ tasks: [t('a'), t('a')] }, /duplicate key \\"a\\"/);
    await bad({ tasks: [t('a', ['a'])] }, /depends on itself/);
    await bad({ tasks: [] }, /tasks must contain at least 1 elements/);
    await bad({}, /tasks/);
    await bad({ tasks: [{ type: 'echo' }] }, /key must be a string/);
    await bad({ tasks: [{ key: 'a b', type: 'echo' }] }, /key must match/);
    await bad({ tasks: [{ key: 'a', type: 'echo', idempotencyKey: 'k' }] }, /idempotencyKey/);
    await bad({ tasks: [{ key: 'a' }] }, /type must be a string/);
    await bad({ tasks: [t('a')], onDependencyFailure: 'maybe' }, /onDependencyFailure/);
    await bad({ tasks: [{ ...t('a'), dependsOn: 'b' }] }, /dependsOn/);
    // Nothing was created by any of them.
    const listed = (await api().get('/tasks?state=waiting').expect(200)).body as {
      items: unknown[];
    };
    expect(listed.items).toEqual([]);
  });

  it('GET /flows pages the flows newest first, each as GET /flows/:id shows it', async () => {
    const ids: string[] = [];
    for (let n = 0; n < 3; n++) {
      // Tasks no worker runs: their states hold still while the pages are compared.
      const res = await api()
        .post('/flows')
        .send({
          tasks: [
            { key: 'q', type: 'nobody', payload: { n } },
            { key: 'w', type: 'echo', dependsOn: ['q'] },
          ],
        })
        .expect(201);
      ids.push((res.body as { id: string }).id);
      await delay(3); // flow ids sort by creation time, to the millisecond
    }
    const newest = [...ids].reverse();
    type Page = { items: FlowBody[]; nextCursor?: string };
    const page = async (query: string) =>
      (await api().get(`/flows${query}`).expect(200)).body as Page;

    const first = await page('?limit=2');
    expect(first.items.map((f) => f.id)).toEqual(newest.slice(0, 2));
    expect(first.nextCursor).toBe(newest[1]);
    expect(first.items[0]).toEqual(await flowOf(newest[0]));
    expect(states(first.items[0])).toEqual({ q: 'queued', w: 'waiting' });
    const second = await page(`?limit=2&cursor=${first.nextCursor}`);
    expect(second.items[0].id).toBe(newest[2]);
    // The default page (20) holds every flow of this file (the earlier tests' too), newest first.
    const all = await page('');
    expect(all.items.slice(0, 3).map((f) => f.id)).toEqual(newest);
    const listed = all.items.map((f) => f.id);
    expect(listed).toEqual([...listed].sort().reverse());
    expect(all.nextCursor).toBeUndefined();
    // Paging one by one walks the same list.
    const walked: string[] = [];
    for (let cursor: string | undefined, n = 0; n === 0 || cursor !== undefined; n++) {
      const p = await page(`?limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      walked.push(...p.items.map((f) => f.id));
      cursor = p.nextCursor;
    }
    expect(walked).toEqual(listed);

    for (const id of ids) await api().post(`/flows/${id}/cancel`).expect(200);
    expect((await page('?limit=1')).items[0]).toMatchObject({ id: newest[0], state: 'cancelled' });
  });

  it('GET /flows: 400 for a bad limit or cursor', async () => {
    for (const limit of ['0', '101', '1.5', 'ten', '-1']) {
      const res = await api().get(`/flows?limit=${limit}`).expect(400);
      expect(JSON.stringify(res.body.message)).toMatch(/limit must/);
    }
    const res = await api().get('/flows?cursor=nope').expect(400);
    expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    expect(res.body.message).toMatch(/cursor must be a flow id/);
    await api().get('/flows?cursor=task-0rs0mx9a5efbk2x1qab1').expect(400);
    await api().get('/flows?limit=100').expect(200);
  });

  it('404 for an unknown flow, 400 for a malformed id', async () => {
    const unknown = 'flow-0000000000000000z';
    const nf = await api().get(`/flows/${unknown}`).expect(404);
    expect(nf.body).toEqual({
      statusCode: 404,
      error: 'Not Found',
      message: `flow ${unknown} not found`,
    });
    await api().post(`/flows/${unknown}/cancel`).expect(404);
    const bad = await api().get('/flows/nope').expect(400);
    expect(bad.body.message).toMatch(/flow id must be/);
    await api().post('/flows/..%2f/cancel').expect(400);
  });
});
