/**
 * The suffix of a sequential node: Java's String.format("%010d", parentCVersion), i.e. the
 * parent's raw cversion zero-padded to 10 characters, sign included ("-000000001").
 */
export function sequenceSuffix(cversion: number): string {
  if (cversion < 0) return '-' + String(-cversion).padStart(9, '0');
  return String(cversion).padStart(10, '0');
}
