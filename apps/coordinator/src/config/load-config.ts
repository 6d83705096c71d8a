import { readFileSync } from 'fs';
import { parseCliArgs } from './cli-args';
import { ConfigError } from './config-error';
import { ConfigEntry, InterpretedConfig, interpretConfig } from './coordinator-config';
import { parseJavaProperties } from './java-properties';

export type LoadedConfig = ({ help: false } & InterpretedConfig) | { help: true };

/** Command line (+ the zoo.cfg it names) to a checked config. Throws ConfigError. */
export function loadCoordinatorConfig(
  argv: string[],
  opts: { cwd?: string; readFile?: (file: string) => string } = {},
): LoadedConfig {
  const args = parseCliArgs(argv);
  if (args.help) return { help: true };
  const entries: ConfigEntry[] = [];
  if (args.configFile !== undefined) {
    const file = args.configFile;
    let text: string;
    try {
      text = (opts.readFile ?? ((f: string) => readFileSync(f, 'utf8')))(file);
    } catch (err) {
      throw new ConfigError(`Cannot read config file ${file}: ${(err as Error).message}`);
    }
    for (const e of parseJavaProperties(text)) {
      entries.push({ key: e.key, value: e.value, source: { kind: 'file', file, line: e.line } });
    }
  }
  for (const o of args.overrides) entries.push({ ...o, source: { kind: 'flag' } });
  return {
    help: false,
    ...interpretConfig(entries, { cwd: opts.cwd, configFile: args.configFile }),
  };
}
