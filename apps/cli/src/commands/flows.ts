import { readFileSync } from 'node:fs';
import {
  FlowNotFoundError,
  FlowView,
  TaskQueueClient,
  WaitTimeoutError,
} from '@shepherd/taskqueue';
import { Command, CommandInput } from '../command';
import { UsageError } from '../usage-error';
import { EXIT_NOT_DONE } from './submit';
import {
  CLIENT_FLAGS,
  Print,
  integerFlag,
  option,
  printJson,
  printerOf,
  refusedAsUsage,
  toggle,
  withTaskQueueClient,
} from './task-queue-session';

/** The longest a timer can wait (2^31 - 1 ms, some 24 days): "no limit". */
const LONGEST_WAIT_MS = 2 ** 31 - 1;

const VERBS = ['show', 'submit', 'cancel'] as const;
type Verb = (typeof VERBS)[number];

const USAGE: Record<Verb, string> = {
  show: 'shepherd flows [show] <flow-id>',
  submit: 'shepherd flows submit <spec-json | @file> [--wait]',
  cancel: 'shepherd flows cancel <flow-id> [--reason <text>]',
};

const iso = (ms: number): string => new Date(ms).toISOString();

/** A flow with its times as ISO 8601, as GET /flows/<id> answers it. */
export function printableFlow(view: FlowView): Record<string, unknown> {
  return {
    ...view,
    createdAt: iso(view.createdAt),
    ...(view.cancelled && {
      cancelled: { ...view.cancelled, at: iso(view.cancelled.at) },
    }),
  };
}

/** The flow spec argument: JSON, or @file holding JSON; a UsageError that says what is wrong. */
export function flowSpecArgument(text: string | undefined): unknown {
  if (text === undefined) throw new UsageError(`missing the flow: ${USAGE.submit}`);
  let json = text;
  if (text.startsWith('@')) {
    try {
      json = readFileSync(text.slice(1), 'utf8');
    } catch (err) {
      throw new UsageError(`cannot read ${text.slice(1)}: ${(err as Error).message}`);
    }
  }
  try {
    return JSON.parse(json) as unknown;
  } catch (err) {
    throw new UsageError(`the flow is not JSON: ${(err as Error).message}`);
  }
}

/** The verb and its one argument; a UsageError for a count or a flag the verb does not take. */
export function parseFlowsLine(
  positionals: readonly string[],
  flags: CommandInput['flags'],
): { verb: Verb; arg: string } {
  const [first, ...rest] = positionals;
  if (first === undefined) throw new UsageError(`missing <flow-id>: ${USAGE.show}`);
  const named = (VERBS as readonly string[]).includes(first);
  const verb: Verb = named ? (first as Verb) : 'show';
  const args = named ? rest : [...positionals];
  if (args.length > 1) throw new UsageError(`unexpected argument "${args[1]}"`);
  if (args.length === 0)
    throw new UsageError(`missing ${verb === 'submit' ? 'the flow' : '<flow-id>'}: ${USAGE[verb]}`);
  if (verb !== 'submit' && (flags.wait !== undefined || flags['wait-ms'] !== undefined))
    throw new UsageError('--wait is for shepherd flows submit');
  if (verb !== 'cancel' && flags.reason !== undefined)
    throw new UsageError('--reason is for shepherd flows cancel');
  return { verb, arg: args[0] };
}

/** Waits until every task of the flow has ended (or the time is up), then reads it again. */
async function waitForFlow(client: TaskQueueClient, id: string, waitMs: number) {
  const flow = await client.getFlow(id);
  const until = Date.now() + waitMs;
  for (const task of flow.tasks) {
    const left = until - Date.now();
    if (left <= 0) throw new WaitTimeoutError(task.id, waitMs);
    await client.wait(task.id, Math.min(left, LONGEST_WAIT_MS));
  }
  return client.getFlow(id);
}

async function runVerb(
  client: TaskQueueClient,
  verb: Verb,
  arg: string,
  flags: CommandInput['flags'],
  print: Print,
): Promise<number> {
  const show = (view: FlowView): void => printJson(print, printableFlow(view));
  const found = <T>(work: Promise<T>): Promise<T> =>
    refusedAsUsage(work).catch((err: unknown) => {
      throw err instanceof FlowNotFoundError ? new UsageError(err.message) : err;
    });
  switch (verb) {
    case 'show':
      show(await found(client.getFlow(arg)));
      return 0;
    case 'cancel':
      show(
        await found(
          client.cancelFlow(arg, typeof flags.reason === 'string' ? flags.reason : undefined),
        ),
      );
      return 0;
    case 'submit': {
      const created = await refusedAsUsage(
        client.submitFlow(flowSpecArgument(arg) as Parameters<TaskQueueClient['submitFlow']>[0]),
      );
      if (flags.wait !== true) {
        printJson(print, created);
        return 0;
      }
      const waitMs = integerFlag(flags, 'wait-ms') ?? LONGEST_WAIT_MS;
      try {
        const flow = await waitForFlow(client, created.id, waitMs);
        show(flow);
        return flow.state === 'done' ? 0 : EXIT_NOT_DONE;
      } catch (err) {
        if (!(err instanceof WaitTimeoutError)) throw err;
        show(await client.getFlow(created.id));
        return EXIT_NOT_DONE;
      }
    }
  }
}

/**
 * `shepherd flows submit|show|cancel`: DAGs of tasks through the coordination service (the
 * leading master releases each task once its dependencies are done), as /flows does over REST.
 */
export const flowsCommand: Command = {
  name: 'flows',
  summary: 'submit a flow (a DAG of tasks), show one, or cancel what has not ended',
  synopsis: 'shepherd flows [show|submit|cancel] <flow-id | spec> [flags]',
  description: [
    '  shepherd flows submit <spec-json | @file>   creates the flow; prints {id, tasks}',
    '  shepherd flows [show] <flow-id>             the flow and the state of each task',
    '  shepherd flows cancel <flow-id>             cancels every task not yet ended',
    '',
    'The spec is {tasks: [{key, type, payload?, dependsOn?: [keys], ...task options}],',
    'onDependencyFailure?: "cancel" | "run"}, as POST /flows takes it. With --wait, submit',
    'waits for every task to end and prints the flow; it exits 0 only when all are done.',
    '',
    `  shepherd flows submit '{"tasks":[{"key":"a","type":"echo","payload":1},{"key":"b","type":"join","dependsOn":["a"]}]}' --wait`,
    '  shepherd flows submit @flow.json',
  ].join('\n'),
  flags: [
    toggle('wait', 'submit: wait for every task to end and print the flow'),
    option('wait-ms', '<ms>', 'submit --wait: give up waiting after this long'),
    option('reason', '<text>', 'cancel: the reason, kept in each cancelled task'),
    ...CLIENT_FLAGS,
  ],
  maxPositionals: 2,
  run: async (input) => {
    const { verb, arg } = parseFlowsLine(input.positionals, input.flags);
    // Checked before connecting: a bad command line needs no coordination service.
    if (verb === 'submit') flowSpecArgument(arg);
    return withTaskQueueClient(input.flags, (client) =>
      runVerb(client, verb, arg, input.flags, printerOf(input)),
    );
  },
};
