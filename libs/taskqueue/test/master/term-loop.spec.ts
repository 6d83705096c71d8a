import { NoNodeError } from '@shepherd/zk-protocol';
import { FakeClock } from '../../../../test/support/fake-clock';
import { TermLoop, TermLoopContext } from '../../src/master/term-loop';
import { FenceError } from '../../src/store/batch-committer';

// The periodic pass the scheduler and retention share, on a hand-driven clock.

/** Lets the promise chain of a pass (then, catch, finally) run. */
const settle = async (): Promise<void> => {
  for (let i = 0; i < 10; i++) await Promise.resolve();
};

function setup(pass: () => Promise<number>) {
  const clock = new FakeClock();
  const warnings: string[] = [];
  const fenced: FenceError[] = [];
  const term: TermLoopContext & { active: boolean } = {
    active: true,
    options: { clock, logger: { warn: (_obj, msg) => warnings.push(msg ?? '') } },
  };
  const passes: number[] = [];
  const loop = new TermLoop(term, {
    name: 'test',
    pass: () => {
      passes.push(clock.now());
      return pass();
    },
    afterErrorMs: () => 500,
    onFenceError: (err) => fenced.push(err),
  });
  return { clock, term, loop, passes, warnings, fenced, start: clock.now() };
}

describe('TermLoop', () => {
  it('runs the first pass after the first delay, then after the delay each pass returns', async () => {
    const delays = [100, 0, 250];
    const t = setup(async () => delays.shift() ?? 1000);
    t.loop.start(50);
    for (let i = 0; i < 4; i++) {
      t.clock.advance(t.clock.nextDeadline! - t.clock.now());
      await settle();
    }
    expect(t.passes.map((at) => at - t.start)).toEqual([50, 150, 150, 400]);
    expect(t.warnings).toEqual([]);
  });

  it('warns about a failed pass and tries again after afterErrorMs', async () => {
    let fail = true;
    const t = setup(async () => {
      if (fail) {
        fail = false;
        throw new Error('connection loss');
      }
      return 1000;
    });
    t.loop.start(0);
    t.clock.advance(0);
    await settle();
    expect(t.warnings).toEqual(['test pass failed']);
    t.clock.advance(500);
    await settle();
    expect(t.passes.map((at) => at - t.start)).toEqual([0, 500]);
  });

  it('hands a FenceError to onFenceError without a warning', async () => {
    const fence = new FenceError(new NoNodeError('/election/n-1'));
    const t = setup(() => Promise.reject(fence));
    t.loop.start(0);
    t.clock.advance(0);
    await settle();
    expect(t.fenced).toEqual([fence]);
    expect(t.warnings).toEqual([]);
  });

  it('stops: no further pass after stop() or once the term ended, idle() waits for a pass', async () => {
    let finish: (ms: number) => void = () => undefined;
    const t = setup(() => new Promise<number>((resolve) => (finish = resolve)));
    t.loop.start(0);
    t.clock.advance(0);
    expect(t.loop.stopped).toBe(false);
    let idle = false;
    const idled = t.loop.idle().then(() => (idle = true));
    t.loop.stop();
    expect(t.loop.stopped).toBe(true);
    await settle();
    expect(idle).toBe(false);
    finish(10);
    await idled;
    expect(t.clock.pending).toBe(0);

    const ended = setup(async () => 10);
    ended.loop.start(0);
    ended.term.active = false;
    expect(ended.loop.stopped).toBe(true);
    ended.clock.advance(100);
    await settle();
    expect(ended.passes).toHaveLength(1); // the timer set before the term ended
    expect(ended.clock.pending).toBe(0);
  });
});
