import { runWorker } from '../../../worker/src/run-worker';
import { CONNECTION_FLAGS, Command, stringFlag as flag } from '../command';
import { UsageError } from '../usage-error';

/** `shepherd worker --handlers <module>`: one worker running the user's handlers. */
export const workerCommand: Command = {
  name: 'worker',
  summary: 'a worker running your handlers (--handlers <module>) or the samples (--samples)',
  synopsis: 'shepherd worker (--handlers <module> | --samples) [flags]',
  description: [
    'Registers a worker at ZK_CONNECT and runs the tasks the leading master assigns to it.',
    'Handlers come from a module (CommonJS or ESM): its named exports, or the entries of a',
    'default object, each a function of the task context, keyed by task type:',
    '',
    '  // handlers.js',
    '  exports.resize = async (task) => ({ width: task.payload.width / 2 });',
    '',
    'The sample handlers (echo, sleep, sha256, fail, join) are served with --samples. SIGTERM or',
    'Ctrl-C drains: queued tasks are handed back, running ones may finish.',
  ].join('\n'),
  flags: [
    flag('handlers', 'WORKER_HANDLERS', '<module>', 'path or package name of the handler module'),
    { name: 'samples', type: 'boolean', env: 'WORKER_SAMPLES', help: 'serve the sample handlers' },
    flag('id', 'WORKER_ID', '<id>', 'worker id (default <host>-<pid>)'),
    flag('concurrency', 'WORKER_CONCURRENCY', '<n>', 'tasks run at once (default 4)'),
    flag('prefetch', 'WORKER_PREFETCH', '<n>', 'tasks held beyond that (default concurrency/4)'),
    {
      name: 'error-stacks',
      type: 'boolean',
      env: 'WORKER_ERROR_STACKS',
      help: 'store error stacks in failed tasks (default: name and message; stacks in the log)',
    },
    ...CONNECTION_FLAGS,
  ],
  maxPositionals: 0,
  run: ({ flags }) => {
    const handlers = flags.handlers ?? process.env.WORKER_HANDLERS;
    const samples = flags.samples ?? process.env.WORKER_SAMPLES;
    if (!handlers && !samples)
      throw new UsageError('no handlers: give --handlers <module>, or --samples for the samples');
    runWorker();
    return Promise.resolve(undefined);
  },
};
