import {
  CreateMode,
  EventType,
  OPEN_ACL_UNSAFE,
  OpCode,
  encodeRequest,
} from '@shepherd/zk-protocol';
import { Txn, TxnHeader, TxnLogSink, ZkServer } from '@shepherd/zk-server';
import { RawClient, eventually, startServer } from './server-test-kit';

/** A log whose appends become durable only when the test says so. */
class ManualLog implements TxnLogSink {
  readonly appended: TxnHeader[] = [];
  private waiting: Array<{ resolve: () => void; reject: (e: Error) => void }> = [];

  append(header: TxnHeader, _txn: Txn): Promise<void> {
    this.appended.push(header);
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  get pending(): number {
    return this.waiting.length;
  }

  sync(): void {
    for (const w of this.waiting.splice(0)) w.resolve();
  }

  breakLog(): void {
    for (const w of this.waiting.splice(0)) w.reject(new Error('disk on fire'));
  }
}

const settle = () => new Promise((r) => setTimeout(r, 30));

function create(path: string, flags = CreateMode.PERSISTENT) {
  return { op: OpCode.create, path, data: Buffer.from('d'), acl: OPEN_ACL_UNSAFE, flags } as const;
}

describe('ZkServer reply barrier', () => {
  let log: ManualLog;
  let server: ZkServer;

  beforeEach(async () => {
    log = new ManualLog();
    server = await startServer({ log });
  });
  afterEach(() => server.stop());

  async function session(): Promise<RawClient> {
    const client = await RawClient.open(server);
    const response = client.connect();
    await eventually('the createSession append', () => log.pending === 1);
    log.sync();
    await response;
    return client;
  }

  it('sends the ConnectResponse only once the createSession txn is durable', async () => {
    const client = await RawClient.open(server);
    const response = client.connect();
    await eventually('the createSession append', () => log.pending === 1);
    await settle();
    expect(client.frames).toHaveLength(0);
    expect(log.appended[0].type).toBe(OpCode.createSession);
    log.sync();
    expect((await response).sessionId).toBe(log.appended[0].clientId);
    client.destroy();
  });

  it('holds a write reply, and a read queued behind it, until the write is durable', async () => {
    const client = await session();
    client.request(1, create('/a'));
    client.request(2, { op: OpCode.getData, path: '/a', watch: false });
    await eventually('the create append', () => log.pending === 1);
    await settle();
    expect(client.frames).toHaveLength(0);
    log.sync();
    const first = await client.nextReply();
    const second = await client.nextReply();
    expect(first.header).toMatchObject({ xid: 1, err: 0 });
    expect(second.header).toMatchObject({ xid: 2, err: 0 });
    expect(second.header.zxid).toBe(first.header.zxid);
    client.destroy();
  });

  it('holds other sessions reads behind an unsynced write too', async () => {
    const writer = await session();
    const reader = await session();
    writer.request(1, create('/b'));
    await eventually('the create append', () => log.pending === 1);
    reader.request(1, { op: OpCode.exists, path: '/b', watch: false });
    await settle();
    expect(reader.frames).toHaveLength(0);
    log.sync();
    expect((await reader.nextReply()).header.err).toBe(0);
    writer.destroy();
    reader.destroy();
  });

  it('sends the watch event before the reply of the write that fired it', async () => {
    const client = await session();
    client.request(1, create('/c'));
    client.request(2, { op: OpCode.getData, path: '/c', watch: true });
    client.request(3, { op: OpCode.setData, path: '/c', data: Buffer.from('x'), version: -1 });
    await eventually('both appends', () => log.pending === 2);
    log.sync();
    const replies = [];
    for (let i = 0; i < 4; i++) replies.push(await client.nextReply());
    expect(replies.map((r) => r.header.xid)).toEqual([1, 2, -1, 3]);
    expect(replies[2].event).toMatchObject({ type: EventType.NodeDataChanged, path: '/c' });
    client.destroy();
  });

  it('does not serialise writes on the log: one chunk of writes is appended at once', async () => {
    const client = await session();
    const frames = Array.from({ length: 50 }, (_, i) => encodeRequest(i + 1, create(`/b${i}`)));
    client.write(Buffer.concat(frames));
    await eventually('50 appends outstanding', () => log.pending === 50);
    log.sync();
    const xids = [];
    for (let i = 0; i < 50; i++) xids.push((await client.nextReply()).header.xid);
    expect(xids).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    client.destroy();
  });

  it('stops serving when the log fails: nothing non-durable is shown', async () => {
    const client = await session();
    client.request(1, create('/doomed'));
    await eventually('the append', () => log.pending === 1);
    log.breakLog();
    await client.waitClosed();
    expect(client.frames).toHaveLength(0);
    expect(server.core.isFailed).toBe(true);
    const late = await RawClient.open(server);
    await late.waitClosed();
  });
});
