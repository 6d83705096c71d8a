import fc from 'fast-check';
import { PathIndex } from '../../src/data-tree/path-index';
import { childPath } from '../../src/data-tree/paths';

/** A PathIndex and the Map-of-paths model it replaces, changed together. */
class Pair {
  readonly index = new PathIndex();
  readonly model = new Map<string, number>();
  private next = 1;
  private readonly free: number[] = [];

  constructor() {
    this.index.setRoot(0);
    this.model.set('/', 0);
  }

  add(parent: string, name: string): void {
    const path = childPath(parent, name);
    if (this.model.has(path) || !this.model.has(parent)) return;
    const id = this.free.pop() ?? this.next++;
    const slash = path.lastIndexOf('/');
    this.index.add(this.index.lookupRange(path, slash), id, path, slash + 1);
    this.model.set(path, id);
  }

  remove(path: string): void {
    const id = this.model.get(path);
    if (id === undefined || path === '/') return;
    if (this.index.childCount(id) > 0) return;
    this.index.remove(id);
    this.model.delete(path);
    this.free.push(id);
  }

  check(): void {
    expect(this.index.size).toBe(this.model.size);
    for (const [path, id] of this.model) {
      expect(this.index.lookup(path)).toBe(id);
      expect(this.index.pathOf(id)).toBe(path);
      const prefix = path === '/' ? '/' : `${path}/`;
      const children = [...this.model.keys()]
        .filter((p) => p.startsWith(prefix) && p !== '/' && !p.slice(prefix.length).includes('/'))
        .map((p) => p.slice(prefix.length));
      expect(this.index.childNames(id)).toEqual(children); // insertion order, like the Map
      expect(this.index.encodeChildNames(id).toArray()).toEqual(children); // the wire form too
      expect(this.index.childCount(id)).toBe(children.length);
    }
  }
}

describe('PathIndex', () => {
  it('finds nodes by path and lists children in insertion order', () => {
    const p = new Pair();
    p.add('/', 'a');
    p.add('/a', 'b');
    p.add('/a', 'c');
    p.add('/', 'zookeeper');
    p.check();
    expect(p.index.lookup('/a/b/c')).toBe(-1);
    expect(p.index.lookup('/a/')).toBe(-1);
    expect(p.index.lookup('a')).toBe(-1);
    expect(p.index.lookup('/ab')).toBe(-1);
    expect(p.index.lookupRange('/a/b', 2)).toBe(p.model.get('/a'));
    expect(p.index.lookupRange('/a', 0)).toBe(0);
    p.remove('/a/b');
    p.add('/a', 'b');
    expect(p.index.childNames(p.model.get('/a')!)).toEqual(['c', 'b']);
  });

  it('keeps names that are not ASCII, and names longer than the arena classes', () => {
    const p = new Pair();
    const long = 'x'.repeat(70_000);
    for (const name of ['ünïcødé', '日本', 'a\u0080b', long, 'emoji-\u{1f600}', 'é']) {
      p.add('/', name);
      p.add(childPath('/', name), 'child');
    }
    p.check();
    expect(p.index.lookup('/e')).toBe(-1); // 'é' and 'e' differ
    p.remove(`/${long}/child`);
    p.remove(`/${long}`);
    p.check();
  });

  it('grows its table past thousands of siblings and shrinks back', () => {
    const p = new Pair();
    p.add('/', 'bucket');
    for (let i = 0; i < 5000; i++) p.add('/bucket', `task-${i}`);
    p.check();
    for (let i = 0; i < 5000; i += 2) p.remove(`/bucket/task-${i}`);
    p.check();
  });

  it('matches the model under random adds and removes', () => {
    const name = fc.constantFrom('a', 'b', 'c', 'é', 'task-1', 'task-2', 'x'.repeat(20));
    const op = fc.oneof(
      fc.record({
        kind: fc.constant('add' as const),
        parent: fc.array(name, { maxLength: 3 }),
        name,
      }),
      fc.record({
        kind: fc.constant('remove' as const),
        path: fc.array(name, { minLength: 1, maxLength: 4 }),
      }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 80 }), (ops) => {
        const p = new Pair();
        for (const o of ops) {
          if (o.kind === 'add') p.add(o.parent.length ? `/${o.parent.join('/')}` : '/', o.name);
          else p.remove(`/${o.path.join('/')}`);
        }
        p.check();
      }),
      { numRuns: 200 },
    );
  });
});

describe('PathIndex: restoring', () => {
  it('addNew adds like add, and refuses a name its parent already has without changing anything', () => {
    const index = new PathIndex();
    index.setRoot(0);
    expect(index.addNew(0, 1, '/a', 1)).toBe(true);
    expect(index.addNew(1, 2, '/a/b', 3)).toBe(true);
    expect(index.addNew(0, 3, '/a', 1)).toBe(false);
    expect(index.size).toBe(3);
    expect(index.lookup('/a')).toBe(1);
    expect(index.childNames(0)).toEqual(['a']);
    expect(index.addNew(1, 3, '/a/c', 3)).toBe(true);
    expect(index.childNames(1)).toEqual(['b', 'c']);
  });

  it('reserve on an empty index, or a filled one, keeps every lookup right past the size', () => {
    for (const before of [0, 100]) {
      const index = new PathIndex();
      index.setRoot(0);
      let id = 1;
      for (; id <= before; id++) index.add(0, id, `/n${id}`, 1);
      index.reserve(5000);
      for (; id <= 6000; id++) expect(index.addNew(0, id, `/n${id}`, 1)).toBe(true);
      for (let i = 1; i <= 6000; i++) expect(index.lookup(`/n${i}`)).toBe(i);
      expect(index.lookup('/n6001')).toBe(-1);
      expect(index.size).toBe(6001);
    }
  });
});
