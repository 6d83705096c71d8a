/**
 * Where each task of a flow goes when the flow is drawn as a DAG: columns of depth, left to
 * right (a task's column is 1 + the deepest column of its dependencies, 0 without any), and an
 * order within each column that keeps lines short. No DOM: the view turns the grid positions
 * into pixels.
 */

/** What the layout needs of a task: its key and the keys it depends on. */
export interface FlowNodeInput {
  key: string;
  dependsOn: readonly string[];
}

export interface PlacedNode {
  key: string;
  column: number;
  /** Index within its column, from the top. */
  row: number;
  /**
   * Vertical position in rows, the column centred against the tallest one: in a diamond
   * a -> (b, c) -> d, b and c are at 0 and 1, a and d at 0.5.
   */
  y: number;
}

export interface FlowEdge {
  /** The dependency. */
  from: string;
  /** The task that depends on it. */
  to: string;
}

export interface FlowLayout {
  /** Keys by column, each column top to bottom. */
  columns: string[][];
  /** Every task, in the order given. */
  nodes: PlacedNode[];
  /** One per dependency, from the dependency to its dependent; unknown keys are left out. */
  edges: FlowEdge[];
  /** Number of columns. */
  width: number;
  /** Rows of the tallest column. */
  height: number;
}

/**
 * Lays out a flow. Column 0 keeps the order given; every later column is sorted by the mean
 * vertical position of each task's dependencies (ties: the order given), so a task sits near
 * what it waits for. Duplicate keys keep the first; a dependency on an unknown key or on the
 * task itself is ignored, and a cycle (a flow never has one) cannot loop: a task met again
 * while its depth is being found counts as depth 0.
 */
export function layoutFlow(tasks: readonly FlowNodeInput[]): FlowLayout {
  const first = new Map<string, FlowNodeInput>();
  for (const t of tasks) if (!first.has(t.key)) first.set(t.key, t);
  const order = new Map([...first.keys()].map((key, i) => [key, i]));
  const deps = new Map<string, string[]>();
  for (const t of first.values())
    deps.set(
      t.key,
      [...new Set(t.dependsOn)].filter((d) => d !== t.key && first.has(d)),
    );

  const column = new Map<string, number>();
  const visiting = new Set<string>();
  const depth = (key: string): number => {
    const known = column.get(key);
    if (known !== undefined) return known;
    if (visiting.has(key)) return 0; // a cycle: never in a real flow
    visiting.add(key);
    let c = 0;
    for (const d of deps.get(key)!) c = Math.max(c, depth(d) + 1);
    visiting.delete(key);
    column.set(key, c);
    return c;
  };
  // The recursion goes as deep as the longest chain: a flow has 500 tasks at most.
  for (const key of order.keys()) depth(key);

  const width = order.size === 0 ? 0 : Math.max(...column.values()) + 1;
  const columns: string[][] = Array.from({ length: width }, () => []);
  for (const key of order.keys()) columns[column.get(key)!].push(key);
  const height = columns.reduce((n, c) => Math.max(n, c.length), 0);

  const y = new Map<string, number>();
  columns.forEach((keys, c) => {
    if (c > 0) {
      // Only dependencies in earlier columns are placed already (all of them, without a cycle).
      const centre = (key: string) => {
        const ds = deps.get(key)!.filter((d) => y.has(d));
        if (ds.length === 0) return Number.MAX_VALUE;
        return ds.reduce((sum, d) => sum + y.get(d)!, 0) / ds.length;
      };
      const weight = new Map(keys.map((k) => [k, centre(k)]));
      keys.sort((a, b) => weight.get(a)! - weight.get(b)! || order.get(a)! - order.get(b)!);
    }
    const offset = (height - keys.length) / 2;
    keys.forEach((k, row) => y.set(k, row + offset));
  });

  const nodes: PlacedNode[] = [];
  for (const [c, keys] of columns.entries())
    keys.forEach((key, row) => nodes.push({ key, column: c, row, y: y.get(key)! }));
  nodes.sort((a, b) => order.get(a.key)! - order.get(b.key)!);
  const edges: FlowEdge[] = [];
  for (const key of order.keys()) for (const d of deps.get(key)!) edges.push({ from: d, to: key });
  return { columns, nodes, edges, width, height };
}
