import { WatchedEvent } from '@shepherd/zk-client';
import { CreateMode, EventType } from '@shepherd/zk-protocol';
import { AsyncQueue } from './async-queue';
import { ContractContext } from './contract-context';
import { event } from './watch-cases';

/** A connect string with a /chroot suffix scopes every path, result and event. */
export function chrootCases(ctx: ContractContext): void {
  describe('chroot', () => {
    it('maps paths in requests, results, events and multi', async () => {
      const admin = await ctx.client();
      const root = await ctx.root(admin);
      const zk = await ctx.client({}, `${ctx.connectString}${root}`);

      expect(await zk.create('/a', 'A')).toBe('/a');
      // Read-your-writes holds per session only: other sessions sync before reading.
      await admin.sync(root);
      expect(await admin.exists(`${root}/a`)).not.toBeNull();
      expect(await zk.getChildren('/')).toEqual(['a']);
      const seq = await zk.create('/s-', '', { mode: CreateMode.EPHEMERAL_SEQUENTIAL });
      expect(seq).toMatch(/^\/s-\d{10}$/);
      expect(await zk.getEphemerals('/')).toEqual([seq]);
      expect(await zk.sync('/a')).toBe('/a');

      const events = new AsyncQueue<WatchedEvent>();
      await zk.getData('/a', events.push);
      await admin.setData(`${root}/a`, 'changed');
      expect(await events.next('NodeDataChanged')).toEqual(event(EventType.NodeDataChanged, '/a'));

      const results = await zk.transaction().create('/m').delete('/a').commit();
      expect(results).toEqual([{ type: 'create', path: '/m' }, { type: 'delete' }]);
      await admin.sync(root);
      expect((await admin.getChildren(root)).sort()).toEqual(['m', seq.slice(1)].sort());
    });
  });
}
