import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateMode, OPEN_ACL_UNSAFE, OpCode } from '@shepherd/zk-protocol';
import { ZkServer } from '@shepherd/zk-server';
import { RawClient, startServer } from './server-test-kit';

describe('ZkServer with a data directory', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'zk-server-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('recovers the tree, the sessions and the zxid after a restart', async () => {
    let server: ZkServer = await startServer({ dataDir: dir, snapCount: 3 });
    const { client, response } = await RawClient.session(server);
    const writes = [
      { path: '/p', flags: CreateMode.PERSISTENT },
      { path: '/p/a', flags: CreateMode.PERSISTENT },
      { path: '/e', flags: CreateMode.EPHEMERAL },
      { path: '/p/b', flags: CreateMode.PERSISTENT },
    ];
    for (const [i, w] of writes.entries()) {
      client.request(i + 1, {
        op: OpCode.create,
        path: w.path,
        data: Buffer.from(w.path),
        acl: OPEN_ACL_UNSAFE,
        flags: w.flags,
      });
      expect((await client.nextReply()).header.err).toBe(0);
    }
    const lastZxid = server.core.lastZxid;
    client.destroy();
    await server.stop();

    server = await startServer({ dataDir: dir });
    try {
      expect(server.recovery?.lastZxid).toBe(lastZxid);
      expect(server.core.lastZxid).toBe(lastZxid);
      expect(server.core.tree.getChildren('/p')?.children.sort()).toEqual(['a', 'b']);
      // Same id + password still work: the session and its ephemeral survived.
      const { client: back, response: again } = await RawClient.session(server, {
        sessionId: response.sessionId,
        passwd: response.passwd,
        lastZxidSeen: lastZxid,
      });
      expect(again.sessionId).toBe(response.sessionId);
      back.request(1, { op: OpCode.getData, path: '/e', watch: false });
      const reply = await back.nextReply();
      expect(reply.header.err).toBe(0);
      back.request(2, { op: OpCode.delete, path: '/p/a', version: -1 });
      expect((await back.nextReply()).header.zxid).toBe(lastZxid + 1n);
      back.destroy();
    } finally {
      await server.stop();
    }
  });

  // Null and empty data are different on the wire (jute buffer length -1 and 0) and ZooKeeper
  // keeps them apart through its txn log and snapshots: null comes back as null.
  it('keeps null data apart from empty data through the snapshot and the log', async () => {
    // snapCount 4: the first writes land in a snapshot, the last ones only in the log.
    let server: ZkServer = await startServer({ dataDir: dir, snapCount: 4 });
    const { client } = await RawClient.session(server);
    const writes: [string, Buffer | null][] = [
      ['/snap-null', null],
      ['/snap-empty', Buffer.alloc(0)],
      ['/snap-set', Buffer.from('x')],
      ['/pad1', null],
      ['/pad2', null],
      ['/log-null', null],
      ['/log-empty', Buffer.alloc(0)],
    ];
    for (const [i, [path, data]] of writes.entries()) {
      client.request(i + 1, { op: OpCode.create, path, data, acl: OPEN_ACL_UNSAFE, flags: 0 });
      expect((await client.nextReply()).header.err).toBe(0);
    }
    client.request(writes.length + 1, {
      op: OpCode.setData,
      path: '/snap-set',
      data: null,
      version: -1,
    });
    expect((await client.nextReply()).header.err).toBe(0);
    client.destroy();
    await server.stop();

    server = await startServer({ dataDir: dir });
    try {
      expect(server.recovery?.snapshot).not.toBeNull();
      expect(server.recovery?.txnsReplayed).toBeGreaterThan(0);
      const tree = server.core.tree;
      expect(tree.getData('/snap-null')?.data).toBeNull();
      expect(tree.getData('/snap-empty')?.data).toEqual(Buffer.alloc(0));
      expect(tree.getData('/snap-set')?.data).toBeNull();
      expect(tree.getData('/log-null')?.data).toBeNull();
      expect(tree.getData('/log-empty')?.data).toEqual(Buffer.alloc(0));
      expect(tree.getData('/snap-null')?.stat.dataLength).toBe(0);
      // And on the wire: a getData reply carries length -1.
      const { client: back } = await RawClient.session(server);
      back.request(1, { op: OpCode.getData, path: '/log-null', watch: false });
      const reply = await back.nextReply();
      expect(reply.header.err).toBe(0);
      expect(reply.response).toMatchObject({ data: null });
      back.destroy();
    } finally {
      await server.stop();
    }
  });
});
