import { ZooKeeperConnection } from '@shepherd/coordination';
import {
  LIMITS,
  SubmitOptions,
  TaskQueueClient,
  TaskView,
  WaitTimeoutError,
} from '@shepherd/taskqueue';
import {
  CommonEnv,
  ConfigError,
  connectionOptions,
  ensureChroot,
  loadEnv,
} from '../../../app-kit/src';
import { CONNECTION_FLAGS, Command, CommandInput, FlagSpec } from '../command';
import { UsageError } from '../usage-error';

/** Exit code of `submit --wait` for a task that ended other than done, or a wait that ran out. */
export const EXIT_NOT_DONE = 1;

const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
/** The longest a timer can wait (2^31 - 1 ms, some 24 days): "no limit". */
const LONGEST_WAIT_MS = 2 ** 31 - 1;

const option = (name: string, value: string, help: string): FlagSpec => ({
  name,
  type: 'string',
  value,
  help,
});

/** A flag's value as a non-negative integer, or a UsageError naming the flag. */
function integerFlag(flags: CommandInput['flags'], name: string): number | undefined {
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

function print(view: TaskView): void {
  process.stdout.write(`${JSON.stringify(view, null, 2)}\n`);
}

/**
 * `shepherd submit <type> [payload-json] [--wait]`: one task through the coordination service
 * (no REST API needed). Prints the task as JSON; with --wait, the finished task, and the exit
 * code says whether it is done (0) or not (1).
 */
export const submitCommand: Command = {
  name: 'submit',
  summary: 'submit one task (and with --wait, print its result; exit 0 only when done)',
  synopsis: 'shepherd submit <type> [payload-json] [--wait] [flags]',
  description: [
    'Queues one task of <type> with the JSON payload (default null) at ZK_CONNECT and prints it',
    'as JSON. With --wait it prints the task once it is done, failed, cancelled or dead, and',
    'exits 0 only when it is done (1 otherwise, or when --wait-ms runs out).',
    '',
    `  shepherd submit sha256 '{"data":"hello","rounds":1000}' --wait`,
  ].join('\n'),
  flags: [
    { name: 'wait', type: 'boolean', help: 'wait for the task to finish and print it' },
    option('wait-ms', '<ms>', 'give up waiting after this long (default: no limit)'),
    option('max-attempts', '<n>', 'attempts before the task is dead (default 3)'),
    option('timeout-ms', '<ms>', 'per-attempt time limit'),
    option('delay-ms', '<ms>', 'not started before this long from now'),
    option('backoff-ms', '<ms>', 'first retry delay, doubled each retry (default 1000)'),
    option('idempotency-key', '<key>', 'the same key again returns the first task'),
    option(
      'priority',
      '<n>',
      'higher runs first: -1000 to 1000 (default 0); a negative one as --priority=-5',
    ),
    option(
      'connect-timeout-ms',
      '<ms>',
      'give up reaching ZooKeeper after this long (default 10000)',
    ),
    ...CONNECTION_FLAGS,
  ],
  maxPositionals: 2,
  run: async ({ flags, positionals }) => {
    const [type, payloadText] = positionals;
    if (type === undefined)
      throw new UsageError('missing <type>: shepherd submit <type> [payload-json]');
    const payload = parsePayload(payloadText);
    const options = submitOptions(flags);
    const waitMs = integerFlag(flags, 'wait-ms');
    const connectTimeoutMs = integerFlag(flags, 'connect-timeout-ms') ?? DEFAULT_CONNECT_TIMEOUT_MS;
    let env: CommonEnv;
    try {
      env = loadEnv(CommonEnv);
    } catch (err) {
      if (err instanceof ConfigError) throw new UsageError(err.message);
      throw err;
    }
    // The submitter's session ends when it exits: nothing of the task depends on it.
    const connection = new ZooKeeperConnection({
      ...connectionOptions(env),
      connectRetry: { maxAttempts: 1 },
      connectTimeoutMs,
    });
    const unreachable = `cannot reach the coordination service at ${env.ZK_CONNECT} within ${connectTimeoutMs} ms`;
    const client = new TaskQueueClient({ connection });
    try {
      await deadline(ensureChroot(env), connectTimeoutMs, unreachable);
      await deadline(connection.connect(), connectTimeoutMs, unreachable);
      const submitted = await client.submit(type, payload, options);
      if (flags.wait !== true) {
        print(submitted);
        return 0;
      }
      let finished: TaskView;
      try {
        finished = await client.wait(
          submitted.id,
          Math.min(waitMs ?? LONGEST_WAIT_MS, LONGEST_WAIT_MS),
        );
      } catch (err) {
        if (!(err instanceof WaitTimeoutError)) throw err;
        print(await client.get(submitted.id));
        process.stderr.write(
          `shepherd submit: task ${submitted.id} not finished after ${waitMs} ms\n`,
        );
        return EXIT_NOT_DONE;
      }
      print(finished);
      return finished.state === 'done' ? 0 : EXIT_NOT_DONE;
    } finally {
      client.close();
      await connection.close().catch(() => undefined);
    }
  },
};
