import { ZkServer } from '@shepherd/zk-server';
import { startEmbeddedServer } from './embedded-server';
import { describeRecipesContract } from './recipes-contract';

// The recipe contract against the embedded server; test/interop runs it against ZooKeeper.
let server: ZkServer | undefined;

beforeAll(async () => {
  server = await startEmbeddedServer();
});

afterAll(async () => {
  await server?.stop();
});

describeRecipesContract('embedded zk-server', () => {
  if (!server?.address) throw new Error('the embedded server did not start: see beforeAll');
  return server.connectString;
});
