import { parseArgs } from 'util';
import { UsageError } from './usage-error';

/** One flag of a subcommand: how it is spelled, and the environment variable it sets. */
export interface FlagSpec {
  /** Without the dashes: `zk-connect`. */
  name: string;
  /** `string` takes a value; `boolean` is a switch. */
  type: 'string' | 'boolean';
  /** The variable the apps read, which the flag overrides (flags win over the environment). */
  env?: string;
  /** Shown in --help after the flag: `<host:port/chroot>`. */
  value?: string;
  help: string;
}

/** A flag that takes a value and sets `env`. */
export function stringFlag(name: string, env: string, value: string, help: string): FlagSpec {
  return { name, type: 'string', env, value, help };
}

/** What a subcommand's run() gets: its flags' values and its positional arguments. */
export interface CommandInput {
  flags: Record<string, string | boolean | undefined>;
  positionals: string[];
  /** Where a command that answers (submit, queues, schedules) prints; stdout if not given. */
  out?: (text: string) => void;
}

export interface Command {
  name: string;
  /** One line for `shepherd --help`. */
  summary: string;
  /** `shepherd worker [flags]`: the first line of --help. */
  synopsis: string;
  /** Paragraphs after the synopsis in --help. */
  description: string;
  flags: FlagSpec[];
  /** How many positional arguments it takes at most. */
  maxPositionals: number;
  /**
   * Runs the command. Returns the exit code once it is done, or undefined for a command that
   * keeps running (a server) and exits on its own.
   */
  run(input: CommandInput): Promise<number | undefined>;
}

/** The flags every command that talks to the coordination service takes. */
export const CONNECTION_FLAGS: FlagSpec[] = [
  {
    name: 'zk-connect',
    type: 'string',
    env: 'ZK_CONNECT',
    value: '<hosts/chroot>',
    help: 'ZooKeeper connect string (default 127.0.0.1:2181/shepherd)',
  },
  {
    name: 'session-timeout-ms',
    type: 'string',
    env: 'ZK_SESSION_TIMEOUT_MS',
    value: '<ms>',
    help: 'session timeout: how fast a dead process is noticed (default 5000)',
  },
  {
    name: 'zk-auth',
    type: 'string',
    env: 'ZK_AUTH',
    value: '<user:password>',
    help: 'digest auth, and digest ACLs on every znode created',
  },
  {
    name: 'zk-tls-ca',
    type: 'string',
    env: 'ZK_TLS_CA',
    value: '<file>',
    help: 'TLS to the coordination service: PEM of the CA of its certificate',
  },
  {
    name: 'zk-tls-cert',
    type: 'string',
    env: 'ZK_TLS_CERT',
    value: '<file>',
    help: "TLS: this client's certificate, PEM (with --zk-tls-key)",
  },
  {
    name: 'zk-tls-key',
    type: 'string',
    env: 'ZK_TLS_KEY',
    value: '<file>',
    help: 'TLS: the private key of --zk-tls-cert, PEM',
  },
  {
    name: 'log-level',
    type: 'string',
    env: 'LOG_LEVEL',
    value: '<level>',
    help: 'fatal, error, warn, info (default), debug, trace or silent',
  },
];

/** The --help text of a command: synopsis, description, and one line per flag with its variable. */
export function helpText(command: Command): string {
  const rows = [
    ...command.flags.map((f) => [
      `--${f.name}${f.value ? ` ${f.value}` : ''}`,
      f.env ? `${f.help} [${f.env}]` : f.help,
    ]),
    ['--help', 'this text'],
  ];
  const width = Math.max(...rows.map(([left]) => left.length)) + 2;
  return [
    `Usage: ${command.synopsis}`,
    '',
    command.description,
    '',
    'Flags (each overrides the environment variable in brackets):',
    ...rows.map(([left, right]) => `  ${left.padEnd(width)}${right}`),
    '',
  ].join('\n');
}

/**
 * Parses a command's arguments (Node's util.parseArgs, strict): unknown flags, a missing value
 * or too many positionals are a UsageError. `--help` is reported as `help: true`.
 */
export function parseCommandLine(
  command: Command,
  argv: readonly string[],
): CommandInput & { help: boolean } {
  const options: Record<string, { type: 'string' | 'boolean' }> = { help: { type: 'boolean' } };
  for (const f of command.flags) options[f.name] = { type: f.type };
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (err) {
    // Node's message goes on to explain `--` for positionals that start with a dash: cut there.
    throw new UsageError((err as Error).message.split('. To specify')[0].split('\n')[0]);
  }
  const { help, ...flags } = parsed.values as Record<string, string | boolean | undefined>;
  if (help === true) return { help: true, flags, positionals: parsed.positionals };
  if (parsed.positionals.length > command.maxPositionals)
    throw new UsageError(
      `unexpected argument "${parsed.positionals[command.maxPositionals]}"` +
        (command.maxPositionals === 0 ? ' (this command takes flags only)' : ''),
    );
  return { help: false, flags, positionals: parsed.positionals };
}

/**
 * Sets the environment variable of every flag given, so the apps, which read their
 * configuration from the environment, see the flag's value: flags win over the environment.
 */
export function applyFlagsToEnv(
  command: Command,
  flags: CommandInput['flags'],
  env: NodeJS.ProcessEnv = process.env,
): void {
  for (const f of command.flags) {
    const value = flags[f.name];
    if (f.env === undefined || value === undefined) continue;
    env[f.env] = typeof value === 'boolean' ? String(value) : value;
  }
}
