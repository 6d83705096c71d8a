import { runMaster } from '../../../master/src/run-master';
import { CONNECTION_FLAGS, Command } from '../command';

/** `shepherd master`: one master candidate; the elected one assigns, the others stand by. */
export const masterCommand: Command = {
  name: 'master',
  summary: 'a master candidate: elected leader assigns tasks, the others stand by',
  synopsis: 'shepherd master [flags]',
  description: [
    'Joins the master election at ZK_CONNECT. The leader assigns queued tasks to workers and',
    "recovers a lost worker's tasks; a standby takes over within the session timeout when the",
    'leader dies. Run two or more. SIGTERM or Ctrl-C resigns and exits.',
  ].join('\n'),
  flags: [
    {
      name: 'id',
      type: 'string',
      env: 'MASTER_ID',
      value: '<id>',
      help: 'master id (default <host>-<pid>)',
    },
    ...CONNECTION_FLAGS,
  ],
  maxPositionals: 0,
  run: () => {
    runMaster();
    return Promise.resolve(undefined);
  },
};
