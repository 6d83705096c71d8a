import { WatchedEvent } from '@shepherd/zk-client';
import {
  AddWatchMode,
  ErrorCode,
  EventType,
  NoWatcherError,
  WatcherType,
} from '@shepherd/zk-protocol';
import { AsyncQueue } from './async-queue';
import { ContractContext, expectKeeperError } from './contract-context';
import { event } from './watch-cases';

/** addWatch (persistent, persistent-recursive) and removeWatches for every watch kind. */
export function persistentWatchCases(ctx: ContractContext): void {
  describe('persistent watches and removeWatches', () => {
    it('persistent: fires on every change of the node and its children, survives deletion', async () => {
      const zk = await ctx.client();
      const writer = await ctx.client();
      const root = await ctx.root(zk);
      const path = `${root}/w`;
      await zk.create(path, 'a');
      const events = new AsyncQueue<WatchedEvent>();
      await zk.addWatch(path, events.push, AddWatchMode.PERSISTENT);

      await writer.setData(path, 'b');
      await writer.setData(path, 'c');
      await writer.create(`${path}/kid`);
      await writer.create(`${path}/kid/grandkid`); // not watched: not a direct child
      await writer.delete(`${path}/kid/grandkid`);
      await writer.delete(`${path}/kid`);
      await writer.delete(path);
      await writer.create(path);
      const expected = [
        event(EventType.NodeDataChanged, path),
        event(EventType.NodeDataChanged, path),
        event(EventType.NodeChildrenChanged, path),
        event(EventType.NodeChildrenChanged, path),
        event(EventType.NodeDeleted, path),
        event(EventType.NodeCreated, path),
      ];
      for (const e of expected) expect(await events.next(`${e.type}`)).toEqual(e);
      await events.expectNone();
    });

    it('persistent-recursive: fires for every descendant, without child events', async () => {
      const zk = await ctx.client();
      const writer = await ctx.client();
      const root = await ctx.root(zk);
      const events = new AsyncQueue<WatchedEvent>();
      await zk.addWatch(root, events.push, AddWatchMode.PERSISTENT_RECURSIVE);

      await writer.create(`${root}/a`);
      await writer.create(`${root}/a/b`, '1');
      await writer.setData(`${root}/a/b`, '2');
      await writer.delete(`${root}/a/b`);
      await writer.setData(root, 'top');
      const expected = [
        event(EventType.NodeCreated, `${root}/a`),
        event(EventType.NodeCreated, `${root}/a/b`),
        event(EventType.NodeDataChanged, `${root}/a/b`),
        event(EventType.NodeDeleted, `${root}/a/b`),
        event(EventType.NodeDataChanged, root),
      ];
      for (const e of expected) expect(await events.next(`${e.type} ${e.path}`)).toEqual(e);
      await events.expectNone();
    });

    it('removeWatches(Any) stops a persistent watch and tells the watcher', async () => {
      const zk = await ctx.client();
      const root = await ctx.root(zk);
      const events = new AsyncQueue<WatchedEvent>();
      await zk.addWatch(root, events.push, AddWatchMode.PERSISTENT_RECURSIVE);
      await zk.removeWatches(root, events.push, WatcherType.Any);
      // ZooKeeper.removeWatches: the removed watcher gets a *WatchRemoved event.
      expect(await events.next('PersistentWatchRemoved')).toEqual(
        event(EventType.PersistentWatchRemoved, root),
      );
      await zk.setData(root, 'x');
      await zk.create(`${root}/c`);
      await events.expectNone();
    });

    it('removeWatches(Data) and (Children) remove one-shot watches selectively', async () => {
      const zk = await ctx.client();
      const root = await ctx.root(zk);
      const data = new AsyncQueue<WatchedEvent>();
      const child = new AsyncQueue<WatchedEvent>();
      await zk.getData(root, data.push);
      await zk.getChildren(root, child.push);

      await zk.removeWatches(root, data.push, WatcherType.Data);
      expect(await data.next('DataWatchRemoved')).toEqual(event(EventType.DataWatchRemoved, root));
      await zk.setData(root, 'x');
      await zk.create(`${root}/c`);
      // The child watch was untouched and still fires.
      expect(await child.next('NodeChildrenChanged')).toEqual(
        event(EventType.NodeChildrenChanged, root),
      );
      await data.expectNone();

      await zk.getChildren(root, child.push);
      await zk.removeWatches(root, child.push, WatcherType.Children);
      expect(await child.next('ChildWatchRemoved')).toEqual(
        event(EventType.ChildWatchRemoved, root),
      );
      await zk.create(`${root}/d`);
      await child.expectNone();
    });

    it('removeWatches with nothing to remove fails with NoWatcher', async () => {
      const zk = await ctx.client();
      const root = await ctx.root(zk);
      const events = new AsyncQueue<WatchedEvent>();
      await expectKeeperError(
        zk.removeWatches(root, events.push, WatcherType.Data),
        NoWatcherError,
        ErrorCode.NoWatcher,
      );
      // A watcher registered for children does not match a Data removal.
      await zk.getChildren(root, events.push);
      await expectKeeperError(
        zk.removeWatches(root, events.push, WatcherType.Data),
        NoWatcherError,
        ErrorCode.NoWatcher,
      );
    });

    it('removeWatches(null watcher) removes every watcher of that kind on the path', async () => {
      const zk = await ctx.client();
      const root = await ctx.root(zk);
      const a = new AsyncQueue<WatchedEvent>();
      const b = new AsyncQueue<WatchedEvent>();
      await zk.getData(root, a.push);
      await zk.exists(root, b.push);
      await zk.removeWatches(root, null, WatcherType.Data);
      expect(await a.next('removal')).toEqual(event(EventType.DataWatchRemoved, root));
      expect(await b.next('removal')).toEqual(event(EventType.DataWatchRemoved, root));
      await zk.setData(root, 'x');
      await a.expectNone();
      await b.expectNone();
    });
  });
}
