/**
 * Whether `value` nests deeper than `max` levels of arrays and objects (a scalar is level 0,
 * `[]` and `{}` level 1). Iterative, with an explicit stack, so it cannot run out of the call
 * stack itself however deep the value goes (JSON.stringify does, at a few thousand levels, with a
 * RangeError that says nothing about the payload); it stops at the first branch past `max`.
 */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const [v, depth] = next;
    if (v === null || typeof v !== 'object') continue;
    if (depth > max) return true;
    const children: unknown[] = Array.isArray(v) ? v : Object.values(v);
    for (const child of children)
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
  }
  return false;
}
