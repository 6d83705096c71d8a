import { runUp } from '../../../up/src/run-up';
import { CONNECTION_FLAGS, Command, stringFlag as flag } from '../command';

/** `shepherd up`: the whole cluster on this machine, as child processes with one log stream. */
export const upCommand: Command = {
  name: 'up',
  summary: 'a local cluster: coordinator, masters, workers, REST API and dashboard',
  synopsis: 'shepherd up [flags]',
  description: [
    'Starts the embedded coordinator, the masters, the workers and the client app (REST API and',
    'dashboard) as child processes of this one, their logs in one stream, and prints where',
    'everything is. The workers run the handlers of --handlers <module>, or the samples (echo,',
    'sleep, sha256, fail, join) when none is given. Ctrl-C stops everything in order.',
  ].join('\n'),
  flags: [
    flag('workers', 'WORKERS', '<n>', 'worker processes, 0-64 (default 3)'),
    flag('masters', 'MASTERS', '<n>', 'master processes, 1-16 (default 2)'),
    flag('port', 'PORT', '<port>', 'REST API and dashboard port (default 3000)'),
    flag('zk-port', 'ZK_PORT', '<port>', 'the coordinator client port (default 2181)'),
    flag('data-dir', 'DATA_DIR', '<dir>', "the coordinator's data directory (default ./data)"),
    flag('handlers', 'WORKER_HANDLERS', '<module>', 'the module whose exports are the handlers'),
    {
      name: 'samples',
      type: 'boolean',
      env: 'WORKER_SAMPLES',
      help: 'also serve the sample handlers (the default without --handlers)',
    },
    flag('api-token', 'API_TOKEN', '<token>', 'require Authorization: Bearer <token> on the API'),
    {
      name: 'tls',
      type: 'boolean',
      env: 'ZK_TLS',
      help: 'everything over TLS to the coordinator, with a throwaway CA made at start',
    },
    {
      name: 'otel',
      type: 'boolean',
      env: 'SHEPHERD_OTEL',
      help:
        'every app exports traces and metrics over OTLP, to OTEL_EXPORTER_OTLP_ENDPOINT ' +
        '(default http://localhost:4318)',
    },
    // The cluster makes its own connection settings: no connect string, no TLS files.
    ...CONNECTION_FLAGS.filter((f) => f.name !== 'zk-connect' && !f.name.startsWith('zk-tls-')),
  ],
  maxPositionals: 0,
  run: async () => {
    await runUp();
    return undefined;
  },
};
