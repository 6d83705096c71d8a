import { ZooKeeperClient } from '@shepherd/zk-client';
import { ErrorCode, FrameLengthError, JuteWriter, OpCode } from '@shepherd/zk-protocol';
import { ZkServer, ZkServerConfig } from '@shepherd/zk-server';
import { RawClient } from '../../libs/zk-server/test/server/server-test-kit';
import { waitFor } from '../support/wait-for';

// The embedded server at the edges of what a client may send, each case checked against
// ZooKeeper 3.8's NIOServerCnxn / ZooKeeperServer / FinalRequestProcessor behaviour: a bad
// connection is answered or dropped on its own, and every other connection is unaffected.

const servers: ZkServer[] = [];
const unexpected: string[] = [];

async function startServer(config: ZkServerConfig = {}): Promise<ZkServer> {
  const server = new ZkServer({
    port: 0,
    onError: (err, where) => {
      if (!(err instanceof FrameLengthError)) unexpected.push(`${where}: ${String(err)}`);
    },
    ...config,
  });
  await server.start();
  servers.push(server);
  return server;
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.stop()));
  expect(unexpected.splice(0)).toEqual([]);
});

/** A raw connection with its session established. */
async function rawSession(server: ZkServer): Promise<RawClient> {
  return (await RawClient.session(server)).client;
}

/** The bystander: a session that must keep working whatever its neighbour did. */
async function expectServing(server: ZkServer, session: RawClient, xid = 100): Promise<void> {
  session.request(xid, { op: OpCode.exists, path: '/', watch: false });
  expect((await session.nextReply()).header).toMatchObject({ xid, err: 0 });
}

function header(xid: number, type: number): JuteWriter {
  return new JuteWriter().writeInt(xid).writeInt(type);
}

describe('embedded zk-server limits', () => {
  it('closes only the connection that sends a frame over jute.maxbuffer', async () => {
    const server = await startServer({ maxFrameSize: 1024 });
    const bystander = await rawSession(server);
    const victim = await rawSession(server);
    // NIOServerCnxn.readLength: len > maxBuffer is "Len error", the connection is closed
    // without reading the body.
    const prefix = Buffer.alloc(8);
    prefix.writeInt32BE(1025, 0);
    victim.write(prefix);
    await victim.waitClosed();
    await expectServing(server, bystander);
    // A frame of exactly maxbuffer is accepted: header 8 + path 4 + 1011 + watch 1 = 1024.
    const exact = header(1, OpCode.getData)
      .writeString(`/${'a'.repeat(1010)}`)
      .writeBool(false)
      .toFrame();
    expect(exact.length).toBe(4 + 1024);
    bystander.write(exact);
    expect((await bystander.nextReply()).header).toMatchObject({ xid: 1, err: ErrorCode.NoNode });
    bystander.destroy();
  });

  it('closes a negative length prefix', async () => {
    const server = await startServer();
    const victim = await rawSession(server);
    victim.write(Buffer.from([0xff, 0xff, 0xff, 0xfe]));
    await victim.waitClosed();
  });

  it('refuses the connection beyond maxClientCnxns from one address, and no other', async () => {
    const server = await startServer({ maxClientCnxns: 3 });
    const first = await Promise.all([0, 1, 2].map(() => rawSession(server)));
    // NIOServerCnxnFactory.doAccept: "Too many connections from ... - max is 3": closed at once.
    const extra = await RawClient.open(server);
    extra.write(RawClient.connectRequest());
    await extra.waitClosed();
    expect(extra.frames).toEqual([]);
    for (const s of first) await expectServing(server, s);
    // A slot freed is a slot available again.
    first[0].destroy();
    await waitFor('the freed slot', () => server.connectionCount === 2, { timeoutMs: 5000 });
    const again = await rawSession(server);
    await expectServing(server, again);
    for (const s of [...first, again]) s.destroy();
  });

  it('answers an unknown opcode with Unimplemented and closes that connection', async () => {
    const server = await startServer();
    const bystander = await rawSession(server);
    for (const type of [999, 0, 23, -1]) {
      const victim = await rawSession(server);
      // ZooKeeperServer.submitRequest: !Request.isValid(type) -> UnimplementedRequestProcessor,
      // which replies Unimplemented and then sendCloseSession().
      victim.write(header(7, type).toFrame());
      expect((await victim.nextReply()).header).toMatchObject({
        xid: 7,
        zxid: -1n,
        err: ErrorCode.Unimplemented,
      });
      await victim.waitClosed();
    }
    await expectServing(server, bystander);
    bystander.destroy();
  });

  it('answers a malformed body of a known op with MarshallingError and keeps the connection', async () => {
    const server = await startServer();
    const s = await rawSession(server);
    // FinalRequestProcessor / PrepRequestProcessor: a record that does not deserialize is
    // MarshallingError; the connection stays.
    s.write(header(1, OpCode.getData).writeInt(100).toFrame()); // string length, no bytes
    expect((await s.nextReply()).header).toMatchObject({ xid: 1, err: ErrorCode.MarshallingError });
    s.write(header(2, OpCode.create).writeString('/x').toFrame()); // data, acl, flags missing
    expect((await s.nextReply()).header).toMatchObject({ xid: 2, err: ErrorCode.MarshallingError });
    const badUtf8 = Buffer.from([0x2f, 0xff, 0xfe]);
    s.write(
      header(3, OpCode.exists)
        .writeInt(badUtf8.length)
        .writeBytes(badUtf8)
        .writeBool(false)
        .toFrame(),
    );
    const reply = await s.nextReply();
    expect(reply.header.xid).toBe(3);
    expect([
      ErrorCode.Ok,
      ErrorCode.NoNode,
      ErrorCode.BadArguments,
      ErrorCode.MarshallingError,
    ]).toContain(reply.header.err);
    await expectServing(server, s);
    // A frame too short for a RequestHeader cannot be answered: the connection goes.
    s.write(Buffer.from([0, 0, 0, 3, 1, 2, 3]));
    await s.waitClosed();
  });

  it('serves requests pipelined behind the ConnectRequest, and drops a request sent as one', async () => {
    const server = await startServer();
    const eager = await RawClient.open(server);
    const getRoot = new JuteWriter()
      .writeInt(1)
      .writeInt(OpCode.exists)
      .writeString('/')
      .writeBool(false);
    // Handshake and first request in one segment: the request is read after the session exists.
    eager.write(Buffer.concat([RawClient.connectRequest(), getRoot.toFrame()]));
    expect((await eager.connectResponse()).sessionId).not.toBe(0n);
    expect((await eager.nextFrame()).readInt32BE(0)).toBe(1);
    eager.destroy();
    // A request as the very first frame is read as a ConnectRequest: here its "lastZxidSeen"
    // is far ahead of the server, so ZooKeeperServer.processConnectRequest refuses it.
    const early = await RawClient.open(server);
    early.write(header(1, OpCode.exists).writeString('/fz/some/path').writeBool(false).toFrame());
    await early.waitClosed();
    expect(early.frames).toEqual([]);
  });

  it('survives huge vector and buffer lengths without allocating them', async () => {
    const server = await startServer();
    const s = await rawSession(server);
    const heapBefore = process.memoryUsage().heapUsed;
    const frames = [
      header(1, OpCode.setWatches).writeLong(0n).writeInt(0x7fffffff).toFrame(),
      header(2, OpCode.create).writeString('/h').writeBuffer(null).writeInt(0x10000000).toFrame(),
      header(3, OpCode.setData).writeString('/h').writeInt(0x7ffffff0).toFrame(),
      header(4, OpCode.multiRead)
        .writeInt(OpCode.getData)
        .writeBool(false)
        .writeInt(-1)
        .writeInt(0x7ffffff0)
        .toFrame(),
      header(5, OpCode.auth).writeInt(0).writeInt(-5).toFrame(),
    ];
    for (const f of frames) s.write(f);
    for (let xid = 1; xid <= frames.length; xid++) {
      expect((await s.nextReply()).header).toMatchObject({ xid, err: ErrorCode.MarshallingError });
    }
    // A multi of 20,000 checks (just under 1 MiB) is read and answered as a whole.
    const multi = header(6, OpCode.multi);
    for (let i = 0; i < 20_000; i++)
      multi.writeInt(OpCode.check).writeBool(false).writeInt(-1).writeString('/').writeInt(-1);
    s.write(multi.writeInt(-1).writeBool(true).writeInt(-1).toFrame());
    expect((await s.nextReply(15_000)).header).toMatchObject({ xid: 6, err: 0 });
    await expectServing(server, s);
    // Nothing near 2 GiB (or even 256 MiB) was ever allocated.
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(256 * 1024 * 1024);
    s.destroy();
  });

  it('drops a connection that stops reading instead of buffering its replies without bound', async () => {
    const server = await startServer();
    const zk = new ZooKeeperClient(server.connectString, { sessionTimeout: 10_000 });
    await zk.connect();
    try {
      await zk.create('/big', Buffer.alloc(900 * 1024, 1));
      const slow = await rawSession(server);
      slow.socket.pause(); // never reads again
      // 100 x 900 KiB of replies: far more than the socket buffers can hold.
      const burst = Buffer.concat(
        Array.from({ length: 100 }, (_, i) =>
          new JuteWriter()
            .writeInt(i + 1)
            .writeInt(OpCode.getData)
            .writeString('/big')
            .writeBool(false)
            .toFrame(),
        ),
      );
      slow.write(burst);
      await waitFor('the slow connection to be dropped', () => server.connectionCount === 1, {
        timeoutMs: 15_000,
      });
      // The well-behaved client never noticed.
      expect((await zk.getData('/big')).data?.length).toBe(900 * 1024);
      await zk.delete('/big');
      slow.destroy();
    } finally {
      await zk.close();
    }
  });
});
