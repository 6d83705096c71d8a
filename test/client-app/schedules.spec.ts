import request from 'supertest';
import { clientAppPerFile } from './support/client-app-harness';
import { waitFor } from '../support/wait-for';

// The /schedules endpoints end to end: the real client app on an embedded ZooKeeper, with the
// harness's master firing the schedules.

const h = clientAppPerFile();

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const api = () => request(h.http);

interface ScheduleBody {
  name: string;
  paused: boolean;
  nextFireTimes: string[];
  lastTasks: { id: string; scheduledFor: string }[];
  lastFireAt?: string;
}

describe('/schedules', () => {
  it('POST creates (201), the master fires it, GET shows next fire times and last tasks', async () => {
    const res = await api()
      .post('/schedules')
      .send({ name: 'rest-tick', every: 300, task: { type: 'echo', payload: { a: 1 } } })
      .expect(201);
    expect(res.headers.location).toBe('/schedules/rest-tick');
    expect(res.body).toMatchObject({
      name: 'rest-tick',
      every: 300,
      missed: 'skip',
      paused: false,
      task: { type: 'echo', payload: { a: 1 } },
      createdAt: expect.stringMatching(ISO),
      lastTasks: [],
    });
    expect((res.body as ScheduleBody).nextFireTimes).toHaveLength(5);

    await waitFor('two fire times', async () => {
      const body = (await api().get('/schedules/rest-tick').expect(200)).body as ScheduleBody;
      return body.lastTasks.length >= 2;
    });
    const view = (await api().get('/schedules/rest-tick').expect(200)).body as ScheduleBody;
    expect(view.lastFireAt).toMatch(ISO);
    const task = (await api().get(`/tasks/${view.lastTasks[0].id}`).expect(200)).body as Record<
      string,
      unknown
    >;
    expect(task).toMatchObject({
      type: 'echo',
      schedule: 'rest-tick',
      scheduledFor: view.lastTasks[0].scheduledFor,
    });
    const list = (await api().get('/schedules').expect(200)).body as { items: ScheduleBody[] };
    expect(list.items.map((s) => s.name)).toContain('rest-tick');

    const paused = (await api().put('/schedules/rest-tick').send({ paused: true }).expect(200))
      .body as ScheduleBody;
    expect(paused).toMatchObject({ paused: true, nextFireTimes: [] });
    await api().delete('/schedules/rest-tick').expect(204);
    await api().get('/schedules/rest-tick').expect(404);
  });

  it('answers names that are not znode names (. and ..) as unknown, never 500', async () => {
    // Found by the REST fuzzer: `..` matched the name pattern and reached ZooKeeper as a path.
    for (const name of ['..', '.', '%2e%2e']) {
      const res = await api().get(`/schedules/${name}`);
      expect([name, res.status < 500]).toEqual([name, true]);
    }
    await api()
      .delete('/schedules/..')
      .expect((res) => expect(res.status).toBeLessThan(500));
    const bad = await api()
      .post('/schedules')
      .send({ name: '..', every: 1000, task: { type: 'echo' } })
      .expect(400);
    expect(bad.body.message).toEqual(['name must match [A-Za-z0-9._:-]{1,64}, not . or ..']);
  });

  it('409 for a taken name; 400 with a clear message for bad input; 404 for none', async () => {
    const task = { type: 'echo', payload: {} };
    await api().post('/schedules').send({ name: 'rest-dup', cron: '0 0 * * *', task }).expect(201);
    const dup = await api()
      .post('/schedules')
      .send({ name: 'rest-dup', cron: '0 0 * * *', task })
      .expect(409);
    expect(dup.body).toEqual({
      statusCode: 409,
      error: 'Conflict',
      message: 'schedule rest-dup already exists',
    });
    const bad = async (body: object, message: RegExp) => {
      const res = await api().post('/schedules').send(body).expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
      expect(JSON.stringify(res.body.message)).toMatch(message);
    };
    await bad({ name: 'x', cron: '99 * * * *', task }, /invalid cron expression/);
    await bad({ name: 'x', cron: '0 9 * * *', timezone: 'Mars/Base', task }, /unknown time zone/);
    await bad({ name: 'x', cron: '* * * * *', every: 1000, task }, /not both/);
    await bad({ name: 'x', task }, /needs cron or every/);
    await bad({ name: 'x', every: 1000, task: { payload: 1 } }, /type/);
    await bad({ name: 'x y', every: 1000, task }, /name must match/);
    await bad({ name: 'x', every: 1000, missed: 'always', task }, /missed/);
    await api().put('/schedules/rest-dup').send({ cron: 'nope' }).expect(400);
    await api().put('/schedules/nope').send({ paused: true }).expect(404);
    await api().delete('/schedules/nope').expect(404);
  });
});
