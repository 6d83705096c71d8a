import { Command } from '../command';
import { clientCommand } from './client';
import { coordinatorCommand } from './coordinator';
import { flowsCommand } from './flows';
import { masterCommand } from './master';
import { queuesCommand } from './queues';
import { schedulesCommand } from './schedules';
import { submitCommand } from './submit';
import { upCommand } from './up';
import { workerCommand } from './worker';

/** Every subcommand of `shepherd`, in the order --help lists them. */
export const COMMANDS: readonly Command[] = [
  upCommand,
  coordinatorCommand,
  masterCommand,
  workerCommand,
  clientCommand,
  submitCommand,
  queuesCommand,
  schedulesCommand,
  flowsCommand,
];
