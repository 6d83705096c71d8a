import { OPEN_ACL_UNSAFE } from '@shepherd/zk-protocol';
import {
  FenceError,
  ROOTS,
  assignTransition,
  commitBatch,
  decodeRecord,
  leaderFence,
  paths,
  workerFence,
} from '@shepherd/taskqueue';
import { FakeWorker, TestCluster } from './support/cluster';
import { Blackout, LossyTransports, WIRE_OP } from '../../../../test/support/lossy-transport';
import { waitFor } from '../../../../test/support/wait-for';

const cluster = TestCluster.perTest();

/**
 * Completes whatever is assigned to `worker` until stopped, recording every completion, so a
 * test can check that each task finished exactly once.
 */
function autoComplete(worker: FakeWorker) {
  const done: string[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      for (const id of await worker.assignments().catch(() => [])) {
        try {
          await worker.complete(id);
          done.push(id);
        } catch {
          // taken back meanwhile
        }
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  return {
    done,
    stop: async () => {
      running = false;
      await loop;
    },
  };
}

async function statusCount(): Promise<number> {
  return (await cluster.admin.getAllChildrenNumber(ROOTS.status)) - 256;
}

describe('Master: election and failover', () => {
  it('two masters: exactly one leads, the other stands by', async () => {
    const a = await cluster.master('a');
    const b = await cluster.master('b');
    await a.start();
    await b.start();
    const leader = await cluster.leaderOf();
    expect(leader).toBe(a);
    expect(b.isLeader).toBe(false);
    expect(b.stats()).toMatchObject({ isLeader: false, leaderSince: null });
    expect(a.stats().leaderSince).toEqual(expect.any(Number));
    const nodes = await cluster.admin.getChildren(ROOTS.election);
    expect(nodes).toHaveLength(2);
    const { data } = await cluster.admin.getData((await cluster.electionNodeOf('a'))!);
    expect(JSON.parse(String(data))).toMatchObject({ id: 'a', pid: process.pid });
  });

  it('the leader stops (resigns): the backup leads at once and assigns', async () => {
    const w = await cluster.worker('w', { concurrency: 10 });
    const a = await cluster.master('a');
    const b = await cluster.master('b');
    await a.start();
    await b.start();
    await cluster.submit('echo', 2);
    await waitFor('first tasks assigned', async () => (await w.assignments()).length === 2);
    const leadership: boolean[] = [];
    b.leadership$.subscribe((l) => leadership.push(l));
    await a.stop();
    expect(a.isLeader).toBe(false);
    await waitFor('b leads', () => b.isLeader, { timeoutMs: 3000 });
    expect(leadership).toEqual([false, true]);
    await cluster.submit('echo', 3);
    await waitFor('b assigns', async () => (await w.assignments()).length === 5);
    expect(b.stats().assigned).toBe(3);
  });

  it("the leader's session expires: the backup takes over, no task lost or duplicated", async () => {
    const w1 = await cluster.worker('w1', { concurrency: 3 });
    const w2 = await cluster.worker('w2', { concurrency: 3 });
    const workers = [autoComplete(w1), autoComplete(w2)];
    const a = await cluster.master('a');
    const b = await cluster.master('b');
    await a.start();
    await b.start();
    const ids = await cluster.submit('echo', 40);
    await waitFor('some tasks done', async () => (await statusCount()) >= 5);

    await cluster.expire(a);
    await waitFor('b leads', () => b.isLeader && !a.isLeader);
    await cluster.submit('echo', 10);
    await waitFor('all done', async () => (await statusCount()) === 50, { timeoutMs: 15000 });
    for (const w of workers) await w.stop();

    const done = [...workers[0].done, ...workers[1].done].sort();
    expect(new Set(done).size).toBe(done.length); // each completed exactly once
    expect(done).toHaveLength(50);
    expect(done).toEqual(expect.arrayContaining(ids));
    expect(await cluster.queued()).toEqual([]);
    // a is back in the election on its new session, as a backup.
    await waitFor('a rejoined', async () => (await cluster.electionNodeOf('a')) !== undefined);
    expect(a.isLeader).toBe(false);
  });

  it("a deposed master's fenced multi is rejected and moves nothing", async () => {
    const w = await cluster.worker('w', { concurrency: 1 });
    const a = await cluster.master('a');
    const b = await cluster.master('b');
    await a.start();
    await b.start();
    const oldNode = (await cluster.electionNodeOf('a'))!;
    expect(oldNode).toBeDefined();
    await cluster.expire(a);
    await waitFor('b leads', () => b.isLeader);
    await b.stop(); // nobody assigns: the task stays where it is unless the zombie's multi lands

    // What a deposed A would send: its decision, fenced on the election node it led with.
    const [id] = await cluster.submit('echo');
    const { data, stat } = await cluster.admin.getData(paths.task(id));
    const t = assignTransition(
      { acl: OPEN_ACL_UNSAFE, now: Date.now() },
      decodeRecord(data, paths.task(id)),
      stat.version,
      {
        workerId: 'w',
        session: w.session,
      },
    );
    const client = await waitFor('a has a new session', () => {
      const c = cluster.clientOf(a);
      return c.sessionId !== 0n && c.state === 'CONNECTED' ? c : undefined;
    });
    await expect(
      commitBatch(
        client,
        [{ ops: [workerFence('w'), ...t.ops], value: id }],
        [leaderFence(oldNode)],
      ),
    ).rejects.toBeInstanceOf(FenceError);
    expect((await cluster.find(id)).area).toBe('tasks');
    expect(await w.assignments()).toEqual([]);
  });

  it('a leader whose election node vanished steps down and joins again as a backup', async () => {
    const w = await cluster.worker('w', { concurrency: 10 });
    const a = await cluster.master('a');
    const b = await cluster.master('b');
    await a.start();
    await b.start();
    await waitFor('a has taken over', () => a.stats().workers === 1);
    await cluster.admin.delete((await cluster.electionNodeOf('a'))!);
    await waitFor('b leads, a does not', () => b.isLeader && !a.isLeader);
    await waitFor(
      'a is a candidate again',
      async () => (await cluster.electionNodeOf('a')) !== undefined,
    );
    const ids = await cluster.submit('echo', 5);
    await waitFor('assigned', async () => (await w.assignments()).length === 5);
    expect(await w.assignments()).toEqual(ids.sort());
    expect(a.isLeader).toBe(false);
    expect(b.stats().assigned).toBe(5);
  });

  it('a lost reply of an assignment multi is read back after the reconnect, not re-applied', async () => {
    const lossy = new LossyTransports();
    const w = await cluster.worker('w', { concurrency: 20 });
    const m = await cluster.master('m', {}, { transportFactory: lossy.factory });
    await m.start();
    await waitFor('leader', () => m.isLeader);
    await waitFor('takeover done', async () => m.stats().workers === 1);
    lossy.arm(WIRE_OP.multi);
    const ids = await cluster.submit('echo', 10);
    await waitFor('all assigned', async () => (await w.assignments()).length === 10);
    expect(lossy.lost).toBe(1);
    expect(await w.assignments()).toEqual(ids.sort());
    expect(await cluster.queued()).toEqual([]);
    await waitFor('stats caught up', () => m.stats().assigned === 10);
    expect(m.stats().rejected).toBe(0);
  });

  it('after a reconnect, re-lists the queue to find tasks whose events were lost', async () => {
    const blackout = new Blackout();
    const w = await cluster.worker('w', { concurrency: 10 });
    const m = await cluster.master('m', {}, { transportFactory: blackout.factory });
    await m.start();
    await waitFor('takeover done', () => m.stats().workers === 1);
    blackout.deafen();
    const ids = await cluster.submit('echo', 3); // created while the master hears nothing
    await waitFor('assigned after the reconnect', async () => (await w.assignments()).length === 3);
    expect(await w.assignments()).toEqual(ids.sort());
  });
});
