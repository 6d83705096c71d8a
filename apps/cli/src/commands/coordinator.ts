import { runCoordinatorMain } from '../../../coordinator/src/coordinator-main';
import { USAGE } from '../../../coordinator/src/config/usage';
import { Command } from '../command';

/**
 * `shepherd coordinator [zoo.cfg]`: the embedded coordinator. Its flags are zoo.cfg keys
 * (`--clientPort 2181`), parsed by the coordinator itself, so they pass through untouched.
 */
export const coordinatorCommand: Command = {
  name: 'coordinator',
  summary: 'the embedded, ZooKeeper-compatible coordinator (zoo.cfg like Apache ZooKeeper)',
  synopsis: USAGE.split('\n')[0].replace(/^Usage: /, ''),
  description: USAGE.split('\n').slice(2).join('\n').trimEnd(),
  flags: [],
  maxPositionals: 1,
  run: async ({ positionals }) => {
    await runCoordinatorMain(positionals);
    return undefined;
  },
};
