import {
  ChildEvent,
  ChildrenCache,
  FairLock,
  LeaderElection,
  LockTimeoutError,
  SimpleLock,
  createProtected,
} from '@shepherd/coordination';
import { ClientState, ZooKeeperClient } from '@shepherd/zk-client';
import { CreateMode } from '@shepherd/zk-protocol';
import { AsyncQueue } from '../../../test/contract/async-queue';
import { Blackout, CREATE_OPS, LossyTransports } from '../../../test/support/lossy-transport';
import { delay, waitFor } from '../../../test/support/wait-for';
import { RecipeContext, hexSession } from './recipe-context';

/**
 * The recipe cases (election, locks, children cache, protected create), written once and run
 * against every server we support: the embedded one (libs/coordination/test) and Apache
 * ZooKeeper (test/interop). `connectString` is read lazily, inside each case, so the caller
 * can start its server in beforeAll. Each case works under its own root znode.
 */
export function describeRecipesContract(name: string, connectString: () => string): void {
  describe(`coordination recipes: ${name}`, () => {
    const ctx = new RecipeContext(connectString);
    afterEach(() => ctx.cleanup());

    describe('protected create', () => protectedCreateCases(ctx));
    describe('LeaderElection', () => electionCases(ctx));
    describe('SimpleLock', () => simpleLockCases(ctx));
    describe('FairLock', () => fairLockCases(ctx));
    describe('ChildrenCache', () => childrenCacheCases(ctx));
  });
}

async function startElection(
  client: ZooKeeperClient,
  path: string,
  id: string,
): Promise<LeaderElection> {
  const election = new LeaderElection(client, { path, id });
  await election.start();
  return election;
}

function protectedCreateCases(ctx: RecipeContext): void {
  it('finds its own node after a lost create reply, in every mode', async () => {
    const admin = await ctx.client();
    const root = await ctx.root(admin);
    const lost = new LossyTransports();
    const zk = await ctx.client({ transportFactory: lost.factory });

    // Ephemeral: ours because our session owns it (a plain retry would get NodeExists).
    lost.arm(CREATE_OPS);
    expect(await createProtected(zk, `${root}/eph`, 'e', { mode: CreateMode.EPHEMERAL })).toBe(
      `${root}/eph`,
    );
    expect((await admin.exists(`${root}/eph`))?.ephemeralOwner).toBe(zk.sessionId);

    // Persistent: ours because it holds exactly our data.
    lost.arm(CREATE_OPS);
    expect(await createProtected(zk, `${root}/p`, 'mine')).toBe(`${root}/p`);

    // Sequential: found again by its uuid, so no orphan second node.
    await admin.create(`${root}/seq`);
    lost.arm(CREATE_OPS);
    const path = await createProtected(zk, `${root}/seq/item-`, 's', {
      mode: CreateMode.EPHEMERAL_SEQUENTIAL,
    });
    const children = await admin.getChildren(`${root}/seq`);
    expect(children).toHaveLength(1);
    expect(path).toBe(`${root}/seq/${children[0]}`);
    expect(children[0]).toMatch(/^_c_[0-9a-f-]{36}-item-\d{10}$/);
    expect(lost.lost).toBe(3);
  });

  it('still reports NodeExists for a node that is not ours', async () => {
    const admin = await ctx.client();
    const root = await ctx.root(admin);
    await admin.create(`${root}/taken`, 'theirs', { mode: CreateMode.EPHEMERAL });
    const zk = await ctx.client();
    await expect(
      createProtected(zk, `${root}/taken`, 'mine', { mode: CreateMode.EPHEMERAL }),
    ).rejects.toMatchObject({ name: 'NodeExistsError' });
  });
}

function electionCases(ctx: RecipeContext): void {
  it('three candidates: one leader; when it goes only its successor wakes and leads', async () => {
    const admin = await ctx.client();
    const path = `${await ctx.root(admin)}/election`;
    const [c1, c2, c3] = [await ctx.client(), await ctx.client(), await ctx.client()];
    const e1 = await startElection(c1, path, 'c1');
    const e2 = await startElection(c2, path, 'c2');
    const e3 = await startElection(c3, path, 'c3');
    expect([e1.isLeader, e2.isLeader, e3.isLeader]).toEqual([true, false, false]);

    const candidates = await e3.candidates();
    expect(candidates.map((c) => [c.id, c.leader])).toEqual([
      ['c1', true],
      ['c2', false],
      ['c3', false],
    ]);
    expect(candidates.map((c) => c.nodePath)).toEqual([e1.nodePath, e2.nodePath, e3.nodePath]);
    expect(candidates[0].sequence).toBeLessThan(candidates[1].sequence);
    expect((await e2.leader())?.id).toBe('c1');

    // No herd: each node is watched by its successor's session alone; the parent by nobody.
    const watches = await ctx.watchesByPath();
    expect(watches.get(e1.nodePath!)).toEqual([hexSession(c2)]);
    expect(watches.get(e2.nodePath!)).toEqual([hexSession(c3)]);
    expect(watches.get(e3.nodePath!)).toBeUndefined();
    expect(watches.get(path)).toBeUndefined();

    const lead2 = new AsyncQueue<boolean>();
    e2.leadership$.subscribe(lead2.push);
    expect(await lead2.next()).toBe(false);
    const lists3 = jest.spyOn(c3, 'getChildren');
    const exists3 = jest.spyOn(c3, 'exists');

    await c1.close(); // its session ends: the leader's node goes now
    expect(await lead2.next('c2 to lead')).toBe(true);
    expect(e2.isLeader).toBe(true);
    await delay(300);
    expect(lists3).not.toHaveBeenCalled();
    expect(exists3).not.toHaveBeenCalled();
    expect(e3.isLeader).toBe(false);
    expect((await e3.leader())?.id).toBe('c2');
  });

  it("the leader's session expires: leadership$ emits false and the next one leads", async () => {
    const admin = await ctx.client();
    const path = `${await ctx.root(admin)}/election`;
    const [c1, c2] = [await ctx.client(), await ctx.client()];
    const e1 = await startElection(c1, path, 'c1');
    const e2 = await startElection(c2, path, 'c2');
    const lead1 = new AsyncQueue<boolean>();
    e1.leadership$.subscribe(lead1.push);
    expect(await lead1.next()).toBe(true);

    await ctx.expire(c1);
    expect(await lead1.next('c1 to lose leadership', 20000)).toBe(false);
    await waitFor('c2 to lead', () => e2.isLeader, { timeoutMs: 20000 });
    expect(e1.nodePath).toBeUndefined();
    expect((await e2.candidates()).map((c) => c.id)).toEqual(['c2']);
  });

  it('resign() hands over; start() again joins at the back', async () => {
    const admin = await ctx.client();
    const path = `${await ctx.root(admin)}/election`;
    const [c1, c2] = [await ctx.client(), await ctx.client()];
    const e1 = await startElection(c1, path, 'c1');
    const e2 = await startElection(c2, path, 'c2');
    const elected2 = new AsyncQueue<void>();
    e2.elected$.subscribe(elected2.push);

    await e1.resign();
    expect(e1.isLeader).toBe(false);
    expect(e1.nodePath).toBeUndefined();
    await elected2.next('c2 to be elected');
    expect(e2.isLeader).toBe(true);

    await e1.start();
    expect(e1.isLeader).toBe(false);
    expect((await e1.candidates()).map((c) => [c.id, c.leader])).toEqual([
      ['c2', true],
      ['c1', false],
    ]);
    await e2.close();
    await waitFor('c1 to lead again', () => e1.isLeader);
  });

  it('a lost reply to the candidate create: the candidate finds its own node', async () => {
    const admin = await ctx.client();
    const path = `${await ctx.root(admin)}/election`;
    await admin.create(path);
    const lost = new LossyTransports();
    const zk = await ctx.client({ transportFactory: lost.factory });
    const election = new LeaderElection(zk, { path, id: 'solo', data: 'payload' });
    lost.arm(CREATE_OPS);
    await election.start();
    expect(lost.lost).toBe(1);

    const children = await admin.getChildren(path);
    expect(children).toHaveLength(1);
    expect(election.nodePath).toBe(`${path}/${children[0]}`);
    expect(election.isLeader).toBe(true);
    expect((await admin.getData(election.nodePath!)).data?.toString()).toBe('payload');
  });
}

function simpleLockCases(ctx: RecipeContext): void {
  it('mutual exclusion between concurrent acquirers', async () => {
    const admin = await ctx.client();
    const path = `${await ctx.root(admin)}/locks/simple`;
    const clients = [await ctx.client(), await ctx.client(), await ctx.client()];
    let inside = 0;
    let maxInside = 0;
    let entries = 0;
    await Promise.all(
      clients.map(async (client) => {
        const lock = new SimpleLock(client, path);
        for (let i = 0; i < 3; i++) {
          await lock.acquire({ timeoutMs: 15000 });
          expect(lock.isHeld).toBe(true);
          inside++;
          entries++;
          maxInside = Math.max(maxInside, inside);
          await delay(15);
          inside--;
          await lock.release();
          expect(lock.isHeld).toBe(false);
        }
      }),
    );
    expect(entries).toBe(9);
    expect(maxInside).toBe(1);
    expect(await admin.exists(path)).toBeNull();
  });

  it('tryAcquire, timeout and abort leave nothing behind', async () => {
    const admin = await ctx.client();
    const path = `${await ctx.root(admin)}/lock`;
    const [a, b] = [await ctx.client(), await ctx.client()];
    const held = new SimpleLock(a, path, 'a');
    const other = new SimpleLock(b, path, 'b');
    expect(await held.tryAcquire()).toBe(true);
    expect(await other.tryAcquire()).toBe(false);

    await expect(other.acquire({ timeoutMs: 300 })).rejects.toBeInstanceOf(LockTimeoutError);
    const abort = new AbortController();
    const pending = other.acquire({ signal: abort.signal });
    await delay(100);
    abort.abort(new Error('caller gave up'));
    await expect(pending).rejects.toThrow('caller gave up');
    expect(other.isHeld).toBe(false);
    expect((await admin.exists(path))?.ephemeralOwner).toBe(a.sessionId);

    await held.release();
    await other.acquire({ timeoutMs: 5000 });
    expect((await admin.getData(path)).data?.toString()).toBe('b');
  });

  it("the holder's session expiry releases the lock", async () => {
    const admin = await ctx.client();
    const path = `${await ctx.root(admin)}/lock`;
    const [a, b] = [await ctx.client(), await ctx.client()];
    const holder = new SimpleLock(a, path);
    const waiter = new SimpleLock(b, path);
    await holder.acquire();
    const waiting = waiter.acquire({ timeoutMs: 20000 });
    await delay(100);
    await ctx.expire(a);
    await waiting;
    expect(waiter.isHeld).toBe(true);
    await waitFor('the holder to notice', () => !holder.isHeld, { timeoutMs: 20000 });
    await holder.release(); // not held any more: must not touch the new holder's node
    expect((await admin.exists(path))?.ephemeralOwner).toBe(b.sessionId);
  });
}

function fairLockCases(ctx: RecipeContext): void {
  it('mutual exclusion, and waiters get the lock in arrival order', async () => {
    const admin = await ctx.client();
    const path = `${await ctx.root(admin)}/locks/fair`;
    const names = ['a', 'b', 'c', 'd'];
    const locks = await Promise.all(names.map(async () => new FairLock(await ctx.client(), path)));
    await locks[0].acquire();
    expect(locks[0].isHeld).toBe(true);

    const order: string[] = [];
    let inside = 1;
    let maxInside = 1;
    const waits: Promise<void>[] = [];
    for (let i = 1; i < names.length; i++) {
      waits.push(
        locks[i].acquire({ timeoutMs: 15000 }).then(async () => {
          inside++;
          maxInside = Math.max(maxInside, inside);
          order.push(names[i]);
          await delay(20);
          inside--;
          await locks[i].release();
        }),
      );
      // Queue them one after the other, so arrival order is known.
      await waitFor(`${names[i]} to queue`, async () => {
        return (await admin.getChildren(path)).length === i + 1;
      });
    }
    expect(order).toEqual([]);
    inside--;
    await locks[0].release();
    await Promise.all(waits);
    expect(order).toEqual(['b', 'c', 'd']);
    expect(maxInside).toBe(1);
    expect(await admin.getChildren(path)).toEqual([]);
  });

  it('timeout and abort remove the waiter node; the queue moves on', async () => {
    const admin = await ctx.client();
    const path = `${await ctx.root(admin)}/lock`;
    const [a, b, c] = [await ctx.client(), await ctx.client(), await ctx.client()];
    const holder = new FairLock(a, path);
    await holder.acquire();
    const holderNode = holder.nodePath!.slice(path.length + 1);

    const late = new FairLock(b, path);
    await expect(late.acquire({ timeoutMs: 300 })).rejects.toBeInstanceOf(LockTimeoutError);
    expect(late.isHeld).toBe(false);
    expect(late.nodePath).toBeUndefined();
    expect(await admin.getChildren(path)).toEqual([holderNode]);

    const abort = new AbortController();
    const aborted = new FairLock(c, path);
    const pending = aborted.acquire({ signal: abort.signal });
    await waitFor('c to queue', async () => (await admin.getChildren(path)).length === 2);
    abort.abort(new Error('caller gave up'));
    await expect(pending).rejects.toThrow('caller gave up');
    expect(await admin.getChildren(path)).toEqual([holderNode]);

    const next = late.acquire({ timeoutMs: 5000 });
    await waitFor('b to queue', async () => (await admin.getChildren(path)).length === 2);
    await holder.release();
    await next;
    expect(late.isHeld).toBe(true);
  });

  it("the holder's session expiry passes the lock on", async () => {
    const admin = await ctx.client();
    const path = `${await ctx.root(admin)}/lock`;
    const [a, b] = [await ctx.client(), await ctx.client()];
    const holder = new FairLock(a, path);
    const waiter = new FairLock(b, path);
    await holder.acquire();
    const waiting = waiter.acquire({ timeoutMs: 20000 });
    await waitFor('b to queue', async () => (await admin.getChildren(path)).length === 2);
    await ctx.expire(a);
    await waiting;
    expect(waiter.isHeld).toBe(true);
    await waitFor('the holder to notice', () => !holder.isHeld, { timeoutMs: 20000 });
    expect(await admin.getChildren(path)).toEqual([waiter.nodePath!.slice(path.length + 1)]);
  });
}

function childrenCacheCases(ctx: RecipeContext): void {
  async function startCache(
    client: ZooKeeperClient,
    path: string,
    withData = true,
  ): Promise<{ cache: ChildrenCache; events: AsyncQueue<ChildEvent> }> {
    const cache = new ChildrenCache(client, path, { withData });
    const events = new AsyncQueue<ChildEvent>();
    cache.events$.subscribe({ next: events.push, error: () => undefined });
    ctx.defer(() => cache.close());
    await cache.start();
    return { cache, events };
  }

  const brief = (e: ChildEvent): string =>
    e.type === 'removed' ? `removed ${e.name}` : `${e.type} ${e.name}=${e.data?.toString()}`;

  it('reports added, changed and removed, in order', async () => {
    const zk = await ctx.client();
    const path = await ctx.root(zk);
    await zk.create(`${path}/a`, 'a1');
    const { cache, events } = await startCache(await ctx.client(), path);
    await cache.initialized;
    expect(brief(await events.next())).toBe('added a=a1');
    expect(cache.current().get('a')?.data?.toString()).toBe('a1');

    await zk.create(`${path}/b`, 'b1');
    expect(brief(await events.next())).toBe('added b=b1');
    await zk.setData(`${path}/a`, 'a2');
    expect(brief(await events.next())).toBe('changed a=a2');
    await zk.delete(`${path}/a`);
    expect(brief(await events.next())).toBe('removed a');
    await zk.setData(`${path}/b`, 'b2');
    expect(brief(await events.next())).toBe('changed b=b2');

    const snapshot = cache.current();
    expect([...snapshot.keys()]).toEqual(['b']);
    expect(snapshot.get('b')?.stat.version).toBe(1);
    await events.expectNone(200);
  });

  it('without data: stats only, changes still reported', async () => {
    const zk = await ctx.client();
    const path = await ctx.root(zk);
    const { cache, events } = await startCache(await ctx.client(), path, false);
    await zk.create(`${path}/x`, 'payload');
    const added = await events.next();
    expect(added).toMatchObject({ type: 'added', name: 'x' });
    expect(cache.current().get('x')?.data).toBeNull();
    await zk.setData(`${path}/x`, 'more');
    expect(await events.next()).toMatchObject({ type: 'changed', name: 'x' });
    expect(cache.current().get('x')?.stat.version).toBe(1);
  });

  it('waits for a missing parent, follows it being deleted and recreated', async () => {
    const zk = await ctx.client();
    const path = `${await ctx.root(zk)}/later`;
    const { cache, events } = await startCache(await ctx.client(), path);
    expect(cache.current().size).toBe(0);

    await zk.create(path);
    await zk.create(`${path}/x`, 'x1');
    expect(brief(await events.next())).toBe('added x=x1');

    await zk.delete(`${path}/x`);
    await zk.delete(path);
    expect(brief(await events.next())).toBe('removed x');
    expect(cache.current().size).toBe(0);

    await zk.create(path);
    await zk.create(`${path}/y`, 'y1');
    expect(brief(await events.next())).toBe('added y=y1');
    expect([...cache.current().keys()]).toEqual(['y']);
  });

  it('catches up after a disconnection, even with the parent recreated meanwhile', async () => {
    const zk = await ctx.client();
    const path = await ctx.root(zk);
    await zk.create(`${path}/a`, 'a1');
    await zk.create(`${path}/b`, 'b1');
    const blackout = new Blackout();
    const watcherClient = await ctx.client({ transportFactory: blackout.factory });
    const { cache, events } = await startCache(watcherClient, path);
    expect(new Set((await Promise.all([events.next(), events.next()])).map(brief))).toEqual(
      new Set(['added a=a1', 'added b=b1']),
    );

    // Disconnected for less than the session timeout: same session, watches restored.
    blackout.cut(1500);
    await waitFor(
      'the cache client to notice',
      () => watcherClient.state !== ClientState.CONNECTED,
    );
    await zk.delete(`${path}/a`);
    await zk.delete(`${path}/b`);
    await zk.delete(path);
    await zk.create(path);
    const a2 = await zk.createWithStat(`${path}/a`, 'a2');
    await zk.create(`${path}/c`, 'c1');

    await waitFor(
      'the cache to catch up',
      () => {
        const now = cache.current();
        return (
          [...now.keys()].sort().join() === 'a,c' &&
          now.get('a')?.stat.czxid === a2.stat.czxid &&
          now.get('a')?.data?.toString() === 'a2'
        );
      },
      { timeoutMs: 15000 },
    );
    const seen = events.pending.map(brief);
    expect(seen).toContain('removed b');
    expect(seen).toContain('added c=c1');
    // 'a' is a new node under the same name: it left and came back.
    expect(seen.indexOf('removed a')).toBeGreaterThanOrEqual(0);
    expect(seen.indexOf('added a=a2')).toBeGreaterThan(seen.indexOf('removed a'));
  });
}
