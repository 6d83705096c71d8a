import {
  CreateMode,
  ErrorCode,
  NoNodeError,
  NodeExistsError,
  NotEmptyError,
  BadVersionError,
  BadArgumentsError,
} from '@shepherd/zk-protocol';
import { ContractContext, expectKeeperError } from './contract-context';

/** create / exists / getData / setData / getChildren / delete, and their version checks. */
export function crudCases(ctx: ContractContext): void {
  describe('CRUD', () => {
    it('creates, reads, updates and deletes a node', async () => {
      const zk = await ctx.client();
      const root = await ctx.root(zk);
      const path = `${root}/node`;

      expect(await zk.create(path, 'hello')).toBe(path);
      const read = await zk.getData(path);
      expect(read.data?.toString()).toBe('hello');
      expect(read.stat.version).toBe(0);
      expect(read.stat.dataLength).toBe(5);
      expect(read.stat.ephemeralOwner).toBe(0n);
      expect(read.stat.czxid).toBe(read.stat.mzxid);
      expect(typeof read.stat.ctime).toBe('bigint');

      const updated = await zk.setData(path, Buffer.from([0, 1, 2, 255]));
      expect(updated.version).toBe(1);
      expect(updated.mzxid).toBeGreaterThan(read.stat.mzxid);
      expect((await zk.getData(path)).data).toEqual(Buffer.from([0, 1, 2, 255]));
      expect(await zk.exists(path)).toEqual(updated);

      await zk.delete(path);
      expect(await zk.exists(path)).toBeNull();
      await expectKeeperError(zk.getData(path), NoNodeError, ErrorCode.NoNode);
      await expectKeeperError(zk.setData(path, 'x'), NoNodeError, ErrorCode.NoNode);
      await expectKeeperError(zk.delete(path), NoNodeError, ErrorCode.NoNode);
    });

    it('keeps null data apart from empty data (create, setData, multi, multiRead)', async () => {
      const zk = await ctx.client();
      const root = await ctx.root(zk);
      // Null is length -1 on the wire, empty bytes length 0: ZooKeeper stores and answers each
      // as it came (kazoo reads None and b''), and both have dataLength 0.
      await zk.create(`${root}/null`, null);
      await zk.create(`${root}/empty`, Buffer.alloc(0));
      const nul = await zk.getData(`${root}/null`);
      expect(nul.data).toBeNull();
      expect(nul.stat.dataLength).toBe(0);
      expect((await zk.getData(`${root}/empty`)).data).toEqual(Buffer.alloc(0));

      await zk.setData(`${root}/empty`, null);
      await zk.setData(`${root}/null`, '');
      expect((await zk.getData(`${root}/empty`)).data).toBeNull();
      expect((await zk.getData(`${root}/null`)).data).toEqual(Buffer.alloc(0));

      await zk.multi([
        { type: 'create', path: `${root}/m`, data: null, options: {} },
        { type: 'setData', path: `${root}/null`, data: null, version: -1 },
      ]);
      const [m, n, e] = await zk.multiRead(
        [`${root}/m`, `${root}/null`, `${root}/empty`].map((path) => ({
          type: 'getData' as const,
          path,
        })),
      );
      expect(m).toMatchObject({ data: null });
      expect(n).toMatchObject({ data: null });
      expect(e).toMatchObject({ data: null });
      await zk.setData(`${root}/m`, 'x');
      expect((await zk.getData(`${root}/m`)).data).toEqual(Buffer.from('x'));
    });

    it('stores no data as an empty value', async () => {
      const zk = await ctx.client();
      const root = await ctx.root(zk);
      await zk.create(`${root}/empty`);
      const { data, stat } = await zk.getData(`${root}/empty`);
      expect(data ?? Buffer.alloc(0)).toHaveLength(0);
      expect(stat.dataLength).toBe(0);
    });

    it('reports NodeExists, NoNode for a missing parent, and NotEmpty', async () => {
      const zk = await ctx.client();
      const root = await ctx.root(zk);
      const err = await expectKeeperError(zk.create(root), NodeExistsError, ErrorCode.NodeExists);
      expect(err.path).toBe(root);
      await expectKeeperError(zk.create(`${root}/no/parent`), NoNodeError, ErrorCode.NoNode);
      await zk.create(`${root}/child`);
      await expectKeeperError(zk.delete(root), NotEmptyError, ErrorCode.NotEmpty);
    });

    it('rejects malformed paths before or at the server', async () => {
      const zk = await ctx.client();
      // PathUtils.validatePath: relative and trailing-slash paths are illegal.
      await expect(zk.create('relative')).rejects.toThrow();
      await expect(zk.create('/trailing/')).rejects.toThrow();
      // Deleting the root is refused by the server (BadArguments in 3.8).
      await expectKeeperError(zk.delete('/'), BadArgumentsError, ErrorCode.BadArguments);
    });

    it('lists children, with and without the parent stat', async () => {
      const zk = await ctx.client();
      const root = await ctx.root(zk);
      expect(await zk.getChildren(root)).toEqual([]);
      for (const name of ['b', 'a', 'c']) await zk.create(`${root}/${name}`, name);
      expect((await zk.getChildren(root)).sort()).toEqual(['a', 'b', 'c']);
      const { children, stat } = await zk.getChildrenWithStat(root);
      expect([...children].sort()).toEqual(['a', 'b', 'c']);
      expect(stat.numChildren).toBe(3);
      expect(stat.cversion).toBe(3);
      await expectKeeperError(zk.getChildren(`${root}/missing`), NoNodeError, ErrorCode.NoNode);
    });

    it('returns the created stat from createWithStat', async () => {
      const zk = await ctx.client();
      const root = await ctx.root(zk);
      const { path, stat } = await zk.createWithStat(`${root}/n`, 'abc');
      expect(path).toBe(`${root}/n`);
      expect(stat.dataLength).toBe(3);
      expect(stat.version).toBe(0);
      expect(await zk.exists(path)).toEqual(stat);
    });
    it('pipelines many concurrent requests and completes them in submission order', async () => {
      const zk = await ctx.client();
      const root = await ctx.root(zk);
      const completed: number[] = [];
      const created = await Promise.all(
        Array.from({ length: 200 }, (_, i) =>
          zk
            .create(`${root}/n-`, String(i), { mode: CreateMode.PERSISTENT_SEQUENTIAL })
            .then((path) => {
              completed.push(i);
              return path;
            }),
        ),
      );
      // One session's requests are answered in order, so sequence numbers follow submission.
      expect(completed).toEqual(Array.from({ length: 200 }, (_, i) => i));
      expect(created.map((p) => Number(p.slice(-10)))).toEqual(completed);
      expect(await zk.getAllChildrenNumber(root)).toBe(200);
    });
  });

  describe('versions', () => {
    it('applies setData/delete only at the expected version (BadVersion otherwise)', async () => {
      const zk = await ctx.client();
      const root = await ctx.root(zk);
      const path = `${root}/v`;
      await zk.create(path, 'v0');
      await expectKeeperError(zk.setData(path, 'x', 1), BadVersionError, ErrorCode.BadVersion);
      expect((await zk.setData(path, 'v1', 0)).version).toBe(1);
      expect((await zk.setData(path, 'v2', 1)).version).toBe(2);
      // -1 matches any version.
      expect((await zk.setData(path, 'v3', -1)).version).toBe(3);
      expect((await zk.getData(path)).data?.toString()).toBe('v3');
      await expectKeeperError(zk.delete(path, 2), BadVersionError, ErrorCode.BadVersion);
      await zk.delete(path, 3);
      expect(await zk.exists(path)).toBeNull();
    });

    it('bumps cversion on child changes and aversion on setACL', async () => {
      const zk = await ctx.client();
      const root = await ctx.root(zk);
      const before = (await zk.exists(root))!;
      await zk.create(`${root}/c`);
      await zk.delete(`${root}/c`);
      const after = (await zk.exists(root))!;
      expect(after.cversion).toBe(before.cversion + 2);
      expect(after.pzxid).toBeGreaterThan(before.pzxid);
      const { acl } = await zk.getACL(root);
      await expectKeeperError(zk.setACL(root, acl, 5), BadVersionError, ErrorCode.BadVersion);
      expect((await zk.setACL(root, acl, 0)).aversion).toBe(1);
    });
  });
}
