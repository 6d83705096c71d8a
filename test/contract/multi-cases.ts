import { TransactionError } from '@shepherd/zk-client';
import {
  BadVersionError,
  CreateMode,
  ErrorCode,
  KeeperError,
  NoNodeError,
  NodeExistsError,
} from '@shepherd/zk-protocol';
import { ContractContext, expectKeeperError } from './contract-context';

/** multi (transaction) and multiRead. */
export function multiCases(ctx: ContractContext): void {
  describe('multi and multiRead', () => {
    it('commits every op atomically and returns one result per op', async () => {
      const zk = await ctx.client();
      const root = await ctx.root(zk);
      await zk.create(`${root}/old`, 'x');
      const results = await zk
        .transaction()
        .create(`${root}/a`, 'A')
        .create(`${root}/seq-`, 'S', { mode: CreateMode.PERSISTENT_SEQUENTIAL })
        .check(root, 0)
        .setData(`${root}/old`, 'y', 0)
        .delete(`${root}/old`, 1)
        .commit();
      expect(results).toEqual([
        { type: 'create', path: `${root}/a` },
        { type: 'create', path: `${root}/seq-0000000002` },
        { type: 'check' },
        { type: 'setData', stat: expect.objectContaining({ version: 1 }) },
        { type: 'delete' },
      ]);
      expect((await zk.getChildren(root)).sort()).toEqual(['a', 'seq-0000000002']);
      expect((await zk.getData(`${root}/a`)).data?.toString()).toBe('A');
    });

    it('applies nothing when one op fails, and reports per-op errors', async () => {
      const zk = await ctx.client();
      const root = await ctx.root(zk);
      await zk.create(`${root}/exists`);
      const err = await expectKeeperError(
        zk
          .transaction()
          .create(`${root}/new`, 'n')
          .setData(root, 'changed')
          .check(`${root}/exists`, 7)
          .create(`${root}/exists`)
          .commit(),
        TransactionError,
        ErrorCode.BadVersion,
      );
      // The op before the failure reports Ok (rolled back), the culprit its code, the rest
      // RuntimeInconsistency (DataTree.processTxn for a failed multi).
      const codes = err.results.map((r) => (r.type === 'error' ? r.error.code : 'ok'));
      expect(codes).toEqual([
        ErrorCode.Ok,
        ErrorCode.Ok,
        ErrorCode.BadVersion,
        ErrorCode.RuntimeInconsistency,
      ]);
      const culprit = err.results[2];
      expect(culprit.type === 'error' && culprit.error).toBeInstanceOf(BadVersionError);
      expect(await zk.exists(`${root}/new`)).toBeNull();
      expect((await zk.getData(root)).data).toBeNull(); // created with no data: null, not changed
    });

    it('reports the first real failure code (NodeExists) for a failing create', async () => {
      const zk = await ctx.client();
      const root = await ctx.root(zk);
      const err = await expectKeeperError(
        zk.transaction().create(`${root}/x`).create(`${root}/x`).commit(),
        TransactionError,
        ErrorCode.NodeExists,
      );
      expect(err).toBeInstanceOf(KeeperError);
      const second = err.results[1];
      expect(second.type === 'error' && second.error).toBeInstanceOf(NodeExistsError);
      expect(await zk.exists(`${root}/x`)).toBeNull();
    });

    it('multiRead returns each read, with per-read errors', async () => {
      const zk = await ctx.client();
      const root = await ctx.root(zk);
      await zk.create(`${root}/a`, 'A');
      await zk.create(`${root}/b`, 'B');
      const results = await zk.multiRead([
        { type: 'getChildren', path: root },
        { type: 'getData', path: `${root}/a` },
        { type: 'getData', path: `${root}/missing` },
        { type: 'getChildren', path: `${root}/missing` },
        { type: 'getData', path: `${root}/b` },
      ]);
      expect(results).toHaveLength(5);
      const [children, a, missingData, missingChildren, b] = results;
      expect('children' in children && [...children.children].sort()).toEqual(['a', 'b']);
      expect('data' in a && a.data?.toString()).toBe('A');
      expect('stat' in a && a.stat.dataLength).toBe(1);
      expect(missingData).toBeInstanceOf(NoNodeError);
      expect(missingChildren).toBeInstanceOf(NoNodeError);
      expect('data' in b && b.data?.toString()).toBe('B');
    });
  });
}
