/** Adds `by` to the count of `key`, dropping the key when the count reaches zero. */
export function addToCount<K>(counts: Map<K, number>, key: K, by: number): void {
  const n = (counts.get(key) ?? 0) + by;
  if (n > 0) counts.set(key, n);
  else counts.delete(key);
}
