import { CreateMode, OPEN_ACL_UNSAFE } from '@shepherd/zk-protocol';
import {
  ROOTS,
  TaskRecord,
  encodeRecord,
  keyHash,
  newTaskId,
  newTaskRecord,
  paths,
} from '@shepherd/taskqueue';
import { TestCluster } from './support/cluster';
import { waitFor } from '../../../../test/support/wait-for';

const cluster = TestCluster.perTest();

const DAY = 24 * 3600 * 1000;

/** A finished task submitted at `submittedAt`, with an idempotency key, as /status holds it. */
async function finished(submittedAt: number, n: number): Promise<string> {
  const id = newTaskId(submittedAt);
  const key = `key-${n}`;
  const record: TaskRecord = {
    ...newTaskRecord(id, 'echo', { n }, { idempotencyKey: key }, submittedAt),
    state: 'done',
    result: n,
  };
  await cluster.admin.multi([
    {
      type: 'create',
      path: paths.status(id),
      data: encodeRecord(record),
      options: { acl: OPEN_ACL_UNSAFE, mode: CreateMode.PERSISTENT },
    },
    {
      type: 'create',
      path: paths.key(keyHash(key)),
      data: Buffer.from(id),
      options: { acl: OPEN_ACL_UNSAFE, mode: CreateMode.PERSISTENT },
    },
  ]);
  return id;
}

async function exists(path: string): Promise<boolean> {
  return (await cluster.admin.exists(path)) !== null;
}

describe('Master: retention', () => {
  it('prunes records past maxAgeMs, then the oldest beyond maxCount, with their keys', async () => {
    const now = Date.now();
    const old = [];
    for (let i = 0; i < 3; i++) old.push(await finished(now - 10 * DAY - i * 1000, i));
    const recent = [];
    for (let i = 0; i < 8; i++) recent.push(await finished(now - (8 - i) * 60_000, 10 + i));
    // A record that is not a task id is never touched.
    await cluster.admin.create(`${ROOTS.status}/00/not-a-task`);

    const master = await cluster.master('m1', {
      retention: { maxAgeMs: 7 * DAY, maxCount: 5, intervalMs: 150 },
    });
    await master.start();
    await waitFor('pruned', () => master.stats().pruned === 6);

    // 3 past the age; of the 8 recent ones the 3 oldest exceed the count of 5.
    for (const id of [...old, ...recent.slice(0, 3)])
      expect(await exists(paths.status(id))).toBe(false);
    for (const id of recent.slice(3)) expect(await exists(paths.status(id))).toBe(true);
    for (let i = 0; i < 3; i++) expect(await exists(paths.key(keyHash(`key-${i}`)))).toBe(false);
    for (let i = 10; i < 13; i++) expect(await exists(paths.key(keyHash(`key-${i}`)))).toBe(false);
    for (let i = 13; i < 18; i++) expect(await exists(paths.key(keyHash(`key-${i}`)))).toBe(true);
    expect(await exists(`${ROOTS.status}/00/not-a-task`)).toBe(true);

    // Later passes find nothing more to do.
    await new Promise((r) => setTimeout(r, 400));
    expect(master.stats().pruned).toBe(6);
  });

  it('only the leader prunes', async () => {
    const id = await finished(Date.now() - 30 * DAY, 1);
    const retention = { maxAgeMs: DAY, maxCount: 100, intervalMs: 100 };
    const a = await cluster.master('a', { retention });
    const b = await cluster.master('b', { retention });
    await a.start();
    await b.start();
    await waitFor('pruned', async () => !(await exists(paths.status(id))));
    expect(a.stats().pruned).toBe(1);
    expect(b.stats().pruned).toBe(0);
  });
});
