/**
 * Number formats of the Java output the four-letter words reproduce, so parsers written
 * against ZooKeeper keep working.
 */

/** Double.toString for the plain range used here: 0 -> "0.0", 6.4 -> "6.4". */
export function javaDouble(value: number): string {
  return Number.isInteger(value) ? value.toFixed(1) : String(value);
}

/** AvgMinMaxCounter.getAvg: total / count rounded HALF_UP to 4 decimals, 0 when empty. */
export function averageOf(total: number, count: number): number {
  if (count === 0) return 0;
  return Math.round((total / count) * 10000) / 10000;
}

/** Long.toHexString of a 64-bit value (two's complement for negatives: -1 -> ffffffffffffffff). */
export function javaHex(value: bigint): string {
  return BigInt.asUintN(64, value).toString(16);
}
