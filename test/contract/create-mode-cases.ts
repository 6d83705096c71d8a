import {
  CreateMode,
  ErrorCode,
  NoChildrenForEphemeralsError,
  UnimplementedError,
} from '@shepherd/zk-protocol';
import { waitFor } from '../support/wait-for';
import { ContractContext, expectKeeperError } from './contract-context';

// CreateMode *_SEQUENTIAL: the server appends the parent's cversion as %010d.
const SEQUENTIAL_SUFFIX = /^\d{10}$/;

/** Ephemeral, sequential, container and TTL nodes. */
export function createModeCases(ctx: ContractContext): void {
  describe('create modes', () => {
    it('ties ephemeral nodes to the session and refuses them children', async () => {
      const owner = await ctx.client();
      const observer = await ctx.client();
      const root = await ctx.root(owner);
      const path = `${root}/eph`;
      await owner.create(path, 'e', { mode: CreateMode.EPHEMERAL });
      // Read-your-writes holds per session only: other sessions sync before reading.
      await observer.sync(path);
      expect((await observer.exists(path))?.ephemeralOwner).toBe(owner.sessionId);
      await expectKeeperError(
        owner.create(`${path}/child`),
        NoChildrenForEphemeralsError,
        ErrorCode.NoChildrenForEphemerals,
      );
      await owner.close();
      // closeSession deletes the session's ephemerals before its reply is sent.
      await observer.sync(path);
      expect(await observer.exists(path)).toBeNull();
    });

    it('appends a 10-digit, increasing counter to sequential nodes', async () => {
      const zk = await ctx.client();
      const root = await ctx.root(zk);
      const made = [
        await zk.create(`${root}/job-`, 'a', { mode: CreateMode.PERSISTENT_SEQUENTIAL }),
        await zk.create(`${root}/job-`, 'b', { mode: CreateMode.EPHEMERAL_SEQUENTIAL }),
        await zk.create(`${root}/job-`, 'c', { mode: CreateMode.PERSISTENT_SEQUENTIAL }),
      ];
      const suffixes = made.map((p) => p.slice(`${root}/job-`.length));
      for (const s of suffixes) expect(s).toMatch(SEQUENTIAL_SUFFIX);
      expect(suffixes).toEqual(['0000000000', '0000000001', '0000000002']);
      expect((await zk.exists(made[1]))?.ephemeralOwner).toBe(zk.sessionId);
      expect((await zk.getChildren(root)).sort()).toEqual(made.map((p) => p.split('/').pop()));
    });

    it('creates container nodes, reaped once their last child is gone', async () => {
      const zk = await ctx.client();
      const root = await ctx.root(zk);
      const container = `${root}/container`;
      const { stat } = await zk.createWithStat(container, 'c', { mode: CreateMode.CONTAINER });
      // The server keeps a container marker in ephemeralOwner but shows clients 0
      // (DataNode.getClientEphemeralOwner): a container is not anyone's ephemeral.
      expect(stat.ephemeralOwner).toBe(0n);
      expect(await zk.getEphemerals(root)).toEqual([]);
      await zk.create(`${container}/child`);
      await zk.delete(`${container}/child`);
      if (!ctx.features.reaping) return;
      await waitFor(
        'the empty container to be reaped',
        async () => ((await zk.exists(container)) === null ? true : undefined),
        { timeoutMs: ctx.features.reapIntervalMs * 4 + 5000 },
      );
    });

    it('creates TTL nodes when the server enables them (Unimplemented otherwise)', async () => {
      const zk = await ctx.client();
      const root = await ctx.root(zk);
      const ttlPath = `${root}/ttl`;
      if (!ctx.features.ttl) {
        await expectKeeperError(
          zk.create(ttlPath, 't', { mode: CreateMode.PERSISTENT_WITH_TTL, ttl: 1000 }),
          UnimplementedError,
          ErrorCode.Unimplemented,
        );
        return;
      }
      const { stat } = await zk.createWithStat(ttlPath, 't', {
        mode: CreateMode.PERSISTENT_WITH_TTL,
        ttl: 500,
      });
      // As for containers, the TTL marker in ephemeralOwner is hidden from clients.
      expect(stat.ephemeralOwner).toBe(0n);
      expect(stat.dataLength).toBe(1);
      const seq = await zk.create(`${root}/ttl-seq-`, '', {
        mode: CreateMode.PERSISTENT_SEQUENTIAL_WITH_TTL,
        ttl: 60000,
      });
      expect(seq.slice(`${root}/ttl-seq-`.length)).toMatch(SEQUENTIAL_SUFFIX);
      if (!ctx.features.reaping) return;
      await waitFor(
        'the expired TTL node to be reaped',
        async () => ((await zk.exists(ttlPath)) === null ? true : undefined),
        { timeoutMs: ctx.features.reapIntervalMs * 4 + 5000 },
      );
      // The long-TTL sibling survives the same reaper passes.
      expect(await zk.exists(seq)).not.toBeNull();
    });
  });
}
