import { ZooKeeperConnection } from '@shepherd/coordination';
import {
  InvalidTaskError,
  LIMITS,
  ScheduleExistsError,
  ScheduleNotFoundError,
  SubmitOptions,
  TaskQueueClient,
} from '@shepherd/taskqueue';
import {
  CommonEnv,
  ConfigError,
  connectionOptions,
  ensureChroot,
  loadEnv,
} from '../../../app-kit/src';
import { CONNECTION_FLAGS, CommandInput, FlagSpec } from '../command';
import { UsageError } from '../usage-error';

// What the commands that talk to the queue through the coordination service share (submit,
// queues, schedules): the connection, the task option flags, and how their answers print.

const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

/** A flag that takes a value and sets no environment variable. */
export const option = (name: string, value: string, help: string): FlagSpec => ({
  name,
  type: 'string',
  value,
  help,
});

/** A switch that sets no environment variable. */
export const toggle = (name: string, help: string): FlagSpec => ({ name, type: 'boolean', help });

/** --connect-timeout-ms and the shared connection flags: last in each command's --help. */
export const CLIENT_FLAGS: FlagSpec[] = [
  option(
    'connect-timeout-ms',
    '<ms>',
    'give up reaching ZooKeeper after this long (default 10000)',
  ),
  ...CONNECTION_FLAGS,
];

/** The flags of the options a task is submitted with (submit, and a schedule's task). */
export const TASK_OPTION_FLAGS: FlagSpec[] = [
  option('max-attempts', '<n>', 'attempts before the task is dead (default 3)'),
  option('timeout-ms', '<ms>', 'per-attempt time limit'),
  option('delay-ms', '<ms>', 'not started before this long from now'),
  option('backoff-ms', '<ms>', 'first retry delay, doubled each retry (default 1000)'),
  option(
    'priority',
    '<n>',
    'higher runs first: -1000 to 1000 (default 0); a negative one as --priority=-5',
  ),
  option('group', '<name>', "the task's group: the type's groupConcurrency applies per group"),
];

/** A flag's value as a non-negative integer, or a UsageError naming the flag. */
export function integerFlag(flags: CommandInput['flags'], name: string): number | undefined {
  const raw = flags[name];
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string' || !/^\d+$/.test(raw.trim()))
    throw new UsageError(`--${name} must be a non-negative integer (got "${String(raw)}")`);
  return Number(raw);
}

/** --priority: an integer from -1000 to 1000, or a UsageError. */
function priorityFlag(flags: CommandInput['flags']): number | undefined {
  const raw = flags.priority;
  if (raw === undefined) return undefined;
  const { minPriority, maxPriority } = LIMITS;
  const text = typeof raw === 'string' ? raw.trim() : '';
  const value = Number(text);
  if (!/^[-+]?\d+$/.test(text) || value < minPriority || value > maxPriority)
    throw new UsageError(
      `--priority must be an integer from ${minPriority} to ${maxPriority} (got "${String(raw)}")`,
    );
  return value || 0; // -0 as 0
}

/** The payload argument: JSON, or a UsageError that says where it stopped parsing. */
export function parsePayload(text: string | undefined): unknown {
  if (text === undefined) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new UsageError(`payload is not JSON: ${(err as Error).message}`);
  }
}

/** The task options given as flags. */
export function submitOptions(flags: CommandInput['flags']): SubmitOptions {
  const options: SubmitOptions = {};
  const maxAttempts = integerFlag(flags, 'max-attempts');
  const timeoutMs = integerFlag(flags, 'timeout-ms');
  const delayMs = integerFlag(flags, 'delay-ms');
  const backoffMs = integerFlag(flags, 'backoff-ms');
  if (maxAttempts !== undefined) options.maxAttempts = maxAttempts;
  if (timeoutMs !== undefined) options.timeoutMs = timeoutMs;
  if (delayMs !== undefined) options.delayMs = delayMs;
  if (backoffMs !== undefined) options.backoffMs = backoffMs;
  const priority = priorityFlag(flags);
  if (priority !== undefined) options.priority = priority;
  if (typeof flags.group === 'string') options.group = flags.group;
  if (typeof flags['idempotency-key'] === 'string')
    options.idempotencyKey = flags['idempotency-key'];
  return options;
}

/** Rejects after `ms` with `message`; the timer does not hold the process open. */
function deadline<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
    timer.unref();
  });
  return Promise.race([work, expired]).finally(() => clearTimeout(timer));
}

/**
 * Connects a TaskQueueClient to ZK_CONNECT (the flags are in the environment by now; the
 * chroot is created if missing), runs `work` with it, and closes both. A configuration the
 * apps refuse is a UsageError; an unreachable service an Error within --connect-timeout-ms.
 */
export async function withTaskQueueClient<T>(
  flags: CommandInput['flags'],
  work: (client: TaskQueueClient) => Promise<T>,
): Promise<T> {
  const connectTimeoutMs = integerFlag(flags, 'connect-timeout-ms') ?? DEFAULT_CONNECT_TIMEOUT_MS;
  let env: CommonEnv;
  try {
    env = loadEnv(CommonEnv);
  } catch (err) {
    if (err instanceof ConfigError) throw new UsageError(err.message);
    throw err;
  }
  // The command's session ends when it exits: nothing it wrote depends on it.
  const connection = new ZooKeeperConnection({
    ...connectionOptions(env),
    connectRetry: { maxAttempts: 1 },
    connectTimeoutMs,
  });
  const unreachable = `cannot reach the coordination service at ${env.ZK_CONNECT} within ${connectTimeoutMs} ms`;
  // One command, one list at most: a list cache would be built only to be thrown away.
  const client = new TaskQueueClient({ connection, listCache: false });
  try {
    await deadline(ensureChroot(env), connectTimeoutMs, unreachable);
    await deadline(connection.connect(), connectTimeoutMs, unreachable);
    return await work(client);
  } finally {
    client.close();
    await connection.close().catch(() => undefined);
  }
}

/**
 * Runs a library call whose refusal is the caller's to fix (bad input, no such schedule, a
 * name taken): that refusal becomes a UsageError, so one line and exit 2, not a stack.
 */
export async function refusedAsUsage<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (err) {
    if (
      err instanceof InvalidTaskError ||
      err instanceof ScheduleNotFoundError ||
      err instanceof ScheduleExistsError
    )
      throw new UsageError(err.message);
    throw err;
  }
}

/** Where a command prints its answer: the CLI's output, or stdout. */
export type Print = (text: string) => void;

export function printerOf(input: CommandInput): Print {
  return input.out ?? ((text) => process.stdout.write(text));
}

/** One value as indented JSON (a task, a queue, a schedule). */
export function printJson(print: Print, value: unknown): void {
  print(`${JSON.stringify(value, null, 2)}\n`);
}

/** A list as JSON lines, one item a line: for grep, jq -c and wc -l. */
export function printJsonLines(print: Print, items: readonly unknown[]): void {
  print(items.map((item) => `${JSON.stringify(item)}\n`).join(''));
}
