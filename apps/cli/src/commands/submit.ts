import { TaskView, WaitTimeoutError } from '@shepherd/taskqueue';
import { Command } from '../command';
import { UsageError } from '../usage-error';
import {
  CLIENT_FLAGS,
  TASK_OPTION_FLAGS,
  integerFlag,
  option,
  parsePayload,
  printJson,
  printerOf,
  submitOptions,
  withTaskQueueClient,
} from './task-queue-session';

export { parsePayload, submitOptions };

/** Exit code of `submit --wait` for a task that ended other than done, or a wait that ran out. */
export const EXIT_NOT_DONE = 1;

/** The longest a timer can wait (2^31 - 1 ms, some 24 days): "no limit". */
const LONGEST_WAIT_MS = 2 ** 31 - 1;

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
    ...TASK_OPTION_FLAGS,
    option('idempotency-key', '<key>', 'the same key again returns the first task'),
    ...CLIENT_FLAGS,
  ],
  maxPositionals: 2,
  run: async (input) => {
    const { flags, positionals } = input;
    const [type, payloadText] = positionals;
    if (type === undefined)
      throw new UsageError('missing <type>: shepherd submit <type> [payload-json]');
    const payload = parsePayload(payloadText);
    const options = submitOptions(flags);
    const waitMs = integerFlag(flags, 'wait-ms');
    const print = (view: TaskView): void => printJson(printerOf(input), view);
    return withTaskQueueClient(flags, async (client) => {
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
    });
  },
};
