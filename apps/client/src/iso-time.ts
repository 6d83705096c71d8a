/** REST timestamps are ISO-8601 strings; the core keeps milliseconds since the epoch. */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}
