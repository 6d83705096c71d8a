import { ZkServer } from '@shepherd/zk-server';
import { describeTaskQueueScenarios } from './scenarios';

// The fault scenarios against the embedded coordinator, every role in its own process.
jest.setTimeout(300000);

let server: ZkServer | undefined;

beforeAll(async () => {
  // tickTime 250: a 2 s session timeout (8 ticks) is within the server's [2, 20] tick bounds.
  server = new ZkServer({ port: 0, tickTime: 250 });
  await server.start();
});

afterAll(async () => {
  await server?.stop();
});

describeTaskQueueScenarios('the embedded coordinator', () => {
  if (!server) throw new Error('the embedded server did not start: see beforeAll');
  return { connectString: server.connectString, sessionTimeoutMs: 2000, backlog: 100_000 };
});
