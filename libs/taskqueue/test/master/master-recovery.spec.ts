import { OPEN_ACL_UNSAFE } from '@shepherd/zk-protocol';
import {
  TaskRecord,
  assignTransition,
  decodeRecord,
  newTaskId,
  newTaskRecord,
  paths,
  submitTransition,
} from '@shepherd/taskqueue';
import { TestCluster } from './support/cluster';
import { delay, waitFor } from '../../../../test/support/wait-for';

const cluster = TestCluster.perTest();

const events = (record: TaskRecord) => record.history.map((h) => h.event);

/** Writes an assignment by hand, as a previous leader would have (no fences: test setup). */
async function assignByHand(type: string, workerId: string, session: string, maxAttempts = 3) {
  const ctx = { acl: OPEN_ACL_UNSAFE, now: Date.now() };
  const record = newTaskRecord(newTaskId(), type, { n: 1 }, { maxAttempts }, ctx.now);
  await cluster.admin.multi(submitTransition(ctx, record).ops);
  await cluster.admin.create(paths.assignRoot(workerId)).catch(() => undefined);
  await cluster.admin.multi(assignTransition(ctx, record, 0, { workerId, session }).ops);
  return record.id;
}

describe('Master: recovery', () => {
  it("moves a lost worker's tasks back to /tasks at once, attempt counted, history reassigned", async () => {
    const doomed = await cluster.worker('doomed', { concurrency: 3 });
    const ids = await cluster.submit('echo', 3);
    const master = await cluster.master('m1');
    await master.start();
    await waitFor('three tasks assigned', async () => (await doomed.assignments()).length === 3);

    await doomed.close();
    await waitFor('tasks back in /tasks', async () => (await cluster.queued()).length === 3);
    for (const id of ids) {
      const found = await cluster.find(id);
      expect(found.area).toBe('tasks');
      expect(found.record).toMatchObject({ state: 'queued', attempts: 1, worker: 'doomed' });
      expect(events(found.record)).toEqual(['queued', 'assigned', 'reassigned']);
    }
    expect(master.stats().recovered).toBe(3);
    // The empty /assign directory of the gone worker is removed.
    await waitFor(
      'assign dir removed',
      async () => (await cluster.admin.exists(paths.assignRoot('doomed'))) === null,
    );

    // A new worker gets them: attempt 2.
    const next = await cluster.worker('next', { concurrency: 3 });
    await waitFor('reassigned', async () => (await next.assignments()).length === 3);
    expect((await next.record(ids[0])).record.attempts).toBe(2);
  });

  it('sends a task whose attempts are spent to /dead when its worker is lost', async () => {
    const w = await cluster.worker('w', { concurrency: 1 });
    const [id] = await cluster.submit('echo', 1, { maxAttempts: 1 });
    const master = await cluster.master('m1');
    await master.start();
    await waitFor('assigned', async () => (await w.assignments()).includes(id));
    await w.close();
    const found = await waitFor('dead', async () => {
      const f = await cluster.find(id);
      return f.area === 'dead' ? f : undefined;
    });
    expect(found.record).toMatchObject({ state: 'dead', attempts: 1 });
    expect(events(found.record)).toEqual(['queued', 'assigned', 'reassigned', 'dead']);
  });

  it('recovers the tasks of a restarted worker (same id, new session) and gives it new ones', async () => {
    const first = await cluster.worker('w', { concurrency: 2 });
    const ids = await cluster.submit('echo', 2);
    const master = await cluster.master('m1');
    await master.start();
    await waitFor('assigned', async () => (await first.assignments()).length === 2);
    const oldSession = first.session;
    await first.close();
    const second = await cluster.worker('w', { concurrency: 2 });
    await waitFor('assigned to the new incarnation', async () => {
      for (const id of ids) {
        const f = await cluster.find(id);
        if (f.area !== 'assign' || f.record.workerSession !== second.session) return false;
      }
      return true;
    });
    const { record } = await second.record(ids[0]);
    expect(record.attempts).toBe(2);
    expect(record.workerSession).not.toBe(oldSession);
    expect(events(record)).toEqual(['queued', 'assigned', 'reassigned', 'assigned']);
  });

  it('on takeover recovers orphaned assignments first, and keeps valid ones', async () => {
    const live = await cluster.worker('live', { concurrency: 2, types: ['echo'] });
    // A worker that died while no master ran: its task type nobody runs now, so it stays queued.
    const ghostTask = await assignByHand('other', 'ghost', 'dead5e55', 3);
    // An assignment to a previous incarnation of a live worker.
    const staleTask = await assignByHand('echo', 'live', 'abc123', 3);
    // A valid assignment to the live worker: left alone.
    const validTask = await assignByHand('echo', 'live', live.session, 3);

    const master = await cluster.master('m1');
    await master.start();
    await waitFor(
      'ghost task queued',
      async () => (await cluster.find(ghostTask)).area === 'tasks',
    );
    const ghost = await cluster.find(ghostTask);
    expect(events(ghost.record)).toEqual(['queued', 'assigned', 'reassigned']);
    expect(ghost.record.attempts).toBe(1);
    await waitFor(
      'ghost assign dir removed',
      async () => (await cluster.admin.exists(paths.assignRoot('ghost'))) === null,
    );

    // The stale one was recovered, then assigned again to the live incarnation.
    await waitFor('stale task reassigned to the live worker', async () => {
      const f = await cluster.find(staleTask);
      return f.area === 'assign' && f.record.workerSession === live.session;
    });
    expect(events((await cluster.find(staleTask)).record)).toEqual([
      'queued',
      'assigned',
      'reassigned',
      'assigned',
    ]);
    const valid = await cluster.find(validTask);
    expect(valid.area).toBe('assign');
    expect(events(valid.record)).toEqual(['queued', 'assigned']);
    expect(master.stats().recovered).toBe(2);
  });

  it('finishes a half-done recovery: an orphan past its attempts goes to /dead on takeover', async () => {
    const id = await assignByHand('echo', 'gone', 'feed', 1);
    const master = await cluster.master('m1');
    await master.start();
    await waitFor('dead', async () => (await cluster.find(id)).area === 'dead');
    await delay(100);
    expect(await cluster.admin.exists(paths.assignment('gone', id))).toBeNull();
    const { data } = await cluster.admin.getData(paths.dead(id));
    expect(decodeRecord(data, paths.dead(id)).state).toBe('dead');
  });
});
