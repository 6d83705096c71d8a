import {
  AuthFailedError,
  ConnectionLossError,
  ErrorCode,
  EventType,
  KeeperState,
  NoNodeError,
  OpCode,
  SessionExpiredError,
  Xid,
} from '@shepherd/zk-protocol';
import { ClientState, WatchedEvent, ZooKeeperClient } from '@shepherd/zk-client';
import { FakeClock, FakeNetwork, settle } from './fakes';
import { connectedClient, makeStat } from './setup';

const stat = makeStat({ version: 5, dataLength: 1 });

describe('session state machine', () => {
  it('sends a ConnectRequest and adopts the negotiated session', async () => {
    const events: WatchedEvent[] = [];
    const { client, t } = await connectedClient({
      sessionTimeout: 12000,
      defaultWatcher: (e) => events.push(e),
    });
    expect(t.connectRequest).toMatchObject({
      protocolVersion: 0,
      lastZxidSeen: 0n,
      timeOut: 12000,
      sessionId: 0n,
    });
    expect(t.connectRequest.passwd).toEqual(Buffer.alloc(16));
    expect(client.state).toBe(ClientState.CONNECTED);
    expect(client.sessionId).toBe(0x1234n);
    expect(client.sessionTimeout).toBe(30000);
    expect(client.sessionPassword).toEqual(Buffer.alloc(16, 7));
    expect(events).toEqual([{ type: EventType.None, state: KeeperState.SyncConnected }]);
  });

  it('starts in NOT_CONNECTED and rejects requests with ConnectionLoss', async () => {
    const client = new ZooKeeperClient('h:1', { transportFactory: new FakeNetwork().factory });
    expect(client.state).toBe(ClientState.NOT_CONNECTED);
    await expect(client.exists('/a')).rejects.toBeInstanceOf(ConnectionLossError);
  });

  it('pipelines requests in one write and matches replies in xid order', async () => {
    const { client, t } = await connectedClient();
    const writes = t.writes;
    const a = client.getData('/a');
    const b = client.exists('/b');
    const c = client.getChildren('/c');
    await settle();
    expect(t.writes).toBe(writes + 1);
    const [ra, rb, rc] = t.requests;
    expect(ra.request).toEqual({ op: OpCode.getData, path: '/a', watch: false });
    expect([ra.header.xid, rb.header.xid, rc.header.xid]).toEqual([1, 2, 3]);
    t.reply(1, { op: OpCode.getData, data: Buffer.from('x'), stat }, 0, 10n);
    t.reply(2, undefined, ErrorCode.NoNode, 11n);
    t.reply(3, { op: OpCode.getChildren, children: ['k'] }, 0, 12n);
    await expect(a).resolves.toEqual({ data: Buffer.from('x'), stat });
    await expect(b).resolves.toBeNull();
    await expect(c).resolves.toEqual(['k']);
    expect(client.lastZxid).toBe(12n);
  });

  it('maps error replies to typed KeeperErrors', async () => {
    const { client, t } = await connectedClient();
    const p = client.getData('/missing');
    await settle();
    t.reply(1, undefined, ErrorCode.NoNode);
    await expect(p).rejects.toBeInstanceOf(NoNodeError);
    await expect(p).rejects.toMatchObject({ code: ErrorCode.NoNode, path: '/missing' });
  });

  it('treats an out-of-order xid as a protocol error: drop, fail pending, reconnect', async () => {
    const events: KeeperState[] = [];
    const { client, t, net } = await connectedClient({
      defaultWatcher: (e) => events.push(e.state),
    });
    const a = client.exists('/a');
    const b = client.exists('/b');
    await settle();
    t.reply(2, { op: OpCode.exists, stat }, 0, 5n);
    await expect(a).rejects.toBeInstanceOf(ConnectionLossError);
    await expect(b).rejects.toBeInstanceOf(ConnectionLossError);
    expect(t.closed).toBe(true);
    expect(client.state).toBe(ClientState.CONNECTING);
    expect(net.transports).toHaveLength(2);
    expect(net.last.address).toEqual({ host: 'h2', port: 2181 });
    await settle();
    expect(events).toEqual([KeeperState.SyncConnected, KeeperState.Disconnected]);
  });

  it('re-attaches on the next host with session id, password and lastZxidSeen', async () => {
    const { client, t, net } = await connectedClient();
    const p = client.setData('/a', 'v');
    await settle();
    t.reply(1, { op: OpCode.setData, stat }, 0, 0x42n);
    await p;
    t.hangUp();
    const next = net.last;
    expect(next).not.toBe(t);
    next.open();
    expect(next.connectRequest).toMatchObject({ sessionId: 0x1234n, lastZxidSeen: 0x42n });
    expect(next.connectRequest.passwd).toEqual(Buffer.alloc(16, 7));
    next.accept({ timeOut: 9000 });
    expect(client.state).toBe(ClientState.CONNECTED);
    expect(client.sessionTimeout).toBe(9000);
  });

  it('queues requests while reconnecting and sends them once the session is back', async () => {
    const { client, t, net } = await connectedClient();
    t.hangUp();
    const p = client.exists('/q');
    net.last.open();
    await settle();
    expect(net.last.requests).toHaveLength(0); // nothing before the ConnectResponse
    net.last.accept();
    await settle();
    expect(net.last.requests[0].request).toMatchObject({ op: OpCode.exists, path: '/q' });
    net.last.reply(net.last.requests[0].header.xid, { op: OpCode.exists, stat });
    await expect(p).resolves.toEqual(stat);
  });

  it('fails every pending request with ConnectionLoss when the connection drops', async () => {
    const { client, t } = await connectedClient();
    const ps = [client.exists('/1'), client.getData('/2'), client.delete('/3')];
    await settle();
    t.hangUp();
    for (const p of ps) await expect(p).rejects.toBeInstanceOf(ConnectionLossError);
  });

  it('drops the connection at 2/3 of the negotiated timeout and pings at 1/3', async () => {
    const { client, t, clock, net } = await connectedClient();
    clock.advance(10000);
    await settle();
    expect(t.requests.map((r) => r.header.xid)).toEqual([Xid.Ping]);
    t.reply(Xid.Ping);
    clock.advance(19999); // heard at 10000: alive until 30000
    expect(client.state).toBe(ClientState.CONNECTED);
    clock.advance(1);
    expect(t.closed).toBe(true);
    expect(client.state).toBe(ClientState.CONNECTING);
    expect(net.transports).toHaveLength(2);
  });

  it('moves on to the next host when a connect attempt times out', async () => {
    const net = new FakeNetwork();
    const clock = new FakeClock();
    const client = new ZooKeeperClient('h1:1,h2:2', {
      transportFactory: net.factory,
      clock,
      shuffleHosts: false,
      sessionTimeout: 10000,
    });
    const connecting = client.connect();
    expect(net.transports).toHaveLength(1);
    clock.advance(5000); // sessionTimeout / number of hosts
    expect(net.transports).toHaveLength(2);
    expect(net.last.address.port).toBe(2);
    net.last.hangUp(); // all hosts tried: back off before starting over
    expect(net.transports).toHaveLength(2);
    clock.advance(1000);
    expect(net.transports).toHaveLength(3);
    await client.close();
    await expect(connecting).rejects.toBeInstanceOf(SessionExpiredError);
  });

  it('treats ConnectResponse.timeOut <= 0 as expiry: final, no new session', async () => {
    const events: KeeperState[] = [];
    const { client, t, net } = await connectedClient({
      defaultWatcher: (e) => events.push(e.state),
    });
    t.hangUp();
    const queued = client.exists('/x');
    net.last.open();
    net.last.accept({ timeOut: 0, sessionId: 0n });
    await expect(queued).rejects.toBeInstanceOf(SessionExpiredError);
    expect(client.state).toBe(ClientState.CLOSED);
    await settle();
    expect(events).toEqual([
      KeeperState.SyncConnected,
      KeeperState.Disconnected,
      KeeperState.Expired,
    ]);
    const count = net.transports.length;
    await expect(client.getData('/x')).rejects.toBeInstanceOf(SessionExpiredError);
    await expect(client.connect()).rejects.toBeInstanceOf(SessionExpiredError);
    expect(net.transports).toHaveLength(count);
    expect(net.last.closed).toBe(true);
  });

  it('connect() rejects with SessionExpiredError when re-attaching an expired session', async () => {
    const net = new FakeNetwork();
    const client = new ZooKeeperClient('h:1', {
      transportFactory: net.factory,
      clock: new FakeClock(),
      sessionId: 99n,
      sessionPassword: Buffer.alloc(16, 1),
    });
    const p = client.connect();
    net.last.open();
    expect(net.last.connectRequest.sessionId).toBe(99n);
    net.last.accept({ timeOut: -1 });
    await expect(p).rejects.toBeInstanceOf(SessionExpiredError);
  });

  it('close() sends closeSession, waits for the reply and ends CLOSED', async () => {
    const events: KeeperState[] = [];
    const { client, t } = await connectedClient({ defaultWatcher: (e) => events.push(e.state) });
    const closed = client.close();
    await settle();
    const last = t.requests[t.requests.length - 1];
    expect(last.request).toEqual({ op: OpCode.closeSession });
    expect(client.state).toBe(ClientState.CONNECTED);
    await expect(client.exists('/late')).rejects.toBeInstanceOf(ConnectionLossError);
    t.reply(last.header.xid);
    await closed;
    expect(client.state).toBe(ClientState.CLOSED);
    expect(t.closed).toBe(true);
    await settle();
    expect(events[events.length - 1]).toBe(KeeperState.Closed);
    await expect(client.exists('/after')).rejects.toBeInstanceOf(SessionExpiredError);
  });

  it('close() still finishes when the server hangs up instead of replying', async () => {
    const { client, t } = await connectedClient();
    const closed = client.close();
    await settle();
    t.hangUp();
    await closed;
    expect(client.state).toBe(ClientState.CLOSED);
  });
});

describe('authentication', () => {
  it('replays auth (xid -4) before any other traffic after reconnect', async () => {
    const { client, t, net } = await connectedClient();
    const added = client.addAuth('digest', 'user:pass');
    await settle();
    expect(t.requests[0]).toMatchObject({
      header: { xid: Xid.Auth, type: OpCode.auth },
      request: { op: OpCode.auth, type: 0, scheme: 'digest', auth: Buffer.from('user:pass') },
    });
    t.reply(Xid.Auth);
    await added;
    t.hangUp();
    const p = client.exists('/x');
    net.last.open();
    net.last.accept();
    await settle();
    expect(net.last.requests.map((r) => r.header.xid)).toEqual([Xid.Auth, 1]);
    net.last.reply(Xid.Auth);
    net.last.reply(1, { op: OpCode.exists, stat });
    await expect(p).resolves.toEqual(stat);
  });

  it('sends configured auth at connect and rejects connect() on AuthFailed', async () => {
    const net = new FakeNetwork();
    const events: KeeperState[] = [];
    const client = new ZooKeeperClient('h:1', {
      transportFactory: net.factory,
      clock: new FakeClock(),
      auth: [{ scheme: 'digest', auth: 'u:p' }],
      defaultWatcher: (e) => events.push(e.state),
    });
    const p = client.connect();
    net.last.open();
    net.last.accept();
    const pending = client.getData('/x');
    await settle();
    expect(net.last.requests[0].request).toMatchObject({ op: OpCode.auth, scheme: 'digest' });
    net.last.reply(Xid.Auth, undefined, ErrorCode.AuthFailed);
    await expect(p).rejects.toBeInstanceOf(AuthFailedError);
    await expect(pending).rejects.toBeInstanceOf(AuthFailedError);
    expect(client.state).toBe(ClientState.AUTH_FAILED);
    expect(net.last.closed).toBe(true);
    await settle();
    expect(events).toEqual([KeeperState.SyncConnected, KeeperState.AuthFailed]);
    await expect(client.exists('/y')).rejects.toBeInstanceOf(AuthFailedError);
  });
});
