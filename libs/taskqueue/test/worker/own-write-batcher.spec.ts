import { LossyTransports, WIRE_OP } from '../../../../test/support/lossy-transport';
import { OwnWriteBatcher } from '../../src/worker/own-write-batcher';
import { AssignmentRef } from '../../src/worker/read-back';
import { Cluster } from './support/cluster';

const cluster = Cluster.perTest();

let made = 0;

async function nodes(n: number): Promise<AssignmentRef[]> {
  const refs: AssignmentRef[] = [];
  for (let i = 0; i < n; i++) {
    const path = await cluster.admin.create(`/own-${made++}`, Buffer.from('v0'));
    const { stat } = await cluster.admin.getData(path);
    refs.push({ path, version: stat.version, czxid: stat.czxid });
  }
  return refs;
}

const bytes = (s: string) => Buffer.from(s);

describe('OwnWriteBatcher', () => {
  it('writes what was issued in one turn together; a stale one is refused alone', async () => {
    const refs = await nodes(3);
    const client = await cluster.client();
    const writes = new OwnWriteBatcher(client);
    const stale = { ...refs[1], version: 7 };
    const results = await Promise.all([
      writes.set(refs[0], bytes('a')),
      writes.set(stale, bytes('b')),
      writes.set(refs[2], bytes('c')),
    ]);
    expect(results).toEqual([1, null, 1]);
    expect((await cluster.admin.getData(refs[0].path)).data?.toString()).toBe('a');
    expect((await cluster.admin.getData(refs[1].path)).data?.toString()).toBe('v0');
    expect((await cluster.admin.getData(refs[2].path)).data?.toString()).toBe('c');
  });

  it('drops a write withdrawn before it left, and sends one withdrawn too late', async () => {
    const [early, late] = await nodes(2);
    const writes = new OwnWriteBatcher(await cluster.client());
    const kept = { sent: false, withdrawn: false };
    const dropped = { sent: false, withdrawn: false };
    const a = writes.set(early, bytes('dropped'), dropped);
    const b = writes.set(late, bytes('kept'), kept);
    dropped.withdrawn = true; // the same turn: not sent yet
    expect(await Promise.all([a, b])).toEqual([null, 1]);
    expect(kept.sent).toBe(true);
    expect(dropped.sent).toBe(false);
    expect((await cluster.admin.getData(early.path)).stat.version).toBe(0);
    expect((await cluster.admin.getData(late.path)).data?.toString()).toBe('kept');
  });

  it('a deleted assignment answers null', async () => {
    const [ref] = await nodes(1);
    await cluster.admin.delete(ref.path);
    const writes = new OwnWriteBatcher(await cluster.client());
    expect(await writes.set(ref, bytes('x'))).toBeNull();
  });

  it.each(['reply', 'request'] as const)(
    'reads back each write of a batch whose %s was lost, and writes each once',
    async (mode) => {
      const refs = await nodes(2);
      const lossy = new LossyTransports();
      const client = await cluster.client({ transportFactory: lossy.factory });
      const writes = new OwnWriteBatcher(client);
      lossy.arm(WIRE_OP.multi, mode);
      const results = await Promise.all(refs.map((r, i) => writes.set(r, bytes(`w${i}`))));
      expect(lossy.lost).toBe(1);
      expect(results).toEqual([1, 1]);
      for (const [i, r] of refs.entries()) {
        const { data, stat } = await cluster.admin.getData(r.path);
        expect([data?.toString(), stat.version]).toEqual([`w${i}`, 1]);
      }
    },
  );
});
