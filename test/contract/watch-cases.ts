import { WatchedEvent } from '@shepherd/zk-client';
import { EventType, KeeperState } from '@shepherd/zk-protocol';
import { AsyncQueue } from './async-queue';
import { ContractContext } from './contract-context';

export function event(type: EventType, path: string): WatchedEvent {
  return { type, state: KeeperState.SyncConnected, path };
}

/** One-shot watches: data (getData), exist (exists), child (getChildren), default watcher. */
export function watchCases(ctx: ContractContext): void {
  describe('one-shot watches', () => {
    it('data watch: fires once on change, is not re-armed, and fires on delete', async () => {
      const zk = await ctx.client();
      const writer = await ctx.client();
      const root = await ctx.root(zk);
      const path = `${root}/d`;
      await zk.create(path, 'a');
      const events = new AsyncQueue<WatchedEvent>();

      await zk.getData(path, events.push);
      await writer.setData(path, 'b');
      expect(await events.next('NodeDataChanged')).toEqual(event(EventType.NodeDataChanged, path));
      await writer.setData(path, 'c');
      await events.expectNone();

      await zk.getData(path, events.push);
      await writer.delete(path);
      expect(await events.next('NodeDeleted')).toEqual(event(EventType.NodeDeleted, path));
    });

    it('delivers a watch event before the data that triggered it', async () => {
      const zk = await ctx.client();
      const root = await ctx.root(zk);
      const path = `${root}/order`;
      await zk.create(path, 'old');
      const events = new AsyncQueue<WatchedEvent>();
      await zk.getData(path, events.push);
      await zk.setData(path, 'new');
      // Same session, same server: the notification precedes the setData reply on the wire.
      expect(events.received).toEqual([event(EventType.NodeDataChanged, path)]);
    });

    it('exists watch: fires NodeCreated for a missing node, NodeDataChanged for an existing one', async () => {
      const zk = await ctx.client();
      const writer = await ctx.client();
      const root = await ctx.root(zk);
      const path = `${root}/e`;
      const events = new AsyncQueue<WatchedEvent>();

      expect(await zk.exists(path, events.push)).toBeNull();
      await writer.create(path, 'x');
      expect(await events.next('NodeCreated')).toEqual(event(EventType.NodeCreated, path));

      expect(await zk.exists(path, events.push)).not.toBeNull();
      await writer.setData(path, 'y');
      expect(await events.next('NodeDataChanged')).toEqual(event(EventType.NodeDataChanged, path));
    });

    it('child watch: fires on child create/delete and on delete of the parent, not on data', async () => {
      const zk = await ctx.client();
      const writer = await ctx.client();
      const root = await ctx.root(zk);
      const parent = `${root}/p`;
      await zk.create(parent);
      const events = new AsyncQueue<WatchedEvent>();

      await zk.getChildren(parent, events.push);
      await writer.setData(parent, 'data changes are not child changes');
      await writer.create(`${parent}/kid`);
      expect(await events.next('NodeChildrenChanged')).toEqual(
        event(EventType.NodeChildrenChanged, parent),
      );

      await zk.getChildrenWithStat(parent, events.push);
      await writer.delete(`${parent}/kid`);
      expect(await events.next('NodeChildrenChanged')).toEqual(
        event(EventType.NodeChildrenChanged, parent),
      );

      await zk.getChildren(parent, events.push);
      await writer.delete(parent);
      expect(await events.next('NodeDeleted')).toEqual(event(EventType.NodeDeleted, parent));
      await events.expectNone();
    });

    it('watch=true uses the default watcher', async () => {
      const events = new AsyncQueue<WatchedEvent>();
      const zk = await ctx.client({ defaultWatcher: events.push });
      const root = await ctx.root(zk);
      // The default watcher also hears connection state; only node events matter here.
      const nodeEvents = (): WatchedEvent[] =>
        events.received.filter((e) => e.type !== EventType.None);
      await zk.getData(root, true);
      await zk.getChildren(root, true);
      await zk.create(`${root}/c`);
      await zk.setData(root, 'x');
      await events.nextMatching('NodeDataChanged', (e) => e.type === EventType.NodeDataChanged);
      expect(nodeEvents()).toEqual([
        event(EventType.NodeChildrenChanged, root),
        event(EventType.NodeDataChanged, root),
      ]);
    });

    it('calls a watcher once per event even if registered twice; each distinct watcher once', async () => {
      const zk = await ctx.client();
      const root = await ctx.root(zk);
      const first = new AsyncQueue<WatchedEvent>();
      const second = new AsyncQueue<WatchedEvent>();
      await zk.getData(root, first.push);
      await zk.exists(root, first.push);
      await zk.getData(root, second.push);
      await zk.setData(root, 'x');
      await first.next('first watcher');
      await second.next('second watcher');
      await first.expectNone();
      await second.expectNone();
    });

    it('accepts watcher objects with process()', async () => {
      const zk = await ctx.client();
      const root = await ctx.root(zk);
      const events = new AsyncQueue<WatchedEvent>();
      await zk.exists(root, { process: (e) => events.push(e) });
      await zk.setData(root, 'x');
      expect(await events.next('NodeDataChanged')).toEqual(event(EventType.NodeDataChanged, root));
    });
  });
}
