import { AssignmentPlanner, WorkerLoad, pickWorker } from '@shepherd/taskqueue';

const w = (
  id: string,
  concurrency: number,
  assigned: number,
  types = ['echo'],
  draining = false,
): WorkerLoad => ({
  id,
  types,
  concurrency,
  assigned,
  draining,
});

describe('pickWorker', () => {
  it('picks the lowest assigned/concurrency ratio', () => {
    expect(pickWorker([w('a', 4, 2), w('b', 10, 3)], 'echo')?.id).toBe('b'); // 0.5 vs 0.3
    expect(pickWorker([w('a', 4, 1), w('b', 2, 1)], 'echo')?.id).toBe('a'); // 0.25 vs 0.5
  });

  it('breaks a tie on the ratio by fewer assigned, then by id', () => {
    expect(pickWorker([w('a', 4, 2), w('b', 2, 1)], 'echo')?.id).toBe('b'); // 0.5 each
    expect(pickWorker([w('b', 3, 1), w('a', 3, 1)], 'echo')?.id).toBe('a');
  });

  it('never exceeds concurrency, skips draining workers and other types', () => {
    expect(pickWorker([w('a', 2, 2)], 'echo')).toBeUndefined();
    expect(pickWorker([w('a', 2, 0, ['echo'], true)], 'echo')).toBeUndefined();
    expect(pickWorker([w('a', 2, 0, ['resize'])], 'echo')).toBeUndefined();
    expect(pickWorker([w('a', 0, 0)], 'echo')).toBeUndefined();
    expect(pickWorker([], 'echo')).toBeUndefined();
  });

  it("takes any type for a worker declaring '*'", () => {
    expect(pickWorker([w('a', 1, 0, ['*'])], 'anything')?.id).toBe('a');
    expect(pickWorker([w('a', 1, 0, ['x', '*'])], 'y')?.id).toBe('a');
  });
});

describe('AssignmentPlanner', () => {
  it('counts the free slots of non-draining workers', () => {
    expect(
      new AssignmentPlanner([w('a', 3, 1), w('b', 2, 2), w('c', 5, 0, ['echo'], true)]).free,
    ).toBe(2);
  });

  it('spreads a round over workers by load and stops at capacity', () => {
    const planner = new AssignmentPlanner([w('big', 4, 0), w('small', 2, 0)]);
    const picks = Array.from({ length: 7 }, () => planner.take('echo'));
    expect(picks).toEqual(['big', 'small', 'big', 'small', 'big', 'big', undefined]);
    expect(planner.free).toBe(0);
  });

  it('keeps a type blocked for the round once nobody could take it, and serves others', () => {
    const planner = new AssignmentPlanner([w('a', 1, 0, ['echo']), w('b', 1, 0, ['resize'])]);
    expect(planner.take('echo')).toBe('a');
    expect(planner.take('echo')).toBeUndefined();
    expect(planner.take('resize')).toBe('b');
    expect(planner.take('other')).toBeUndefined();
  });

  it('gives a slot back on release', () => {
    const planner = new AssignmentPlanner([w('a', 1, 0)]);
    expect(planner.take('echo')).toBe('a');
    expect(planner.take('echo')).toBeUndefined();
    planner.release('a');
    expect(planner.free).toBe(1);
    expect(planner.take('echo')).toBe('a');
  });

  it('does not change the loads it was given', () => {
    const loads = [w('a', 2, 0)];
    new AssignmentPlanner(loads).take('echo');
    expect(loads[0].assigned).toBe(0);
  });
});
