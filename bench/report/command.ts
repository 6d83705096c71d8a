/**
 * The command line that reproduces a result, rebuilt from the `args` its JSON recorded, so the
 * page never shows a command other than the one that produced the numbers.
 */

export interface CommandOptions {
  /** The file the benchmark writes by default: `--out` is shown only when it differs. */
  defaultOut?: string;
  /** Argument names whose flag is not the kebab-case of the name. */
  flags?: Record<string, string>;
  /** Arguments that are local paths (profiles): shown as a placeholder, never as a path. */
  placeholders?: Record<string, string>;
}

const kebab = (s: string) => s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

export function commandLine(
  script: string,
  args: Record<string, unknown> | undefined,
  options: CommandOptions = {},
): string {
  const parts: string[] = [];
  for (const [name, value] of Object.entries(args ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'out' && value === options.defaultOut) continue;
    const flag = `--${options.flags?.[name] ?? kebab(name)}`;
    if (value === true) parts.push(flag);
    else if (options.placeholders?.[name]) parts.push(flag, options.placeholders[name]);
    else parts.push(flag, Array.isArray(value) ? value.join(',') : String(value));
  }
  return parts.length === 0 ? `npm run ${script}` : `npm run ${script} -- ${parts.join(' ')}`;
}
