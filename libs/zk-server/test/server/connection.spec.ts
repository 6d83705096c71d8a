import {
  CreateMode,
  ErrorCode,
  JuteWriter,
  OPEN_ACL_UNSAFE,
  OpCode,
  encodeConnectRequest,
  encodeRequest,
} from '@shepherd/zk-protocol';
import { ZkServer } from '@shepherd/zk-server';
import { RawClient, eventually, startServer } from './server-test-kit';

describe('ZkServer connections (raw protocol)', () => {
  let server: ZkServer;
  beforeEach(async () => {
    server = await startServer({ maxFrameSize: 1024 });
  });
  afterEach(() => server.stop());

  it('creates a session: negotiated timeout, id and a 16-byte password', async () => {
    const { client, response } = await RawClient.session(server, { timeOut: 1_000_000 });
    expect(response.timeOut).toBe(40000); // clamped to 20 ticks of 2000 ms
    expect(response.sessionId).not.toBe(0n);
    expect(response.passwd).toHaveLength(16);
    expect(response.readOnly).toBe(false);
    client.request(1, { op: OpCode.exists, path: '/', watch: false });
    const reply = await client.nextReply();
    expect(reply.header).toMatchObject({ xid: 1, err: 0 });
    client.destroy();
  });

  it('omits the readOnly byte for a client that did not send one', async () => {
    const { client, response } = await RawClient.session(server, { readOnly: undefined });
    expect(response.readOnly).toBeUndefined();
    client.destroy();
  });

  it('answers a re-attach with a wrong password as expired (timeOut 0, id 0), then closes', async () => {
    const { client: first, response } = await RawClient.session(server);
    const { client, response: refused } = await RawClient.session(server, {
      sessionId: response.sessionId,
      passwd: Buffer.alloc(16, 7),
    });
    expect(refused.timeOut).toBe(0);
    expect(refused.sessionId).toBe(0n);
    expect(refused.passwd).toEqual(Buffer.alloc(16));
    await client.waitClosed();
    // The session itself is untouched.
    first.request(1, { op: OpCode.exists, path: '/', watch: false });
    expect((await first.nextReply()).header.err).toBe(0);
    first.destroy();
  });

  it('answers a re-attach to an unknown session as expired', async () => {
    const { client, response } = await RawClient.session(server, {
      sessionId: 0x1234n,
      passwd: Buffer.alloc(16),
    });
    expect(response.timeOut).toBe(0);
    await client.waitClosed();
  });

  it('re-attaches with id + password and closes the old connection', async () => {
    const { client: first, response } = await RawClient.session(server);
    const { client: second, response: again } = await RawClient.session(server, {
      sessionId: response.sessionId,
      passwd: response.passwd,
    });
    expect(again.sessionId).toBe(response.sessionId);
    expect(again.timeOut).toBeGreaterThan(0);
    await first.waitClosed();
    second.request(1, { op: OpCode.exists, path: '/', watch: false });
    expect((await second.nextReply()).header.err).toBe(0);
    second.destroy();
  });

  it('refuses a client whose lastZxidSeen is ahead of the server', async () => {
    const client = await RawClient.open(server);
    client.write(
      encodeConnectRequest({
        protocolVersion: 0,
        lastZxidSeen: 1000n,
        timeOut: 30000,
        sessionId: 0n,
        passwd: Buffer.alloc(16),
      }),
    );
    await client.waitClosed();
    expect(client.frames).toEqual([]);
  });

  it('closes only the connection that sends a frame over jute.maxbuffer', async () => {
    const { client: other } = await RawClient.session(server);
    const { client: big } = await RawClient.session(server);
    const header = Buffer.alloc(4);
    header.writeInt32BE(2048);
    big.write(header);
    await big.waitClosed();
    other.request(1, { op: OpCode.exists, path: '/', watch: false });
    expect((await other.nextReply()).header.err).toBe(0);
    other.destroy();
  });

  it('closes a connection that sends garbage, and keeps serving others', async () => {
    const garbage = await RawClient.open(server);
    garbage.write(Buffer.from([0xde, 0xad, 0xbe, 0xef, 1, 2, 3, 4, 5, 6, 7, 8]));
    await garbage.waitClosed();
    const tiny = await RawClient.open(server);
    tiny.write(Buffer.from([0, 0, 0, 2, 1, 2])); // a 2-byte ConnectRequest
    await tiny.waitClosed();
    const { client } = await RawClient.session(server);
    client.request(1, { op: OpCode.getChildren, path: '/', watch: false });
    expect((await client.nextReply()).response).toMatchObject({ children: ['zookeeper'] });
    client.destroy();
  });

  it('answers an unknown opcode with Unimplemented and a bad body with MarshallingError', async () => {
    const { client: first } = await RawClient.session(server);
    const unknown = new JuteWriter();
    unknown.writeInt(5);
    unknown.writeInt(999);
    first.write(unknown.toFrame());
    const reply = await first.nextReply();
    expect(reply.header).toMatchObject({ xid: 5, err: ErrorCode.Unimplemented });
    // UnimplementedRequestProcessor: the reply, then the connection is closed.
    await first.waitClosed();
    const { client } = await RawClient.session(server);
    const truncated = new JuteWriter();
    truncated.writeInt(6);
    truncated.writeInt(OpCode.getData);
    truncated.writeInt(100); // a string length with no bytes behind it
    client.write(truncated.toFrame());
    expect((await client.nextReply()).header).toMatchObject({
      xid: 6,
      err: ErrorCode.MarshallingError,
    });
    // A frame too short for a RequestHeader cannot be answered: the connection goes.
    client.write(Buffer.from([0, 0, 0, 1, 9]));
    await client.waitClosed();
  });

  it('answers an unknown auth scheme with AuthFailed, then closes', async () => {
    const { client } = await RawClient.session(server);
    client.request(-4, { op: OpCode.auth, type: 0, scheme: 'nope', auth: Buffer.from('x') });
    expect((await client.nextReply()).header).toMatchObject({
      xid: -4,
      err: ErrorCode.AuthFailed,
    });
    await client.waitClosed();
  });

  it('answers pings with xid -2 and the last zxid', async () => {
    const { client } = await RawClient.session(server);
    client.request(1, {
      op: OpCode.create,
      path: '/p',
      data: Buffer.from('x'),
      acl: OPEN_ACL_UNSAFE,
      flags: CreateMode.PERSISTENT,
    });
    const created = await client.nextReply();
    client.request(-2, { op: OpCode.ping });
    const ping = await client.nextReply();
    expect(ping.header).toEqual({ xid: -2, zxid: created.header.zxid, err: 0 });
    client.destroy();
  });

  it('consumes a zxid for a failed write (ErrorTxn) and replies with its error', async () => {
    const { client } = await RawClient.session(server);
    const before = server.core.lastZxid;
    client.request(1, { op: OpCode.delete, path: '/missing', version: -1 });
    const reply = await client.nextReply();
    expect(reply.header.err).toBe(ErrorCode.NoNode);
    expect(reply.header.zxid).toBe(before + 1n);
    client.destroy();
  });

  it('closes the session on closeSession: reply, ephemerals gone, connection closed', async () => {
    const { client } = await RawClient.session(server);
    client.request(1, {
      op: OpCode.create,
      path: '/eph',
      data: Buffer.alloc(0),
      acl: OPEN_ACL_UNSAFE,
      flags: CreateMode.EPHEMERAL,
    });
    expect((await client.nextReply()).header.err).toBe(0);
    client.request(2, { op: OpCode.closeSession });
    expect((await client.nextReply()).header).toMatchObject({ xid: 2, err: 0 });
    await client.waitClosed();
    expect(server.core.tree.getNode('/eph')).toBeUndefined();
    expect(server.core.sessions.size).toBe(0);
  });

  it('still answers closeSession when more requests follow it in the same chunk', async () => {
    const { client } = await RawClient.session(server);
    client.write(
      Buffer.concat([
        encodeRequest(1, { op: OpCode.closeSession }),
        encodeRequest(2, { op: OpCode.exists, path: '/', watch: false }),
      ]),
    );
    expect((await client.nextReply()).header).toMatchObject({ xid: 1, err: 0 });
    await client.waitClosed();
    expect(client.frames).toEqual([]);
  });

  it('limits connections per client IP (maxClientCnxns)', async () => {
    const limited = await startServer({ maxClientCnxns: 2 });
    try {
      const a = await RawClient.open(limited);
      const b = await RawClient.open(limited);
      const c = await RawClient.open(limited);
      await c.waitClosed();
      await eventually('two connections', () => limited.connectionCount === 2);
      a.destroy();
      b.destroy();
    } finally {
      await limited.stop();
    }
  });
});
