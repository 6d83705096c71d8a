import request from 'supertest';
import { ZooKeeperClient } from '@shepherd/zk-client';
import { bucketOf } from '@shepherd/taskqueue';
import { QueueApp, ZK_AUTH, ZK_PASSWORD, ZK_USER, digestId } from '../security/queue-app';
import { ZkCluster, startStandalone } from '../support/zk-harness';
import { runZkCli } from '../tools/zkcli-runner';

// ZK_AUTH set, on Apache ZooKeeper: Debian's zkCli.sh without the credentials can neither read
// nor change Shepherd's znodes; with `addauth digest` it can, and getAcl shows the digest ACL.

const CHROOT = '/secured';

let zk: ZkCluster;
let queue: QueueApp;
let doneId: string;

/** zkCli.sh's output; it exits non-zero after a refused command, which is expected here. */
async function zkCli(commands: string[]): Promise<string> {
  return runZkCli(zk.connectString, commands).catch((err: Error) => err.message);
}

beforeAll(async () => {
  zk = await startStandalone();
  queue = await QueueApp.start(zk.connectString, CHROOT, { zkAuth: ZK_AUTH, roles: true });
  const res = await request(queue.http)
    .post('/tasks')
    .send({ type: 'echo', payload: 'classified', idempotencyKey: 'k-1' })
    .expect(202);
  doneId = res.body.id;
  await request(queue.http).get(`/tasks/${doneId}?wait=30`).expect(200);
}, 120_000);

afterAll(async () => {
  await queue?.stop();
  await zk?.stop();
});

it('zkCli.sh without credentials gets "Insufficient permission" on every read and write', async () => {
  const status = `${CHROOT}/status/${bucketOf(doneId)}/${doneId}`;
  const out = await zkCli([
    `ls ${CHROOT}`,
    `get ${CHROOT}/layout`,
    `ls ${CHROOT}/tasks`,
    `get ${status}`,
    `get ${CHROOT}/workers/w1`,
    `getAcl ${CHROOT}/layout`,
    `set ${CHROOT}/layout tampered`,
    `set ${status} tampered`,
    `create ${CHROOT}/tasks/intruder x`,
    `create ${CHROOT}/intruder x`,
    `delete ${status}`,
    `deleteall ${CHROOT}/status`,
    `setAcl ${CHROOT}/layout world:anyone:cdrwa`,
  ]);
  for (const path of [
    CHROOT,
    `${CHROOT}/layout`,
    `${CHROOT}/tasks`,
    status,
    `${CHROOT}/workers/w1`,
    `${CHROOT}/tasks/intruder`,
    `${CHROOT}/intruder`,
  ]) {
    expect(out).toMatch(new RegExp(`(Insufficient permission|NoAuth)[^\\n]*${path}`));
  }
  expect(out).not.toContain('classified');
  expect(out).not.toMatch(/Created \//);
  expect(out).not.toContain("'digest");

  // Nothing changed: the owner still reads every record as it was.
  const owner = new ZooKeeperClient(`${zk.connectString}${CHROOT}`, {
    sessionTimeout: 4000,
    auth: [{ scheme: 'digest', auth: ZK_AUTH }],
  });
  await owner.connect();
  try {
    expect((await owner.getData(`/status/${bucketOf(doneId)}/${doneId}`)).stat.version).toBe(0);
    expect(await owner.exists('/intruder')).toBeNull();
    expect(await owner.exists('/tasks/intruder')).toBeNull();
    expect((await owner.getACL('/layout')).acl).toEqual([
      { perms: 31, id: { scheme: 'digest', id: digestId(ZK_USER, ZK_PASSWORD) } },
    ]);
  } finally {
    await owner.close();
  }
  await request(queue.http).get(`/tasks/${doneId}`).expect(200);
}, 120_000);

it('zkCli.sh with addauth digest reads them, and getAcl shows the digest ACL', async () => {
  const out = await zkCli([
    `addauth digest ${ZK_AUTH}`,
    `getAcl ${CHROOT}/layout`,
    `get ${CHROOT}/status/${bucketOf(doneId)}/${doneId}`,
    `ls ${CHROOT}/workers`,
  ]);
  expect(out).toContain(`'digest,'${digestId(ZK_USER, ZK_PASSWORD)}`);
  expect(out).toMatch(/: cdrwa/);
  expect(out).toContain('classified');
  expect(out).toContain('[w1]');
  expect(out).not.toMatch(/Insufficient permission|NoAuth/);
}, 120_000);

// The election candidate is made by the election recipe, with the ACL the master passes on.
it('zkCli.sh without credentials cannot read the master’s election candidate', async () => {
  const owner = new ZooKeeperClient(`${zk.connectString}${CHROOT}`, {
    sessionTimeout: 4000,
    auth: [{ scheme: 'digest', auth: ZK_AUTH }],
  });
  await owner.connect();
  const [candidate] = await owner.getChildren('/election').finally(() => owner.close());
  const out = await zkCli([`get ${CHROOT}/election/${candidate}`]);
  expect(out).toContain(`Insufficient permission : ${CHROOT}/election/${candidate}`);
}, 120_000);
