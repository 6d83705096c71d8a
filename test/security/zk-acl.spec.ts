import request from 'supertest';
import { ZooKeeperClient } from '@shepherd/zk-client';
import { type ACL, NoAuthError, NotEmptyError, Perms } from '@shepherd/zk-protocol';
import { ZkServer } from '@shepherd/zk-server';
import {
  QueueApp,
  SESSION_TIMEOUT_MS,
  ZK_AUTH,
  ZK_PASSWORD,
  ZK_USER,
  digestId,
  startServer,
} from './queue-app';

// ZK_AUTH set: every znode Shepherd creates (the chroot, the layout, tasks, records, keys,
// workers, election candidates) carries the digest ACL of its creator, so a client without
// those credentials can neither read nor change the queue.

const CHROOT = '/secured-queue';

/** The master's election candidate: made by the election recipe, with the ACL the master passes. */
const ELECTION_CANDIDATE = /^\/election\/.+$/;

const EXPECTED_ACL = (): ACL[] => [
  { perms: Perms.ALL, id: { scheme: 'digest', id: digestId(ZK_USER, ZK_PASSWORD) } },
];

let server: ZkServer;
let queue: QueueApp;
let owner: ZooKeeperClient;
const strangers: ZooKeeperClient[] = [];
/** Every znode of the queue, relative to the chroot ("/" is the chroot itself). */
let znodes: string[];
let queuedId: string;
let doneId: string;

async function client(auth?: { scheme: string; auth: string }[]): Promise<ZooKeeperClient> {
  const c = new ZooKeeperClient(`${server.connectString}${CHROOT}`, {
    sessionTimeout: SESSION_TIMEOUT_MS,
    ...(auth && { auth }),
  });
  await c.connect();
  return c;
}

async function walk(c: ZooKeeperClient, path: string, out: string[]): Promise<void> {
  out.push(path);
  for (const child of await c.getChildren(path)) {
    await walk(c, path === '/' ? `/${child}` : `${path}/${child}`, out);
  }
}

beforeAll(async () => {
  server = await startServer();
  queue = await QueueApp.start(server.connectString, CHROOT, { zkAuth: ZK_AUTH, roles: true });

  const done = await request(queue.http)
    .post('/tasks')
    .send({ type: 'echo', payload: { secret: 42 }, idempotencyKey: 'k-1' })
    .expect(202);
  doneId = done.body.id;
  await request(queue.http).get(`/tasks/${doneId}?wait=15`).expect(200);
  const queued = await request(queue.http)
    .post('/tasks')
    .send({ type: 'echo', delayMs: 600_000 })
    .expect(202);
  queuedId = queued.body.id;

  owner = await client([{ scheme: 'digest', auth: ZK_AUTH }]);
  znodes = [];
  await walk(owner, '/', znodes);
  strangers.push(await client());
  strangers.push(await client([{ scheme: 'digest', auth: `${ZK_USER}:not-the-password` }]));
  strangers.push(await client([{ scheme: 'digest', auth: `someone-else:${ZK_PASSWORD}` }]));
}, 60_000);

afterAll(async () => {
  for (const c of [owner, ...strangers]) await c?.close().catch(() => undefined);
  await queue?.stop();
  await server?.stop();
});

const STRANGERS = ['no credentials', 'the wrong password', 'another user'] as const;

function stranger(name: (typeof STRANGERS)[number]): ZooKeeperClient {
  return strangers[STRANGERS.indexOf(name)];
}

/** A few znodes of every kind, found in the walked tree. */
function samples(): string[] {
  const pick = (re: RegExp) => {
    const found = znodes.find((p) => re.test(p));
    if (!found) throw new Error(`no znode matches ${re}: ${znodes.slice(0, 20).join(' ')}`);
    return found;
  };
  return [
    '/',
    pick(/^\/layout$/),
    pick(/^\/tasks$/),
    pick(/^\/tasks\/[0-9a-f]{2}$/),
    pick(new RegExp(`^/tasks/[0-9a-f]{2}/${queuedId}$`)),
    pick(new RegExp(`^/status/[0-9a-f]{2}/${doneId}$`)),
    pick(/^\/keys\/[0-9a-f]{2}\/.+$/),
    pick(/^\/workers\/w1$/),
    pick(/^\/election$/),
    pick(/^\/assign\/w1$/),
    pick(/^\/dead$/),
  ];
}

it('the tree holds the queue: its roots, the two tasks, the worker and the master', () => {
  expect(znodes.length).toBeGreaterThan(1000); // 4 bucketed roots of 256 buckets
  expect(samples()).toHaveLength(11);
});

it('every znode of the queue carries only the digest ACL of ZK_AUTH, with all permissions', async () => {
  const expected = EXPECTED_ACL();
  const wrong: string[] = [];
  for (const path of znodes) {
    const { acl } = await owner.getACL(path);
    if (JSON.stringify(acl) !== JSON.stringify(expected)) {
      wrong.push(`${path} ${JSON.stringify(acl)}`);
    }
  }
  expect(wrong).toEqual([]);
});

describe.each(STRANGERS)('a client with %s', (name) => {
  it('cannot read any znode: getData, getChildren and getACL are NoAuth', async () => {
    const c = stranger(name);
    const readable: string[] = [];
    for (const path of znodes) {
      for (const read of [() => c.getData(path), () => c.getChildren(path)]) {
        const err = await read().then(
          () => undefined,
          (e: unknown) => e,
        );
        if (!(err instanceof NoAuthError)) readable.push(`${path}: ${String(err)}`);
      }
    }
    expect(readable).toEqual([]);
    for (const path of samples()) {
      await expect(c.getACL(path)).rejects.toBeInstanceOf(NoAuthError);
    }
  });

  it('cannot change any znode: setData, create, delete and setACL are NoAuth', async () => {
    const c = stranger(name);
    for (const path of samples()) {
      const before = await owner.getData(path);
      await expect(c.setData(path, 'tampered')).rejects.toBeInstanceOf(NoAuthError);
      const child = path === '/' ? '/intruder' : `${path}/intruder`;
      await expect(c.create(child, 'x')).rejects.toBeInstanceOf(NoAuthError);
      await expect(
        c.setACL(path, [{ perms: Perms.ALL, id: { scheme: 'world', id: 'anyone' } }]),
      ).rejects.toBeInstanceOf(NoAuthError);
      if (path === '/') {
        // The chroot's parent is ZooKeeper's own open root: the delete gets as far as the
        // children check, and the chroot stays.
        await expect(c.delete(path)).rejects.toBeInstanceOf(NotEmptyError);
      } else {
        await expect(c.delete(path)).rejects.toBeInstanceOf(NoAuthError);
      }
      const after = await owner.getData(path);
      expect(after.stat.mzxid).toBe(before.stat.mzxid);
      expect(after.data).toEqual(before.data);
      expect(await owner.exists(path)).not.toBeNull();
    }
  });
});

it('the master’s election candidate carries the digest ACL too', async () => {
  const candidate = znodes.find((p) => ELECTION_CANDIDATE.test(p));
  expect(candidate).toBeDefined();
  expect((await owner.getACL(candidate!)).acl).toEqual(EXPECTED_ACL());
  await expect(stranger('no credentials').getData(candidate!)).rejects.toBeInstanceOf(NoAuthError);
});

it('the queue still works for its own identity afterwards', async () => {
  const res = await request(queue.http).get(`/tasks/${doneId}`).expect(200);
  expect(res.body).toMatchObject({ id: doneId, state: 'done', result: { secret: 42 } });
  await request(queue.http).get(`/tasks/${queuedId}`).expect(200);
  expect(await owner.getChildren('/workers')).toEqual(['w1']);
});
