import * as zookeeper from 'node-zookeeper-client';
import { ZkServer } from '@shepherd/zk-server';
import { startServer } from './server-test-kit';

type NzkClient = zookeeper.Client;

/** Promisifies one callback-style call of node-zookeeper-client. */
function call<T>(
  fn: (cb: (err: Error | zookeeper.Exception | null, value?: T) => void) => void,
): Promise<T> {
  return new Promise((resolve, reject) =>
    fn((err, value) => (err ? reject(err) : resolve(value as T))),
  );
}

function connectClient(connectString: string): Promise<NzkClient> {
  const client = zookeeper.createClient(connectString, { sessionTimeout: 10000, retries: 0 });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('connect timed out')), 5000);
    client.once('connected', () => {
      clearTimeout(timer);
      resolve(client);
    });
    client.connect();
  });
}

// A third-party client (node-zookeeper-client, a clean-room implementation of the protocol)
// must accept the server as a ZooKeeper.
describe('ZkServer with node-zookeeper-client', () => {
  let server: ZkServer;
  let client: NzkClient;

  beforeAll(async () => {
    server = await startServer({ tickTime: 500 });
    client = await connectClient(server.connectString);
  });
  afterAll(async () => {
    client?.close();
    await server.stop();
  });

  it('creates, reads, updates, lists and deletes', async () => {
    const path = await call<string>((cb) =>
      client.create('/nzk', Buffer.from('one'), zookeeper.CreateMode.PERSISTENT, cb),
    );
    expect(path).toBe('/nzk');
    const [data, stat] = await new Promise<[Buffer, zookeeper.Stat]>((resolve, reject) =>
      client.getData('/nzk', (err, d, s) => (err ? reject(err) : resolve([d, s]))),
    );
    expect(data.toString()).toBe('one');
    expect(stat.version).toBe(0);
    const after = await call<zookeeper.Stat>((cb) =>
      client.setData('/nzk', Buffer.from('two'), -1, cb),
    );
    expect(after.version).toBe(1);
    await call((cb) => client.create('/nzk/a', cb));
    await call((cb) => client.create('/nzk/b', cb));
    const children = await new Promise<string[]>((resolve, reject) =>
      client.getChildren('/nzk', (err, c) => (err ? reject(err) : resolve(c))),
    );
    expect(children.sort()).toEqual(['a', 'b']);
    await call((cb) => client.remove('/nzk/a', -1, cb));
    await call((cb) => client.remove('/nzk/b', -1, cb));
    await call((cb) => client.remove('/nzk', -1, cb));
    const gone = await call<zookeeper.Stat | null>((cb) => client.exists('/nzk', cb));
    expect(gone).toBeNull();
  });

  it('reports errors by code (NoNode, NodeExists)', async () => {
    const noNode = await call((cb) => client.getData('/missing', cb)).catch((e: unknown) => e);
    expect((noNode as zookeeper.Exception).getCode()).toBe(zookeeper.Exception.NO_NODE);
    await call((cb) => client.create('/dup', cb));
    const exists = await call((cb) => client.create('/dup', cb)).catch((e: unknown) => e);
    expect((exists as zookeeper.Exception).getCode()).toBe(zookeeper.Exception.NODE_EXISTS);
  });

  it('delivers data, exists and child watches', async () => {
    await call((cb) => client.create('/w', cb));
    const dataEvent = new Promise<zookeeper.Event>((resolve) =>
      client.getData('/w', resolve, () => undefined),
    );
    const childEvent = new Promise<zookeeper.Event>((resolve) =>
      client.getChildren('/w', resolve, () => undefined),
    );
    const existsEvent = new Promise<zookeeper.Event>((resolve) =>
      client.exists('/w/new', resolve, () => undefined),
    );
    await call((cb) => client.setData('/w', Buffer.from('x'), -1, cb));
    expect((await dataEvent).getType()).toBe(zookeeper.Event.NODE_DATA_CHANGED);
    await call((cb) => client.create('/w/new', cb));
    expect((await existsEvent).getType()).toBe(zookeeper.Event.NODE_CREATED);
    const child = await childEvent;
    expect(child.getType()).toBe(zookeeper.Event.NODE_CHILDREN_CHANGED);
    expect(child.getPath()).toBe('/w');
  });

  it('runs a transaction', async () => {
    const results = await call<unknown[]>((cb) =>
      client
        .transaction()
        .create('/tx')
        .create('/tx/a', Buffer.from('a'))
        .setData('/tx/a', Buffer.from('b'))
        .remove('/tx/a')
        .commit(cb),
    );
    expect(results).toHaveLength(4);
    const failed = await call((cb) =>
      client.transaction().create('/tx2').remove('/missing').commit(cb),
    ).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(Error);
    expect(await call((cb) => client.exists('/tx2', cb))).toBeNull();
  });

  it('keeps an ephemeral node for the session and removes it when the session closes', async () => {
    const other = await connectClient(server.connectString);
    await call((cb) => other.create('/eph', zookeeper.CreateMode.EPHEMERAL, cb));
    const owner = (await call<zookeeper.Stat>((cb) => client.exists('/eph', cb))).ephemeralOwner;
    expect(owner.toString('hex')).toBe(other.getSessionId().toString('hex'));
    const deleted = new Promise<zookeeper.Event>((resolve) =>
      client.exists('/eph', resolve, () => undefined),
    );
    other.close();
    expect((await deleted).getType()).toBe(zookeeper.Event.NODE_DELETED);
  });
});
