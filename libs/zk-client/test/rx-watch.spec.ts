import { ErrorCode, EventType, KeeperState, OpCode } from '@shepherd/zk-protocol';
import { settle } from './fakes';
import { connectedClient, makeStat } from './setup';

const stat = (mzxid: bigint) => makeStat({ mzxid, dataLength: 1 });

describe('data$ / children$', () => {
  it('data$ emits null while absent, then each new value, re-arming one watcher', async () => {
    const { client, t } = await connectedClient();
    const seen: Array<string | null> = [];
    const sub = client.data$('/n').subscribe((v) => seen.push(v ? String(v.data) : null));
    await settle();
    t.reply(1, undefined, ErrorCode.NoNode); // getData
    await settle();
    expect(t.requests[1].request).toEqual({ op: OpCode.exists, path: '/n', watch: true });
    t.reply(2, undefined, ErrorCode.NoNode); // exists -> exist watch
    await settle();
    t.notify({ type: EventType.NodeCreated, state: KeeperState.SyncConnected, path: '/n' });
    await settle();
    t.reply(3, { op: OpCode.getData, data: Buffer.from('a'), stat: stat(5n) });
    await settle();
    t.notify({ type: EventType.NodeDataChanged, state: KeeperState.SyncConnected, path: '/n' });
    await settle();
    t.reply(4, { op: OpCode.getData, data: Buffer.from('b'), stat: stat(6n) });
    await settle();
    expect(seen).toEqual([null, 'a', 'b']);
    sub.unsubscribe();
    t.notify({ type: EventType.NodeDataChanged, state: KeeperState.SyncConnected, path: '/n' });
    await settle();
    expect(t.requests).toHaveLength(4);
  });

  it('children$ retries after a connection loss once SyncConnected again', async () => {
    const { client, t, net } = await connectedClient();
    const seen: string[][] = [];
    const sub = client.children$('/p').subscribe((v) => seen.push(v));
    await settle();
    t.hangUp();
    await settle();
    net.last.open();
    net.last.accept();
    await settle();
    net.last.reply(net.last.requests[0].header.xid, { op: OpCode.getChildren, children: ['x'] });
    await settle();
    expect(seen).toEqual([['x']]);
    sub.unsubscribe();
  });

  it('errors on session expiry', async () => {
    const { client, t, net } = await connectedClient();
    const errors: unknown[] = [];
    client.children$('/p').subscribe({ error: (e) => errors.push(e) });
    await settle();
    t.hangUp();
    net.last.open();
    net.last.accept({ timeOut: 0 });
    await settle();
    expect(errors).toHaveLength(1);
    expect((errors[0] as { code: number }).code).toBe(ErrorCode.SessionExpired);
  });
});
