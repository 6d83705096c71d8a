import { MAX_QUEUE_CONCURRENCY, MAX_RATE_WINDOW_MS, QueueSettingsPatch } from '@shepherd/taskqueue';
import { Command, CommandInput, FlagSpec } from '../command';
import { UsageError } from '../usage-error';
import {
  CLIENT_FLAGS,
  option,
  printJson,
  printJsonLines,
  printerOf,
  refusedAsUsage,
  toggle,
  withTaskQueueClient,
} from './task-queue-session';

/** A flag that changes one queue setting: the patch it makes from its value. */
interface SettingFlag {
  flag: FlagSpec;
  patch(value: string | boolean): QueueSettingsPatch;
}

/** --concurrency and the like: an integer from 1 to MAX_QUEUE_CONCURRENCY. */
function capOf(name: string, clear: string, value: string | boolean): number {
  const text = String(value).trim();
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 1 || n > MAX_QUEUE_CONCURRENCY)
    throw new UsageError(
      `--${name} must be an integer from 1 to ${MAX_QUEUE_CONCURRENCY} (got "${String(value)}"; ` +
        `--${clear} removes the cap)`,
    );
  return n;
}

/** --rate-limit <max>/<ms>: at most <max> tasks started per <ms>. */
export function parseRateLimit(value: string | boolean): { max: number; perMs: number } {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(String(value));
  const max = Number(match?.[1]);
  const perMs = Number(match?.[2]);
  if (!match || max < 1 || perMs < 1 || perMs > MAX_RATE_WINDOW_MS || !Number.isSafeInteger(max))
    throw new UsageError(
      `--rate-limit must be <max>/<ms>, e.g. 100/1000 for 100 tasks a second, with <ms> from ` +
        `1 to ${MAX_RATE_WINDOW_MS} (got "${String(value)}")`,
    );
  return { max, perMs };
}

/**
 * The flags that change a queue's settings, each with its patch. Flags that set the same
 * setting cannot be combined. A new setting is one entry here (and one line in README), e.g.
 * --group-concurrency <n> / --clear-group-concurrency for { groupConcurrency }.
 */
const SETTING_FLAGS: readonly SettingFlag[] = [
  {
    flag: toggle('pause', 'stop assigning tasks of the type (running ones finish)'),
    patch: () => ({ paused: true }),
  },
  { flag: toggle('resume', 'assign its tasks again'), patch: () => ({ paused: false }) },
  {
    flag: option('concurrency', '<n>', 'at most <n> of its tasks assigned or running at once'),
    patch: (v) => ({ concurrency: capOf('concurrency', 'clear-concurrency', v) }),
  },
  { flag: toggle('clear-concurrency', 'no concurrency cap'), patch: () => ({ concurrency: null }) },
  {
    flag: option('rate-limit', '<max>/<ms>', 'at most <max> tasks started per <ms>: 100/1000'),
    patch: (v) => ({ rateLimit: parseRateLimit(v) }),
  },
  { flag: toggle('clear-rate-limit', 'no rate limit'), patch: () => ({ rateLimit: null }) },
  {
    flag: option('group-concurrency', '<n>', 'at most <n> tasks of one group running at once'),
    patch: (v) => ({
      groupConcurrency: capOf('group-concurrency', 'clear-group-concurrency', v),
    }),
  },
  {
    flag: toggle('clear-group-concurrency', 'no cap per group'),
    patch: () => ({ groupConcurrency: null }),
  },
];

/** The settings change the flags ask for; undefined when they ask for none. */
export function queuePatch(flags: CommandInput['flags']): QueueSettingsPatch | undefined {
  const patch: QueueSettingsPatch = {};
  const setBy = new Map<string, string>();
  for (const { flag, patch: patchOf } of SETTING_FLAGS) {
    const value = flags[flag.name];
    if (value === undefined || value === false) continue;
    for (const [field, v] of Object.entries(patchOf(value))) {
      const other = setBy.get(field);
      if (other !== undefined)
        throw new UsageError(`--${other} and --${flag.name} cannot be used together`);
      setBy.set(field, flag.name);
      (patch as Record<string, unknown>)[field] = v;
    }
  }
  return setBy.size > 0 ? patch : undefined;
}

/**
 * `shepherd queues [<type>] [setting flags]`: the per-type queue settings through the
 * coordination service, as GET/PUT /queues do over REST.
 */
export const queuesCommand: Command = {
  name: 'queues',
  summary: 'list the queues, show one, or pause, resume or limit a task type',
  synopsis:
    'shepherd queues [<type> [--pause | --resume] [--concurrency <n>] [--rate-limit <max>/<ms>]] [flags]',
  description: [
    'Without <type>: every queue (a type with settings or served by a live worker), one JSON',
    'line each: type, paused, concurrency, rateLimit, groupConcurrency, and workers (the live',
    'workers serving it). With <type>: that queue as JSON. With setting flags: changes just',
    'those settings (the others stay) and prints the queue with its new settings.',
    '',
    '  shepherd queues',
    '  shepherd queues resize --concurrency 4 --rate-limit 100/1000',
    '  shepherd queues resize --pause',
    '  shepherd queues report --group-concurrency 1',
  ].join('\n'),
  flags: [...SETTING_FLAGS.map((s) => s.flag), ...CLIENT_FLAGS],
  maxPositionals: 1,
  run: async (input) => {
    const { flags, positionals } = input;
    const [type] = positionals;
    const patch = queuePatch(flags);
    if (patch !== undefined && type === undefined)
      throw new UsageError(
        'missing <type>: shepherd queues <type> --pause (settings are per type)',
      );
    const print = printerOf(input);
    return withTaskQueueClient(flags, async (client) => {
      if (type === undefined) printJsonLines(print, await client.queues());
      else if (patch === undefined) printJson(print, await refusedAsUsage(client.queue(type)));
      else printJson(print, await refusedAsUsage(client.setQueue(type, patch)));
      return 0;
    });
  },
};
