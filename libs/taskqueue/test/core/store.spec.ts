import { OPEN_ACL_UNSAFE } from '@shepherd/zk-protocol';
import { ZooKeeperClient } from '@shepherd/zk-client';
import { ZkServer } from '@shepherd/zk-server';
import {
  BUCKET_COUNT,
  FenceError,
  LayoutMismatchError,
  ROOTS,
  assignTransition,
  chunkItems,
  commitBatch,
  ensureLayout,
  leaderFence,
  newTaskId,
  newTaskRecord,
  paths,
  readTask,
  submitTransition,
  workerFence,
} from '@shepherd/taskqueue';

let server: ZkServer;
let client: ZooKeeperClient;
const ctx = () => ({ acl: OPEN_ACL_UNSAFE, now: Date.now() });

beforeAll(async () => {
  server = new ZkServer({ port: 0, tickTime: 100 });
  await server.start();
  client = new ZooKeeperClient(server.connectString, { sessionTimeout: 4000 });
  await client.connect();
  await ensureLayout(client);
});

afterAll(async () => {
  await client?.close();
  await server?.stop();
});

function submit(type = 'echo', options = {}) {
  const record = newTaskRecord(newTaskId(), type, { type }, options, Date.now());
  return submitTransition(ctx(), record);
}

describe('ensureLayout', () => {
  it('creates every root and bucket once, then the marker', async () => {
    expect(await client.getAllChildrenNumber(ROOTS.tasks)).toBe(BUCKET_COUNT);
    expect(await client.getAllChildrenNumber(ROOTS.keys)).toBe(BUCKET_COUNT);
    await ensureLayout(client); // a second call is a no-op
    expect(JSON.parse(String((await client.getData(ROOTS.layout)).data))).toEqual({
      version: 1,
      buckets: BUCKET_COUNT,
    });
  });

  it('refuses a tree laid out with another bucket count', async () => {
    const other = new ZooKeeperClient(`${server.connectString}/other`);
    await client.create('/other');
    await other.connect();
    await other.create(ROOTS.layout, JSON.stringify({ version: 1, buckets: 16 }));
    await expect(ensureLayout(other)).rejects.toThrow(LayoutMismatchError);
    await other.close();
  });
});

describe('commitBatch', () => {
  it('commits items, rejecting only the one whose op failed', async () => {
    const items = [submit(), submit(), submit()].map((t) => ({ ops: t.ops, value: t.record.id }));
    // A duplicate of the second item fails on NodeExists; the others still commit.
    await commitBatch(client, [items[1]]);
    const outcome = await commitBatch(client, items);
    expect(outcome.committed).toEqual([items[0].value, items[2].value]);
    expect(outcome.rejected.map((r) => [r.value, r.error.name])).toEqual([
      [items[1].value, 'NodeExistsError'],
    ]);
    for (const i of items) expect((await readTask(client, i.value))?.area).toBe('tasks');
  });

  it('throws FenceError when the fence fails, and nothing lands', async () => {
    const t = submit();
    await expect(
      commitBatch(client, [{ ops: t.ops, value: t.record.id }], [leaderFence('/election/gone')]),
    ).rejects.toThrow(FenceError);
    expect(await readTask(client, t.record.id)).toBeNull();
  });

  it('splits by the multi size limits', () => {
    const big = Buffer.alloc(300 * 1024);
    const items = Array.from({ length: 5 }, (_, i) => ({
      ops: [{ type: 'create' as const, path: `/x${i}`, data: big, options: {} }],
      value: i,
    }));
    expect(chunkItems(items, []).map((c) => c.length)).toEqual([2, 2, 1]);
    const many = Array.from({ length: 2500 }, (_, i) => ({
      ops: [{ type: 'check' as const, path: `/x${i}`, version: -1 }],
      value: i,
    }));
    expect(chunkItems(many, [leaderFence('/e')]).map((c) => c.length)).toEqual([999, 999, 502]);
  });

  it('a fenced assignment moves the task whole, or not at all', async () => {
    const t = submit();
    await commitBatch(client, [{ ops: t.ops, value: 1 }]);
    const stored = await readTask(client, t.record.id);
    const assign = assignTransition(ctx(), stored!.record, stored!.version, {
      workerId: 'w9',
      session: '1',
    });
    // No /workers/w9: the worker fence fails and the task stays queued.
    const out = await commitBatch(client, [{ ops: [workerFence('w9'), ...assign.ops], value: 1 }]);
    expect(out.rejected[0].error.name).toBe('NoNodeError');
    expect((await readTask(client, t.record.id))?.area).toBe('tasks');

    await client.create(paths.worker('w9'));
    await client.create(paths.assignRoot('w9'));
    const ok = await commitBatch(client, [{ ops: [workerFence('w9'), ...assign.ops], value: 1 }]);
    expect(ok.committed).toEqual([1]);
    const moved = await readTask(client, t.record.id);
    expect(moved).toMatchObject({
      area: 'assign',
      workerId: 'w9',
      record: { state: 'assigned', attempts: 1 },
    });
  });

  it('sends a guard shared by items once per multi; a failed guard rejects all its items', async () => {
    await client.create(paths.worker('w7'));
    await client.create(paths.assignRoot('w7'));
    const queued = [submit(), submit(), submit(), submit()];
    await commitBatch(
      client,
      queued.map((t) => ({ ops: t.ops, value: 0 })),
    );
    const assignTo = (t: (typeof queued)[number], workerId: string) => {
      const a = assignTransition(ctx(), t.record, 0, { workerId, session: '1' });
      return { ops: a.ops, value: t.record.id, guard: workerFence(workerId) };
    };
    // Two items for the live w7, two for w8 (not registered) in between.
    const items = [
      assignTo(queued[0], 'w7'),
      assignTo(queued[1], 'w8'),
      assignTo(queued[2], 'w7'),
      assignTo(queued[3], 'w8'),
    ];
    const sent: number[] = [];
    const multi = client.multi.bind(client);
    const spy = jest.spyOn(client, 'multi').mockImplementation((ops) => {
      sent.push(ops.filter((op) => op.type === 'check').length);
      return multi(ops);
    });
    try {
      const out = await commitBatch(client, items, [leaderFence(paths.worker('w7'))]);
      expect(out.committed).toEqual([items[0].value, items[2].value]);
      expect(out.rejected.map((r) => [r.value, r.error.name])).toEqual([
        [items[1].value, 'NoNodeError'],
        [items[3].value, 'NoNodeError'],
      ]);
    } finally {
      spy.mockRestore();
    }
    // First multi: the fence and one check per worker (not four); the retry: fence and w7's.
    expect(sent).toEqual([3, 2]);
    for (const i of [0, 2]) expect((await readTask(client, items[i].value))?.area).toBe('assign');
    for (const i of [1, 3]) expect((await readTask(client, items[i].value))?.area).toBe('tasks');
  });

  it('counts a guard once per chunk when splitting by the limits', () => {
    const guard = workerFence('w1');
    const many = Array.from({ length: 2500 }, (_, i) => ({
      ops: [{ type: 'check' as const, path: `/x${i}`, version: -1 }],
      value: i,
      guard,
    }));
    expect(chunkItems(many, [leaderFence('/e')]).map((c) => c.length)).toEqual([998, 998, 504]);
  });
});

describe('readTask', () => {
  it('answers null for an unknown id', async () => {
    expect(await readTask(client, newTaskId())).toBeNull();
  });
});
