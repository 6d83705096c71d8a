import { ReplyBarrier } from '@shepherd/zk-server';

function deferred(): { promise: Promise<void>; resolve: () => void; reject: (e: Error) => void } {
  let resolve!: () => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const flush = () => new Promise((r) => setImmediate(r));

describe('ReplyBarrier', () => {
  it('runs output at once when nothing is queued', () => {
    const barrier = new ReplyBarrier();
    const out: string[] = [];
    barrier.push(() => out.push('a'));
    expect(out).toEqual(['a']);
  });

  it('releases in FIFO order, each entry after its own durability', async () => {
    const barrier = new ReplyBarrier();
    const out: string[] = [];
    const w1 = deferred();
    const w2 = deferred();
    barrier.pushAfter(w1.promise, () => out.push('w1'), fail);
    barrier.push(() => out.push('r1'));
    barrier.pushAfter(w2.promise, () => out.push('w2'), fail);
    barrier.push(() => out.push('r2'));
    w2.resolve();
    await flush();
    expect(out).toEqual([]);
    w1.resolve();
    await flush();
    expect(out).toEqual(['w1', 'r1', 'w2', 'r2']);
    expect(barrier.pending).toBe(0);
  });

  it('stops for good when an append fails, reporting it once', async () => {
    const barrier = new ReplyBarrier();
    const out: string[] = [];
    const failures: unknown[] = [];
    const w1 = deferred();
    const w2 = deferred();
    barrier.pushAfter(
      w1.promise,
      () => out.push('w1'),
      (e) => failures.push(e),
    );
    barrier.pushAfter(
      w2.promise,
      () => out.push('w2'),
      (e) => failures.push(e),
    );
    w1.reject(new Error('io'));
    w2.reject(new Error('io2'));
    await flush();
    barrier.push(() => out.push('later'));
    expect(out).toEqual([]);
    expect(failures).toHaveLength(1);
    expect(barrier.failure).toEqual(new Error('io'));
  });

  it('keeps going when one release throws', () => {
    const errors: unknown[] = [];
    const barrier = new ReplyBarrier((e) => errors.push(e));
    const out: string[] = [];
    barrier.push(() => {
      throw new Error('boom');
    });
    barrier.push(() => out.push('next'));
    expect(out).toEqual(['next']);
    expect(errors).toHaveLength(1);
  });
});

function fail(err: unknown): void {
  throw err;
}
