import { hasSequence, sequenceOf, sortBySequence } from '@shepherd/coordination';

describe('sequence helpers', () => {
  it('sequenceOf reads the 10-digit counter ZooKeeper appends', () => {
    expect(sequenceOf('lock-0000000042')).toBe(42);
    expect(sequenceOf('_c_0b7c51d2-53a5-4e9c-9b1f-8d9a0f3e2a11-n_0000000007')).toBe(7);
    expect(sequenceOf('2147483647')).toBe(2147483647);
    expect(() => sequenceOf('lock-42')).toThrow(RangeError);
    expect(hasSequence('lock-000000001')).toBe(false);
  });

  it('sortBySequence orders by counter, not by the (random) protected prefix', () => {
    const names = ['_c_ffff-n_0000000003', 'stray', '_c_0000-n_0000000010', '_c_aaaa-n_0000000001'];
    expect(sortBySequence(names)).toEqual([
      '_c_aaaa-n_0000000001',
      '_c_ffff-n_0000000003',
      '_c_0000-n_0000000010',
    ]);
    expect(names).toHaveLength(4); // not sorted in place
  });
});
