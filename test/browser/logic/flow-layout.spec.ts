import { layoutFlow } from '../../../apps/client/dashboard/src/flow-layout';

const t = (key: string, ...dependsOn: string[]) => ({ key, dependsOn });

describe('layoutFlow', () => {
  it('puts a diamond in three columns, the middle one centred between the ends', () => {
    const layout = layoutFlow([t('a'), t('b', 'a'), t('c', 'a'), t('d', 'b', 'c')]);
    expect(layout.columns).toEqual([['a'], ['b', 'c'], ['d']]);
    expect(layout.width).toBe(3);
    expect(layout.height).toBe(2);
    expect(layout.nodes).toEqual([
      { key: 'a', column: 0, row: 0, y: 0.5 },
      { key: 'b', column: 1, row: 0, y: 0 },
      { key: 'c', column: 1, row: 1, y: 1 },
      { key: 'd', column: 2, row: 0, y: 0.5 },
    ]);
    expect(layout.edges).toEqual([
      { from: 'a', to: 'b' },
      { from: 'a', to: 'c' },
      { from: 'b', to: 'd' },
      { from: 'c', to: 'd' },
    ]);
  });

  it('a column is 1 + the deepest dependency, whatever order the tasks come in', () => {
    // d depends on a (column 0) and c (column 2): it goes after c, in column 3.
    const layout = layoutFlow([t('d', 'a', 'c'), t('c', 'b'), t('b', 'a'), t('a')]);
    expect(layout.columns).toEqual([['a'], ['b'], ['c'], ['d']]);
    expect(layout.nodes.map((n) => n.key)).toEqual(['d', 'c', 'b', 'a']); // the order given
    expect(layout.height).toBe(1);
  });

  it('keeps the first column in the order given and sorts the next ones by their dependencies', () => {
    // Roots x, y, z; x2 depends on z (bottom), z2 on x (top): z2 goes above x2.
    const layout = layoutFlow([t('x'), t('y'), t('z'), t('x2', 'z'), t('z2', 'x'), t('y2', 'y')]);
    expect(layout.columns).toEqual([
      ['x', 'y', 'z'],
      ['z2', 'y2', 'x2'],
    ]);
    // Equal weights keep the order given.
    expect(layoutFlow([t('r'), t('q', 'r'), t('p', 'r')]).columns[1]).toEqual(['q', 'p']);
  });

  it('centres a shorter column against the tallest', () => {
    const layout = layoutFlow([t('a'), t('b'), t('c'), t('all', 'a', 'b', 'c')]);
    expect(layout.height).toBe(3);
    expect(layout.nodes.find((n) => n.key === 'all')).toMatchObject({ column: 1, row: 0, y: 1 });
    expect(layout.nodes.filter((n) => n.column === 0).map((n) => n.y)).toEqual([0, 1, 2]);
  });

  it('ignores unknown keys, self-dependencies, repeats and duplicate tasks', () => {
    const layout = layoutFlow([t('a', 'ghost', 'a'), t('b', 'a', 'a'), t('a', 'b')]);
    expect(layout.columns).toEqual([['a'], ['b']]);
    expect(layout.edges).toEqual([{ from: 'a', to: 'b' }]);
    expect(layout.nodes).toHaveLength(2);
  });

  it('an empty flow has no columns; a cycle (never in a flow) still ends', () => {
    expect(layoutFlow([])).toEqual({ columns: [], nodes: [], edges: [], width: 0, height: 0 });
    const cycle = layoutFlow([t('a', 'b'), t('b', 'a')]);
    expect(cycle.nodes.map((n) => n.key).sort()).toEqual(['a', 'b']);
    expect(cycle.nodes.every((n) => Number.isFinite(n.y))).toBe(true);
  });

  it('lays out a 500-task chain and a 500-task fan quickly', () => {
    const chain = Array.from({ length: 500 }, (_, i) =>
      i === 0 ? t('k0') : t(`k${i}`, `k${i - 1}`),
    );
    const started = Date.now();
    const long = layoutFlow(chain);
    expect(long.width).toBe(500);
    expect(long.nodes[499]).toMatchObject({ key: 'k499', column: 499, y: 0 });
    const fan = layoutFlow([
      t('root'),
      ...Array.from({ length: 499 }, (_, i) => t(`f${i}`, 'root')),
    ]);
    expect(fan.columns[1]).toHaveLength(499);
    expect(fan.nodes[0]).toMatchObject({ key: 'root', y: 249 });
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
