import {
  AddWatchMode,
  ErrorCode,
  EventType,
  KeeperState,
  NoWatcherError,
  OpCode,
  Request,
  WatcherType,
  Xid,
} from '@shepherd/zk-protocol';
import { WatchedEvent } from '@shepherd/zk-client';
import { settle } from './fakes';
import { connectedClient, makeStat } from './setup';

const stat = makeStat();
const changed = (path: string, type = EventType.NodeDataChanged) => ({
  type,
  state: KeeperState.SyncConnected,
  path,
});

describe('watches', () => {
  it('registers a watch only after its request succeeds', async () => {
    const { client, t } = await connectedClient();
    const seen: WatchedEvent[] = [];
    const p = client.getData('/gone', (e) => seen.push(e));
    await settle();
    expect(t.requests[0].request).toMatchObject({ watch: true });
    t.reply(1, undefined, ErrorCode.NoNode);
    await expect(p).rejects.toThrow();
    t.notify(changed('/gone'));
    await settle();
    expect(seen).toEqual([]);
  });

  it('exists with NoNode arms an exist-watch that fires on creation', async () => {
    const { client, t } = await connectedClient();
    const seen: WatchedEvent[] = [];
    const p = client.exists('/later', (e) => seen.push(e));
    await settle();
    t.reply(1, undefined, ErrorCode.NoNode);
    await expect(p).resolves.toBeNull();
    t.notify(changed('/later', EventType.NodeCreated));
    t.notify(changed('/later', EventType.NodeCreated)); // one-time: the second is not delivered
    await settle();
    expect(seen).toEqual([changed('/later', EventType.NodeCreated)]);
  });

  it('delivers once per watcher and does not grow when the same watcher re-watches', async () => {
    const { client, t } = await connectedClient();
    const seen: string[] = [];
    const watcher = { process: (e: WatchedEvent) => seen.push(`${e.type}:${e.path}`) };
    for (let i = 1; i <= 3; i++) {
      const p = client.getData('/n', watcher);
      await settle();
      t.reply(i, { op: OpCode.getData, data: Buffer.alloc(0), stat });
      await p;
    }
    const other = (e: WatchedEvent) => seen.push(`other ${e.type}`);
    const q = client.exists('/n', other);
    await settle();
    t.reply(4, { op: OpCode.exists, stat });
    await q;
    t.notify(changed('/n'));
    await settle();
    expect(seen.sort()).toEqual([
      `${EventType.NodeDataChanged}:/n`,
      `other ${EventType.NodeDataChanged}`,
    ]);
  });

  it('watch=true uses the default watcher, which also gets session events', async () => {
    const seen: WatchedEvent[] = [];
    const { client, t } = await connectedClient({ defaultWatcher: (e) => seen.push(e) });
    const p = client.getChildren('/p', true);
    await settle();
    t.reply(1, { op: OpCode.getChildren, children: [] });
    await p;
    t.notify(changed('/p', EventType.NodeChildrenChanged));
    await settle();
    expect(seen).toEqual([
      { type: EventType.None, state: KeeperState.SyncConnected },
      changed('/p', EventType.NodeChildrenChanged),
    ]);
  });

  it('re-registers watches with setWatches (xid -8, relativeZxid = lastZxid) after reconnect', async () => {
    const { client, t, net } = await connectedClient();
    const w = () => undefined;
    const a = client.getData('/d', w);
    const b = client.exists('/e', w);
    const c = client.getChildren('/c', w);
    await settle();
    t.reply(1, { op: OpCode.getData, data: null, stat }, 0, 7n);
    t.reply(2, undefined, ErrorCode.NoNode, 8n);
    t.reply(3, { op: OpCode.getChildren, children: [] }, 0, 9n);
    await Promise.all([a, b, c]);
    t.hangUp();
    net.last.open();
    expect(net.last.connectRequest.lastZxidSeen).toBe(9n);
    net.last.accept();
    await settle();
    expect(net.last.requests).toEqual([
      {
        header: { xid: Xid.SetWatches, type: OpCode.setWatches },
        request: {
          op: OpCode.setWatches,
          relativeZxid: 9n,
          dataWatches: ['/d'],
          existWatches: ['/e'],
          childWatches: ['/c'],
        },
      },
    ]);
    net.last.reply(Xid.SetWatches);
  });

  it('uses setWatches2 for persistent watches and splits batches beyond ~128KB', async () => {
    const { client, t, net } = await connectedClient();
    const w = () => undefined;
    const long = 'x'.repeat(1000);
    let xid = 0;
    for (let i = 0; i < 200; i++) {
      const p = client.getData(`/${long}${i}`, w);
      await settle(1);
      t.reply(++xid, { op: OpCode.getData, data: null, stat });
      await p;
    }
    const p = client.addWatch('/r', w, AddWatchMode.PERSISTENT_RECURSIVE);
    await settle();
    t.reply(xid + 1);
    await p;
    t.hangUp();
    net.last.open();
    net.last.accept();
    await settle();
    const reqs = net.last.requests.map((r) => r.request);
    expect(reqs).toHaveLength(2);
    const [first, second] = reqs as Array<Request & { dataWatches: string[] }>;
    expect(first.op).toBe(OpCode.setWatches);
    expect(first.dataWatches.length).toBeGreaterThanOrEqual(128);
    expect(second).toMatchObject({ op: OpCode.setWatches2, persistentRecursiveWatches: ['/r'] });
    expect(first.dataWatches.length + second.dataWatches.length).toBe(200);
  });

  it('persistent recursive watches fire for descendants and stay armed', async () => {
    const { client, t } = await connectedClient();
    const seen: string[] = [];
    const p = client.addWatch(
      '/a',
      (e) => seen.push(`${e.type}:${e.path}`),
      AddWatchMode.PERSISTENT_RECURSIVE,
    );
    await settle();
    expect(t.requests[0].request).toEqual({ op: OpCode.addWatch, path: '/a', mode: 1 });
    t.reply(1);
    await p;
    t.notify(changed('/a/b', EventType.NodeCreated));
    t.notify(changed('/a/b'));
    t.notify(changed('/a', EventType.NodeChildrenChanged)); // filtered for recursive watches
    await settle();
    expect(seen).toEqual([`${EventType.NodeCreated}:/a/b`, `${EventType.NodeDataChanged}:/a/b`]);
  });

  it('removeWatches: local removal, NoWatcher, and removal events', async () => {
    const { client, t } = await connectedClient();
    const seen: WatchedEvent[] = [];
    const w = (e: WatchedEvent) => seen.push(e);
    const p = client.getData('/n', w);
    await settle();
    t.reply(1, { op: OpCode.getData, data: null, stat });
    await p;
    await expect(client.removeWatches('/n', w, WatcherType.Children)).rejects.toBeInstanceOf(
      NoWatcherError,
    );
    await client.removeWatches('/n', w, WatcherType.Data, true);
    await settle();
    expect(t.requests).toHaveLength(1); // local: nothing sent
    expect(seen).toEqual([
      { type: EventType.DataWatchRemoved, state: KeeperState.SyncConnected, path: '/n' },
    ]);
    t.notify(changed('/n'));
    await settle();
    expect(seen).toHaveLength(1);
  });

  it('removeWatches asks the server to remove the watch when no other watcher needs it', async () => {
    const { client, t } = await connectedClient();
    const w = () => undefined;
    const p = client.getChildren('/n', w);
    await settle();
    t.reply(1, { op: OpCode.getChildren, children: [] });
    await p;
    const r = client.removeWatches('/n', null, WatcherType.Children);
    await settle();
    expect(t.requests[1].request).toEqual({ op: OpCode.removeWatches, path: '/n', type: 1 });
    t.reply(2);
    await r;
  });

  it('maps chroot paths on requests, results and events', async () => {
    const { client, t } = await connectedClient({}, 'h:1/app');
    const seen: WatchedEvent[] = [];
    const p = client.exists('/', (e) => seen.push(e));
    const c = client.create('/n-', 'x');
    const s = client.sync('/n');
    const e = client.getEphemerals();
    await settle();
    expect(
      t.requests.map((r) => r.request as { path?: string; prefixPath?: string }),
    ).toMatchObject([
      { path: '/app' },
      { path: '/app/n-' },
      { path: '/app/n' },
      { prefixPath: '/app' },
    ]);
    t.reply(1, { op: OpCode.exists, stat });
    t.reply(2, { op: OpCode.create, path: '/app/n-0000000001' });
    t.reply(3, { op: OpCode.sync, path: '/app/n' });
    t.reply(4, { op: OpCode.getEphemerals, ephemerals: ['/app/e1', '/app/x/e2'] });
    await p;
    await expect(c).resolves.toBe('/n-0000000001');
    await expect(s).resolves.toBe('/n');
    await expect(e).resolves.toEqual(['/e1', '/x/e2']);
    t.notify(changed('/app'));
    await settle();
    expect(seen).toEqual([changed('/')]);
  });
});
