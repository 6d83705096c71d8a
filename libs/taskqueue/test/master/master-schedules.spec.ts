import { OPEN_ACL_UNSAFE } from '@shepherd/zk-protocol';
import { FenceError, Scheduler, TaskQueueClient, TaskView, paths } from '@shepherd/taskqueue';
import { TestCluster } from './support/cluster';
import { waitFor } from '../../../../test/support/wait-for';

const cluster = TestCluster.perTest();

async function client(): Promise<TaskQueueClient> {
  return new TaskQueueClient({ connection: await cluster.connection() });
}

/** Every task a schedule created, by fire time. */
async function scheduled(tasks: TaskQueueClient, name: string): Promise<TaskView[]> {
  const page = await tasks.list({ limit: 1000 });
  return page.items
    .filter((t) => t.schedule === name)
    .sort((a, b) => (a.scheduledFor ?? 0) - (b.scheduledFor ?? 0));
}

/** Fire times must be consecutive multiples of `every`, each with exactly one task. */
function expectEveryFireTimeOnce(views: TaskView[], every: number): void {
  const times = views.map((v) => v.scheduledFor!);
  expect(new Set(times).size).toBe(times.length); // no duplicates
  for (let i = 1; i < times.length; i++) expect(times[i] - times[i - 1]).toBe(every);
  for (const t of times) expect(t % every).toBe(0);
}

describe('Master: schedules', () => {
  it('fires an every-schedule once per fire time, with schedule and scheduledFor', async () => {
    const tasks = await client();
    const master = await cluster.master('a');
    await master.start();
    const created = await tasks.createSchedule({
      name: 'tick',
      every: 300,
      task: { type: 'echo', payload: { n: 1 }, maxAttempts: 2 },
    });
    expect(created.nextFireTimes).toHaveLength(5);
    await waitFor('5 tasks', async () => (await scheduled(tasks, 'tick')).length >= 5, {
      timeoutMs: 10_000,
    });
    const views = await scheduled(tasks, 'tick');
    expectEveryFireTimeOnce(views, 300);
    expect(views[0]).toMatchObject({
      type: 'echo',
      payload: { n: 1 },
      maxAttempts: 2,
      state: 'queued',
      schedule: 'tick',
      idempotencyKey: `schedule:tick:${views[0].scheduledFor}`,
    });
    const view = await tasks.schedule('tick');
    expect(view.lastTasks.length).toBeGreaterThanOrEqual(5);
    expect(view.lastTasks[0].scheduledFor).toBe(view.lastFireAt);
    expect(view.nextFireTimes[0]).toBeGreaterThan(view.lastFireAt!);
    expect((await tasks.schedules()).map((s) => s.name)).toEqual(['tick']);
    await master.stop();
  });

  it('pause stops firing, resume starts again; delete stops it for good', async () => {
    const tasks = await client();
    const master = await cluster.master('a');
    await master.start();
    await tasks.createSchedule({ name: 'p', every: 200, task: { type: 'echo', payload: null } });
    await waitFor('2 tasks', async () => (await scheduled(tasks, 'p')).length >= 2);
    const paused = await tasks.pauseSchedule('p');
    expect(paused.paused).toBe(true);
    expect(paused.nextFireTimes).toEqual([]);
    await new Promise((r) => setTimeout(r, 300)); // a pass in flight may still land
    const before = (await scheduled(tasks, 'p')).length;
    await new Promise((r) => setTimeout(r, 1000));
    expect((await scheduled(tasks, 'p')).length).toBe(before);

    await tasks.resumeSchedule('p');
    await waitFor('fires again', async () => (await scheduled(tasks, 'p')).length >= before + 2);
    await tasks.deleteSchedule('p');
    await expect(tasks.schedule('p')).rejects.toThrow(/not found/);
    await new Promise((r) => setTimeout(r, 300));
    const after = (await scheduled(tasks, 'p')).length;
    await new Promise((r) => setTimeout(r, 1000));
    expect((await scheduled(tasks, 'p')).length).toBe(after);
    const times = (await scheduled(tasks, 'p')).map((v) => v.scheduledFor);
    expect(new Set(times).size).toBe(times.length);
    await master.stop();
  });

  it('refuses bad schedules and duplicate names with clear errors', async () => {
    const tasks = await client();
    const task = { type: 'echo', payload: {} };
    await expect(tasks.createSchedule({ name: 'x', cron: 'nope', task })).rejects.toThrow(
      /invalid cron expression/,
    );
    await expect(
      tasks.createSchedule({ name: 'x', cron: '* * * * *', timezone: 'No/Where', task }),
    ).rejects.toThrow(/unknown time zone/);
    await expect(
      tasks.createSchedule({ name: 'x', cron: '* * * * *', every: 500, task }),
    ).rejects.toThrow(/not both/);
    await tasks.createSchedule({ name: 'x', cron: '0 0 * * *', task });
    await expect(tasks.createSchedule({ name: 'x', every: 500, task })).rejects.toThrow(
      /already exists/,
    );
    await expect(tasks.updateSchedule('missing', { paused: true })).rejects.toThrow(/not found/);
    await expect(tasks.deleteSchedule('missing')).rejects.toThrow(/not found/);
  });

  it('the leader is killed around fire times: the backup resumes, no fire time twice or lost', async () => {
    const tasks = await client();
    const a = await cluster.master('a');
    const b = await cluster.master('b');
    await a.start();
    await b.start();
    expect(a.isLeader).toBe(true);
    await tasks.createSchedule({ name: 'hb', every: 300, task: { type: 'echo', payload: 0 } });
    await waitFor('3 tasks', async () => (await scheduled(tasks, 'hb')).length >= 3);
    await cluster.expire(a); // killed: no resignation
    await waitFor('b leads', () => b.isLeader && !a.isLeader);
    const atTakeover = (await scheduled(tasks, 'hb')).length;
    await waitFor('b fires', async () => (await scheduled(tasks, 'hb')).length >= atTakeover + 3, {
      timeoutMs: 10_000,
    });
    // and back: b expires, a (on its new session) takes over
    await cluster.expire(b);
    await waitFor('a leads again', () => a.isLeader, { timeoutMs: 10_000 });
    const atSecond = (await scheduled(tasks, 'hb')).length;
    await waitFor('a fires', async () => (await scheduled(tasks, 'hb')).length >= atSecond + 3, {
      timeoutMs: 10_000,
    });
    await tasks.pauseSchedule('hb');
    await new Promise((r) => setTimeout(r, 300));
    // The gaps are shorter than MISSED_AFTER_MS: nothing was skipped, nothing doubled.
    expectEveryFireTimeOnce(await scheduled(tasks, 'hb'), 300);
  });

  it("missed 'once': one task for all the times missed while no master ran", async () => {
    const tasks = await client();
    await tasks.createSchedule({
      name: 'm',
      every: 200,
      missed: 'once',
      task: { type: 'echo', payload: 0 },
    });
    await new Promise((r) => setTimeout(r, 3000)); // no master: ~15 fire times pass
    const master = await cluster.master('a');
    await master.start();
    await waitFor('fires', async () => (await scheduled(tasks, 'm')).length >= 4);
    const times = (await scheduled(tasks, 'm')).map((v) => v.scheduledFor!);
    // one catch-up task, then the times still within MISSED_AFTER_MS, then on time
    expect(times.length).toBeLessThan(15);
    expect(new Set(times).size).toBe(times.length);
    await master.stop();
  });

  it('a deposed leader cannot fire: the fence refuses the multi', async () => {
    const tasks = await client();
    await tasks.createSchedule({
      name: 'f',
      every: 100_000,
      missed: 'once',
      task: { type: 'echo', payload: 0 },
    });
    const { stat } = await cluster.admin.getData(paths.schedule('f'));
    // A scheduler whose election node does not exist: its fire must be fenced off.
    const errors: unknown[] = [];
    const term = {
      client: cluster.admin,
      fence: [{ type: 'check' as const, path: '/election/_c_gone-n_0000000001', version: -1 }],
      active: true,
      options: {
        acl: OPEN_ACL_UNSAFE,
        clock: { now: () => Date.now() + 200_000, setTimeout, clearTimeout } as never,
        logger: { debug: () => undefined, info: () => undefined, warn: () => undefined },
      },
    };
    const scheduler = new Scheduler(term, (err) => errors.push(err));
    await expect(scheduler.runOnce()).rejects.toBeInstanceOf(FenceError);
    expect((await cluster.admin.getData(paths.schedule('f'))).stat.version).toBe(stat.version);
    expect(await scheduled(tasks, 'f')).toEqual([]);
  });
  it('two schedulers racing over the same fire times create one task per fire time', async () => {
    const tasks = await client();
    await tasks.createSchedule({
      name: 'race',
      every: 1000,
      task: { type: 'echo', payload: 0 },
    });
    const created = Date.now();
    const term = (client: typeof cluster.admin) => ({
      client,
      fence: [],
      active: true,
      options: {
        acl: OPEN_ACL_UNSAFE,
        // 1.5 s on: one or two fire times are due, none missed
        clock: { now: () => created + 1500, setTimeout, clearTimeout } as never,
        logger: { debug: () => undefined, info: () => undefined, warn: () => undefined },
      },
    });
    const other = (await cluster.connection()).client;
    const a = new Scheduler(term(cluster.admin), () => undefined);
    const b = new Scheduler(term(other), () => undefined);
    for (let i = 0; i < 3; i++) await Promise.all([a.runOnce(), b.runOnce()]);
    const views = await scheduled(tasks, 'race');
    const times = views.map((v) => v.scheduledFor);
    expect(views.length).toBeGreaterThanOrEqual(1);
    expect(new Set(times).size).toBe(times.length);
    expect(a.fired + b.fired).toBe(views.length);
  });
});
