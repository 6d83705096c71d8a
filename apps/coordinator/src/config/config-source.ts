/** Where a setting came from, for error and warning messages. */
export type ConfigSource = { kind: 'file'; file: string; line: number } | { kind: 'flag' };

export function describeSource(key: string, source: ConfigSource): string {
  return source.kind === 'file' ? `${key} (${source.file}:${source.line})` : `--${key}`;
}
