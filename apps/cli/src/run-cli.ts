import { existsSync, readFileSync } from 'fs';
import { dirname, join } from 'path';
import { Command, applyFlagsToEnv, helpText, parseCommandLine } from './command';
import { COMMANDS } from './commands';
import { EXIT_USAGE, UsageError } from './usage-error';

/** Where the command writes; tests pass their own. */
export interface CliOutput {
  out(text: string): void;
  err(text: string): void;
}

const STDIO: CliOutput = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

/** The package's version: from the nearest package.json above this file (source or build). */
function version(): string {
  for (let dir = __dirname; dirname(dir) !== dir; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file))
      return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
  }
  return 'unknown';
}

/** `shepherd --help`: the commands, one line each. */
export function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length)) + 2;
  return [
    'Usage: shepherd <command> [flags]',
    '',
    'Shepherd: a master-worker task queue coordinated the ZooKeeper way.',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}${c.summary}`),
    '',
    'Run shepherd <command> --help for its flags. Every flag also has an environment variable;',
    'the flag wins. Exit code 2 means a bad command line or configuration.',
    '',
  ].join('\n');
}

/**
 * Runs `shepherd <command> [args]`. Resolves with the exit code of a command that finishes
 * (help, submit, queues, schedules, a usage error), or undefined for one that keeps running as
 * a server (up, coordinator, master, worker, client), which exits on its own signals.
 */
export async function runCli(
  argv: readonly string[],
  io: CliOutput = STDIO,
): Promise<number | undefined> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' ? COMMANDS.find((c) => c.name === rest[0]) : undefined;
    io.out(topic ? helpText(topic) : mainHelp());
    return 0;
  }
  if (name === '--version' || name === '-v') {
    io.out(`${version()}\n`);
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.err(`shepherd: unknown command "${name}"\n\n${mainHelp()}`);
    return EXIT_USAGE;
  }
  try {
    return await runCommand(command, rest, io);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    io.err(
      `shepherd ${command.name}: ${err.message}\nRun shepherd ${command.name} --help for usage.\n`,
    );
    return EXIT_USAGE;
  }
}

async function runCommand(
  command: Command,
  argv: readonly string[],
  io: CliOutput,
): Promise<number | undefined> {
  // The coordinator parses its own flags (zoo.cfg keys): pass them through.
  if (command.flags.length === 0 && command.maxPositionals > 0 && !argv.includes('--help')) {
    return command.run({ flags: {}, positionals: [...argv] });
  }
  const input = parseCommandLine(command, argv);
  if (input.help) {
    io.out(helpText(command));
    return 0;
  }
  applyFlagsToEnv(command, input.flags);
  return command.run({ flags: input.flags, positionals: input.positionals, out: io.out });
}
