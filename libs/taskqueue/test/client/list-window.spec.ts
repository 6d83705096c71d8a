import { filter, firstValueFrom } from 'rxjs';
import { ZkServer } from '@shepherd/zk-server';
import { ListQuery, TaskQueueClient, paths } from '@shepherd/taskqueue';
import { Blackout } from '../../../../test/support/lossy-transport';
import { fourLetterWord } from '../../../../test/support/four-letter-word';
import { waitFor } from '../../../../test/support/wait-for';
import { Namespace } from './support';

/**
 * The StatusWindow behind list(): a client with a small window (so pages cross its floor and it
 * trims) must page exactly as a client that lists the server every time, through finishes,
 * prunes and a disconnect that hid notifications.
 */
describe('list with the status window', () => {
  let server: ZkServer;
  let ns: Namespace;
  let blackout: Blackout;
  /** Lists /status from the server every time: the reference. */
  let cold: TaskQueueClient;
  let warm: TaskQueueClient;

  beforeAll(async () => {
    // wchp: which paths have watches, to see the window's come and go.
    server = new ZkServer({ port: 0, tickTime: 100, fourLetterWordWhitelist: ['wchp'] });
    await server.start();
  });
  afterAll(async () => {
    await server.stop();
  });
  beforeEach(async () => {
    blackout = new Blackout();
    ns = await Namespace.open(server, { transportFactory: blackout.factory });
    cold = new TaskQueueClient({ connection: ns.connection, listCache: false });
    warm = new TaskQueueClient({ connection: ns.connection, listCache: { size: 4 } });
  });
  afterEach(async () => {
    cold.close();
    warm.close();
    await ns.close();
  });

  /** Submits n tasks and ends each: cancelled (odd) or done (even), one millisecond apart. */
  async function finish(n: number, type = 'echo'): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      const { id } = await ns.client.submit(type, i);
      if (!ns.workers.has('w1')) await ns.registerWorker('w1', { concurrency: 1000 });
      if (i % 2 === 1) {
        await ns.client.cancel(id);
      } else {
        await ns.assign(id, 'w1');
        await ns.start(id);
        await ns.complete(id, i);
      }
      ids.push(id);
      await new Promise((r) => setTimeout(r, 1));
    }
    return ids;
  }

  /** Every page of `query` from `client`, as ids and next cursors. */
  async function pages(client: TaskQueueClient, query: ListQuery): Promise<string[][]> {
    const out: string[][] = [];
    let cursor: string | undefined;
    do {
      const page = await client.list({ ...query, cursor });
      out.push([...page.items.map((v) => `${v.id}:${v.state}`), `next=${page.nextCursor}`]);
      cursor = page.nextCursor;
    } while (cursor !== undefined);
    return out;
  }

  const queries: ListQuery[] = [
    { state: 'done', limit: 3 },
    { state: 'cancelled', limit: 2 },
    { limit: 5 },
    { state: 'done', limit: 100 },
    { type: 'other', limit: 2 },
  ];

  async function expectSamePages(): Promise<void> {
    for (const q of queries) expect(await pages(warm, q)).toEqual(await pages(cold, q));
  }

  it('pages exactly as a listing of the server, across its floor and after trims', async () => {
    const ids = await finish(12);
    await ns.client.submit('other', 'queued one');
    await expectSamePages(); // the first list builds the window: 4 newest of 12
    const more = await finish(10, 'other'); // 10 more: the window doubles and trims
    await expectSamePages();
    const done = await warm.list({ state: 'done', limit: 3 });
    expect(done.items.map((v) => v.id)).toEqual([more[8], more[6], more[4]]);
    expect(ids.length).toBe(12);
  });

  it('sees a finish and a prune made by another client as soon as they are made', async () => {
    const ids = await finish(6);
    expect((await warm.list({ limit: 1 })).items[0].id).toBe(ids[5]); // warm from here on
    const [late] = await finish(1);
    expect((await warm.list({ state: 'done', limit: 1 })).items[0].id).toBe(late);
    await ns.zk.delete(paths.status(late)); // what retention does
    await ns.zk.delete(paths.status(ids[4]));
    expect((await warm.list({ state: 'done', limit: 2 })).items.map((v) => v.id)).toEqual([
      ids[2],
      ids[0],
    ]);
    await expectSamePages();
  });

  it('rebuilds after a disconnect that hid notifications', async () => {
    const ids = await finish(6);
    const { id: late } = await ns.client.submit('echo', 'ends unheard');
    await warm.list({ limit: 1 });
    // The warm client's connection hears nothing for a while; meanwhile another client ends a
    // task and prunes one. The persistent watch comes back on reconnect without telling.
    const reconnected = firstValueFrom(
      ns.connection.events$.pipe(filter((e) => e.type === 'reconnected')),
    );
    blackout.deafen(300);
    await ns.assign(late, 'w1');
    await ns.start(late);
    await ns.complete(late, 'done unheard');
    await ns.zk.delete(paths.status(ids[4]));
    await reconnected;
    await expectSamePages();
    expect((await warm.list({ limit: 3 })).items.map((v) => v.id)).toEqual([late, ids[5], ids[3]]);
  });

  it('removes its watch when no list has come for idleMs, and when closed', async () => {
    const idle = new TaskQueueClient({
      connection: ns.connection,
      listCache: { size: 4, idleMs: 300 },
    });
    await finish(2);
    const watchers = async () =>
      (await fourLetterWord(server.address!.port, 'wchp'))
        .split('\n')
        .includes(`${rootOf(ns)}/status`);
    // Two first lists at once set one watch between them.
    await Promise.all([idle.list({ limit: 1 }), idle.list({ state: 'done' })]);
    expect(await watchers()).toBe(true);
    await waitFor('the watch removed', async () => !(await watchers()), { timeoutMs: 5000 });
    await idle.list({ limit: 1 });
    expect(await watchers()).toBe(true);
    idle.close();
    await waitFor('the watch removed', async () => !(await watchers()), { timeoutMs: 5000 });
  });
});

function rootOf(ns: Namespace): string {
  return ns.connectString.slice(ns.connectString.indexOf('/'));
}
