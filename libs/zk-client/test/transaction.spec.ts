import { CreateMode, ErrorCode, NodeExistsError, OpCode } from '@shepherd/zk-protocol';
import { TransactionError } from '@shepherd/zk-client';
import { settle } from './fakes';
import { connectedClient, makeStat } from './setup';

const stat = makeStat({ version: 1 });

describe('transactions (multi)', () => {
  it('encodes the ops in order, in server paths, and maps the results', async () => {
    const { client, t } = await connectedClient({}, 'h:1/root');
    const p = client
      .transaction()
      .create('/a', 'x', { mode: CreateMode.EPHEMERAL })
      .setData('/b', 'y', 3)
      .check('/c', 1)
      .delete('/d')
      .commit();
    await settle();
    expect(t.requests[0].request).toEqual({
      op: OpCode.multi,
      ops: [
        expect.objectContaining({
          op: OpCode.create,
          path: '/root/a',
          flags: CreateMode.EPHEMERAL,
        }),
        { op: OpCode.setData, path: '/root/b', data: Buffer.from('y'), version: 3 },
        { op: OpCode.check, path: '/root/c', version: 1 },
        { op: OpCode.delete, path: '/root/d', version: -1 },
      ],
    });
    t.reply(1, {
      op: OpCode.multi,
      results: [
        { op: OpCode.create, path: '/root/a' },
        { op: OpCode.setData, stat },
        { op: OpCode.check },
        { op: OpCode.delete },
      ],
    });
    await expect(p).resolves.toEqual([
      { type: 'create', path: '/a' },
      { type: 'setData', stat },
      { type: 'check' },
      { type: 'delete' },
    ]);
  });

  it('rejects with TransactionError carrying the first real failure and all results', async () => {
    const { client, t } = await connectedClient();
    const p = client.transaction().create('/a').create('/b').delete('/c').commit();
    await settle();
    t.reply(
      1,
      {
        op: OpCode.multi,
        results: [
          { op: OpCode.error, err: 0 },
          { op: OpCode.error, err: ErrorCode.NodeExists },
          { op: OpCode.error, err: ErrorCode.RuntimeInconsistency },
        ],
      },
      ErrorCode.NodeExists,
    );
    const err = await p.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransactionError);
    const te = err as TransactionError;
    expect(te.code).toBe(ErrorCode.NodeExists);
    expect(te.path).toBe('/b');
    expect(te.results[1]).toEqual({ type: 'error', error: expect.any(NodeExistsError) });
  });

  it('createWithStat picks create2, containers and TTL nodes', async () => {
    const { client, t } = await connectedClient();
    void client.createWithStat('/a');
    void client.create('/c', null, { mode: CreateMode.CONTAINER });
    void client.create('/t', null, { mode: CreateMode.PERSISTENT_WITH_TTL, ttl: 5000 });
    await expect(
      client.create('/bad', null, { mode: CreateMode.PERSISTENT_WITH_TTL }),
    ).rejects.toThrow();
    await settle();
    expect(t.requests.map((r) => r.request.op)).toEqual([
      OpCode.create2,
      OpCode.createContainer,
      OpCode.createTTL,
    ]);
    expect(t.requests[2].request).toMatchObject({ ttl: 5000n });
  });
});
