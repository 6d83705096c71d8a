import { Stat } from '@shepherd/zk-protocol';
import { ClientOptions, ZooKeeperClient } from '@shepherd/zk-client';
import { FakeClock, FakeNetwork, FakeTransport, settle } from './fakes';

export interface Harness {
  client: ZooKeeperClient;
  net: FakeNetwork;
  clock: FakeClock;
  t: FakeTransport;
}

/** A client connected through the fake network to the first of three hosts. */
export async function connectedClient(
  options: ClientOptions = {},
  connectString = 'h1:2181,h2:2181,h3:2181',
): Promise<Harness> {
  const net = new FakeNetwork();
  const clock = new FakeClock();
  const client = new ZooKeeperClient(connectString, {
    transportFactory: net.factory,
    clock,
    shuffleHosts: false,
    ...options,
  });
  const ready = client.connect();
  net.last.open();
  net.last.accept();
  await ready;
  await settle();
  return { client, net, clock, t: net.last };
}

/** A Stat for fake replies; tests override only the fields they assert on. */
export function makeStat(overrides: Partial<Stat> = {}): Stat {
  return {
    czxid: 1n,
    mzxid: 2n,
    ctime: 3n,
    mtime: 4n,
    version: 0,
    cversion: 0,
    aversion: 0,
    ephemeralOwner: 0n,
    dataLength: 0,
    numChildren: 0,
    pzxid: 1n,
    ...overrides,
  };
}
