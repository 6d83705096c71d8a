import { runClient } from '../../../client/src/run-client';
import { CONNECTION_FLAGS, Command } from '../command';

/** `shepherd client`: the REST API, server-sent events, metrics and the dashboard. */
export const clientCommand: Command = {
  name: 'client',
  summary: 'the REST API, live events, metrics, OpenAPI docs and the dashboard',
  synopsis: 'shepherd client [flags]',
  description: [
    'Serves the REST API (POST /tasks, GET /tasks/:id, ...), /events, /stats, /metrics, /health,',
    'the OpenAPI docs at /docs and the dashboard at / for the queue at ZK_CONNECT.',
  ].join('\n'),
  flags: [
    {
      name: 'port',
      type: 'string',
      env: 'PORT',
      value: '<port>',
      help: 'HTTP port (default 3000)',
    },
    {
      name: 'api-token',
      type: 'string',
      env: 'API_TOKEN',
      value: '<token>',
      help: 'require Authorization: Bearer <token> (all but /health)',
    },
    ...CONNECTION_FLAGS,
  ],
  maxPositionals: 0,
  run: () => {
    runClient();
    return Promise.resolve(undefined);
  },
};
