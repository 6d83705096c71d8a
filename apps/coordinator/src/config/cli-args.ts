import { ConfigError } from './config-error';

export interface CliArgs {
  help: boolean;
  /** `zoo.cfg` (first positional argument, as Apache ZooKeeper's server takes it) or --config. */
  configFile?: string;
  /** Every other --key value / --key=value, in order; keys are zoo.cfg keys. */
  overrides: { key: string; value: string }[];
}

/**
 * `[zoo.cfg] [--config zoo.cfg] --clientPort 2181 --autopurge.purgeInterval=1 ...`: the config
 * file positionally (as `zkServer.sh start zoo.cfg` passes it to ZooKeeperServerMain) or with
 * --config, and one flag per zoo.cfg key, spelled the same, each overriding the file. Which keys
 * exist is the config's business, so an unknown flag gets the same warning as an unknown
 * zoo.cfg key.
 */
export function parseCliArgs(argv: string[]): CliArgs {
  const args: CliArgs = { help: false, overrides: [] };
  let positional: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') {
      args.help = true;
      continue;
    }
    if (!arg.startsWith('-')) {
      if (positional !== undefined)
        throw new ConfigError(`Unexpected argument "${arg}" (one config file: ${positional})`);
      positional = arg;
      continue;
    }
    if (!arg.startsWith('--') || arg.length === 2) {
      throw new ConfigError(`Unexpected argument "${arg}" (flags look like --clientPort 2181)`);
    }
    const eq = arg.indexOf('=');
    let key: string;
    let value: string;
    if (eq > 0) {
      key = arg.slice(2, eq);
      value = arg.slice(eq + 1);
    } else {
      key = arg.slice(2);
      if (i + 1 >= argv.length) throw new ConfigError(`Flag --${key} needs a value`);
      value = argv[++i];
    }
    if (key === 'config') args.configFile = value;
    else args.overrides.push({ key, value: value.trim() });
  }
  if (positional !== undefined) {
    if (args.configFile !== undefined && args.configFile !== positional)
      throw new ConfigError(
        `Two config files: ${positional} and --config ${args.configFile}; give one`,
      );
    args.configFile = positional;
  }
  return args;
}
