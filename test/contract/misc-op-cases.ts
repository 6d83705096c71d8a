import { CreateMode, ErrorCode, NoNodeError } from '@shepherd/zk-protocol';
import { ContractContext, expectKeeperError } from './contract-context';

/** getEphemerals, getAllChildrenNumber, sync. */
export function miscOpCases(ctx: ContractContext): void {
  describe('getEphemerals, getAllChildrenNumber, sync', () => {
    it('lists the session ephemerals under a prefix', async () => {
      const zk = await ctx.client();
      const other = await ctx.client();
      const root = await ctx.root(zk);
      await zk.create(`${root}/a`);
      await zk.create(`${root}/a/e1`, '', { mode: CreateMode.EPHEMERAL });
      await zk.create(`${root}/e2`, '', { mode: CreateMode.EPHEMERAL });
      await other.create(`${root}/theirs`, '', { mode: CreateMode.EPHEMERAL });
      expect((await zk.getEphemerals(root)).sort()).toEqual([`${root}/a/e1`, `${root}/e2`]);
      // Prefix match on the path string, as in DataTree.getEphemerals(sessionId) filtering.
      expect(await zk.getEphemerals(`${root}/a`)).toEqual([`${root}/a/e1`]);
      expect(await zk.getEphemerals()).toEqual(
        expect.arrayContaining([`${root}/a/e1`, `${root}/e2`]),
      );
      expect(await other.getEphemerals(root)).toEqual([`${root}/theirs`]);
    });

    it('counts all descendants with getAllChildrenNumber', async () => {
      const zk = await ctx.client();
      const root = await ctx.root(zk);
      expect(await zk.getAllChildrenNumber(root)).toBe(0);
      await zk.create(`${root}/a`);
      await zk.create(`${root}/a/b`);
      await zk.create(`${root}/a/b/c`);
      await zk.create(`${root}/d`);
      expect(await zk.getAllChildrenNumber(root)).toBe(4);
      expect(await zk.getAllChildrenNumber(`${root}/a`)).toBe(2);
      await expectKeeperError(
        zk.getAllChildrenNumber(`${root}/missing`),
        NoNodeError,
        ErrorCode.NoNode,
      );
    });

    it('syncs a path and then reads what another client wrote', async () => {
      const reader = await ctx.client();
      const writer = await ctx.client();
      const root = await ctx.root(writer);
      await writer.setData(root, 'fresh');
      expect(await reader.sync(root)).toBe(root);
      expect((await reader.getData(root)).data?.toString()).toBe('fresh');
    });
  });
}
