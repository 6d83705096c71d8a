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
});
