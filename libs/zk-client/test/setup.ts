import { ClientOptions, ZooKeeperClient } from '@app/zk-client';
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
