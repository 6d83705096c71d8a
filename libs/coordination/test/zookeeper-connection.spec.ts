import {
  ConnectTimeoutError,
  ConnectionClosedError,
  ConnectionEvent,
  ZooKeeperConnection,
} from '@shepherd/coordination';
import { ClientState, ZooKeeperClient } from '@shepherd/zk-client';
import { CreateMode } from '@shepherd/zk-protocol';
import { ZkServer } from '@shepherd/zk-server';
import { AsyncQueue } from '../../../test/contract/async-queue';
import { expireSession } from '../../../test/support/expire-session';
import { freePort } from '../../../test/support/free-port';
import { Blackout } from '../../../test/support/lossy-transport';
import { delay } from '../../../test/support/wait-for';
import { startEmbeddedServer } from './embedded-server';
import { RECIPE_SESSION_TIMEOUT } from './recipe-context';

let server: ZkServer;
const connections: ZooKeeperConnection[] = [];
const clients: ZooKeeperClient[] = [];
const extraServers: ZkServer[] = [];

beforeAll(async () => {
  server = await startEmbeddedServer();
});

afterEach(async () => {
  await Promise.all(connections.splice(0).map((c) => c.close()));
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await Promise.all(extraServers.splice(0).map((s) => s.stop()));
});

afterAll(async () => {
  await server.stop();
});

function connection(
  options: Partial<ConstructorParameters<typeof ZooKeeperConnection>[0]> = {},
): ZooKeeperConnection {
  const c = new ZooKeeperConnection({
    connectString: server.connectString,
    sessionTimeoutMs: RECIPE_SESSION_TIMEOUT,
    ...options,
  });
  connections.push(c);
  return c;
}

function record(c: ZooKeeperConnection): AsyncQueue<ConnectionEvent> {
  const events = new AsyncQueue<ConnectionEvent>();
  c.events$.subscribe(events.push);
  return events;
}

async function observer(): Promise<ZooKeeperClient> {
  const client = new ZooKeeperClient(server.connectString, { sessionTimeout: 4000 });
  clients.push(client);
  await client.connect();
  return client;
}

describe('ZooKeeperConnection', () => {
  it('has no client before connect(); connect() opens one session and reports it', async () => {
    const c = connection();
    const events = record(c);
    expect(() => c.client).toThrow(/not connected yet/);
    expect(c.isConnected()).toBe(false);

    const client = await c.connect();
    expect(await c.connect()).toBe(client); // the same session on every call
    expect(c.client).toBe(client);
    expect(c.isConnected()).toBe(true);
    expect(client.state).toBe(ClientState.CONNECTED);
    expect(await events.next()).toEqual({ type: 'connected', sessionId: client.sessionId });

    const sessions = new AsyncQueue<ZooKeeperClient>();
    c.sessions$.subscribe(sessions.push);
    expect(await sessions.next()).toBe(client); // replayed to a late subscriber
  });

  it('retries the first connect until the server is up', async () => {
    const port = await freePort();
    const c = connection({
      connectString: `127.0.0.1:${port}`,
      connectTimeoutMs: 300,
      connectRetry: { maxAttempts: 50, baseDelayMs: 50, maxDelayMs: 200 },
    });
    const connecting = c.connect();
    await delay(800);
    const late = new ZkServer({ port, tickTime: 200 });
    extraServers.push(late);
    await late.start();
    const client = await connecting;
    expect(client.state).toBe(ClientState.CONNECTED);
  });

  it('rejects the first connect after its retries', async () => {
    const port = await freePort();
    const c = connection({
      connectString: `127.0.0.1:${port}`,
      connectTimeoutMs: 200,
      connectRetry: { maxAttempts: 2, baseDelayMs: 10 },
    });
    await expect(c.connect()).rejects.toBeInstanceOf(ConnectTimeoutError);
    expect(() => c.client).toThrow(/not connected yet/);
  });

  it('close() while connecting rejects connect() with ConnectionClosedError', async () => {
    const port = await freePort();
    const c = connection({ connectString: `127.0.0.1:${port}`, connectTimeoutMs: 5000 });
    const connecting = c.connect();
    await delay(100);
    await c.close();
    await expect(connecting).rejects.toBeInstanceOf(ConnectionClosedError);
    await expect(c.connect()).rejects.toBeInstanceOf(ConnectionClosedError);
  });

  it('reports a disconnection and the reconnection of the same session', async () => {
    const blackout = new Blackout();
    const c = connection({
      clientFactory: (cs, options) =>
        new ZooKeeperClient(cs, { ...options, transportFactory: blackout.factory }),
    });
    const events = record(c);
    const client = await c.connect();
    expect((await events.next()).type).toBe('connected');

    blackout.cut(1000);
    expect(await events.next('disconnected')).toEqual({ type: 'disconnected' });
    expect(c.isConnected()).toBe(false);
    expect(await events.next('reconnected')).toEqual({ type: 'reconnected' });
    expect(c.client).toBe(client);
    expect(c.isConnected()).toBe(true);
  });

  it('replaces an expired session with a new one, on sessions$', async () => {
    const c = connection();
    const events = record(c);
    const sessions = new AsyncQueue<ZooKeeperClient>();
    c.sessions$.subscribe(sessions.push);
    const first = await c.connect();
    expect(await sessions.next()).toBe(first);
    await first.create('/conn-expiry-eph', 'x', { mode: CreateMode.EPHEMERAL });

    await expireSession(server.connectString, first.sessionId, first.sessionPassword);
    const second = await sessions.next('a new session', 15000);
    expect(second).not.toBe(first);
    expect(second.sessionId).not.toBe(first.sessionId);
    expect(c.client).toBe(second);
    expect(first.state).toBe(ClientState.CLOSED);

    const seen = [await events.next(), ...(await drainUntilConnected(events))];
    expect(seen[0]).toEqual({ type: 'connected', sessionId: first.sessionId });
    expect(seen).toContainEqual({ type: 'expired', sessionId: first.sessionId });
    expect(seen[seen.length - 1]).toEqual({ type: 'connected', sessionId: second.sessionId });

    // The old session's ephemeral is gone; the new session works.
    expect(await second.exists('/conn-expiry-eph')).toBeNull();
    await second.create('/conn-expiry-eph', 'y', { mode: CreateMode.EPHEMERAL });
  });

  it('close() ends the session at once (ephemerals gone), emits closed and completes', async () => {
    const c = connection();
    const events = record(c);
    let completed = false;
    c.sessions$.subscribe({ complete: () => (completed = true) });
    const client = await c.connect();
    await client.create('/conn-close-eph', 'x', { mode: CreateMode.EPHEMERAL });
    const other = await observer();

    await c.close();
    expect(await other.exists('/conn-close-eph')).toBeNull();
    expect(client.state).toBe(ClientState.CLOSED);
    expect(events.received.map((e) => e.type)).toEqual(['connected', 'closed']);
    expect(completed).toBe(true);
    await c.close(); // idempotent
  });
});

/** Events after the first, up to and including the next `connected`. */
async function drainUntilConnected(
  events: AsyncQueue<ConnectionEvent>,
): Promise<ConnectionEvent[]> {
  const seen: ConnectionEvent[] = [];
  for (;;) {
    const e = await events.next('the next connected event', 15000);
    seen.push(e);
    if (e.type === 'connected') return seen;
  }
}
