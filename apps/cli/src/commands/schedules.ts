import { MissedPolicy, ScheduleSpec, ScheduleView, TaskQueueClient } from '@shepherd/taskqueue';
import { Command, CommandInput } from '../command';
import { UsageError } from '../usage-error';
import {
  CLIENT_FLAGS,
  TASK_OPTION_FLAGS,
  Print,
  integerFlag,
  option,
  parsePayload,
  printJson,
  printJsonLines,
  printerOf,
  refusedAsUsage,
  submitOptions,
  toggle,
  withTaskQueueClient,
} from './task-queue-session';

/** The flags only `schedules add` takes: its timing, its policy and its task's options. */
const ADD_FLAGS = [
  option('cron', '<expr>', 'fire on a cron expression: "0 3 * * *" (5 fields, or 6 with seconds)'),
  option('timezone', '<zone>', 'the IANA time zone of --cron (default UTC): Europe/Paris'),
  option('every', '<ms>', 'fire every <ms> milliseconds instead'),
  option('missed', 'skip|once', 'fire times missed while no master ran: skip (default) or once'),
  toggle('paused', 'create it paused (schedules resume <name> starts it)'),
  ...TASK_OPTION_FLAGS,
];

/** The verbs before a name; `schedules show <name>` shows a schedule named like one. */
const VERBS = ['show', 'add', 'pause', 'resume', 'remove'] as const;
type Verb = (typeof VERBS)[number];

const USAGE: Record<Verb | 'list', string> = {
  list: 'shepherd schedules',
  show: 'shepherd schedules [show] <name>',
  add: 'shepherd schedules add <name> <type> [payload-json] (--cron <expr> | --every <ms>)',
  pause: 'shepherd schedules pause <name>',
  resume: 'shepherd schedules resume <name>',
  remove: 'shepherd schedules remove <name>',
};

const iso = (ms: number): string => new Date(ms).toISOString();

/** A schedule with its times as ISO 8601, as GET /schedules/<name> answers it. */
export function printableSchedule(view: ScheduleView): Record<string, unknown> {
  return {
    ...view,
    createdAt: iso(view.createdAt),
    updatedAt: iso(view.updatedAt),
    ...(view.lastFireAt !== undefined && { lastFireAt: iso(view.lastFireAt) }),
    nextFireTimes: view.nextFireTimes.map(iso),
    lastTasks: view.lastTasks.map((t) => ({ id: t.id, scheduledFor: iso(t.scheduledFor) })),
  };
}

/** The schedule `schedules add` asks for, from its arguments and flags (checked by the library). */
export function scheduleSpec(
  [name, type, payloadText]: readonly string[],
  flags: CommandInput['flags'],
): ScheduleSpec {
  if (name === undefined || type === undefined)
    throw new UsageError(`missing ${name === undefined ? '<name>' : '<type>'}: ${USAGE.add}`);
  const payload = parsePayload(payloadText);
  const every = integerFlag(flags, 'every');
  const cron = flags.cron;
  if (cron === undefined && every === undefined)
    throw new UsageError('give --cron <expr> or --every <ms>: when the schedule fires');
  if (cron !== undefined && every !== undefined)
    throw new UsageError('--cron and --every cannot be used together');
  const spec: ScheduleSpec = { name, task: { type, payload, ...submitOptions(flags) } };
  if (typeof cron === 'string') spec.cron = cron;
  if (every !== undefined) spec.every = every;
  if (typeof flags.timezone === 'string') spec.timezone = flags.timezone;
  if (typeof flags.missed === 'string') spec.missed = flags.missed as MissedPolicy;
  if (flags.paused === true) spec.paused = true;
  return spec;
}

/** Runs one verb against the queue; resolves with the exit code. */
async function runVerb(
  client: TaskQueueClient,
  verb: Verb | 'list',
  args: readonly string[],
  flags: CommandInput['flags'],
  print: Print,
): Promise<number> {
  const show = (view: ScheduleView): void => printJson(print, printableSchedule(view));
  const [name] = args;
  switch (verb) {
    case 'list':
      printJsonLines(print, (await client.schedules()).map(printableSchedule));
      return 0;
    case 'show':
      show(await refusedAsUsage(client.schedule(name)));
      return 0;
    case 'add':
      show(await refusedAsUsage(client.createSchedule(scheduleSpec(args, flags))));
      return 0;
    case 'pause':
      show(await refusedAsUsage(client.pauseSchedule(name)));
      return 0;
    case 'resume':
      show(await refusedAsUsage(client.resumeSchedule(name)));
      return 0;
    case 'remove':
      await refusedAsUsage(client.deleteSchedule(name));
      return 0;
  }
}

/** The verb and its arguments; a UsageError for a count or a flag the verb does not take. */
export function parseSchedulesLine(
  positionals: readonly string[],
  flags: CommandInput['flags'],
): { verb: Verb | 'list'; args: string[] } {
  const [first, ...rest] = positionals;
  let verb: Verb | 'list';
  let args: string[];
  if (first === undefined) [verb, args] = ['list', []];
  else if ((VERBS as readonly string[]).includes(first)) [verb, args] = [first as Verb, rest];
  else [verb, args] = ['show', [...positionals]];
  const most = verb === 'add' ? 3 : verb === 'list' ? 0 : 1;
  if (args.length > most) throw new UsageError(`unexpected argument "${args[most]}"`);
  if (verb !== 'list' && verb !== 'add' && args.length === 0)
    throw new UsageError(`missing <name>: ${USAGE[verb]}`);
  if (verb !== 'add') {
    const addOnly = ADD_FLAGS.find((f) => flags[f.name] !== undefined);
    if (addOnly) throw new UsageError(`--${addOnly.name} is for shepherd schedules add`);
  }
  return { verb, args };
}

/**
 * `shepherd schedules [verb] [<name>]`: cron and fixed-interval schedules through the
 * coordination service (the leading master fires them), as /schedules does over REST.
 */
export const schedulesCommand: Command = {
  name: 'schedules',
  summary: 'list, show, add, pause, resume or remove the schedules (cron or every <ms>)',
  synopsis: 'shepherd schedules [show|add|pause|resume|remove] [<name>] [args] [flags]',
  description: [
    '  shepherd schedules                  every schedule, one JSON line each',
    '  shepherd schedules [show] <name>    one schedule, with its next fire times',
    '  shepherd schedules add <name> <type> [payload-json] (--cron <expr> | --every <ms>)',
    '                                      creates one (and prints it)',
    '  shepherd schedules pause <name>     stops firing it',
    '  shepherd schedules resume <name>    fires it again, from now on',
    '  shepherd schedules remove <name>    deletes it (the tasks it made stay)',
    '',
    'The task a schedule submits is given as to shepherd submit: <type>, the JSON payload',
    '(default null) and the task flags. show, add, pause and resume print the schedule as JSON',
    '(times in ISO 8601, UTC); remove prints nothing. A schedule named like a verb: show <name>.',
    '',
    `  shepherd schedules add nightly report '{"scope":"all"}' --cron "0 3 * * *" --timezone Europe/Paris`,
    '  shepherd schedules add heartbeat ping --every 60000 --missed once',
  ].join('\n'),
  flags: [...ADD_FLAGS, ...CLIENT_FLAGS],
  maxPositionals: 4,
  run: async (input) => {
    const { verb, args } = parseSchedulesLine(input.positionals, input.flags);
    // Checked before connecting: a bad command line needs no coordination service.
    if (verb === 'add') scheduleSpec(args, input.flags);
    return withTaskQueueClient(input.flags, (client) =>
      runVerb(client, verb, args, input.flags, printerOf(input)),
    );
  },
};
