import { ZkServer } from '@shepherd/zk-server';
import { describeTaskQueueTracing } from './tracing-cases';

// The trace of a task on the embedded coordinator (the same cases run on Apache ZooKeeper in
// the interop suite).
jest.setTimeout(120000);

let server: ZkServer | undefined;

beforeAll(async () => {
  server = new ZkServer({ port: 0 });
  await server.start();
});

afterAll(async () => {
  await server?.stop();
});

describeTaskQueueTracing('the embedded coordinator', () => {
  if (!server) throw new Error('the embedded server did not start: see beforeAll');
  return { connectString: server.connectString };
});
