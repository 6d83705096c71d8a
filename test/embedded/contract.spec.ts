import { ZkServer } from '@shepherd/zk-server';
import { describeClientContract } from '../contract/client-contract';

// The embedded server (libs/zk-server) as a contract target: on a free loopback port, with
// a short tick so expiry-related cases run fast, TTL nodes enabled and a fast container reaper.
const REAP_INTERVAL_MS = 200;

let server: ZkServer | undefined;

beforeAll(async () => {
  server = new ZkServer({
    port: 0,
    tickTime: 200,
    extendedTypesEnabled: true,
    containerCheckIntervalMs: REAP_INTERVAL_MS,
  });
  await server.start();
});

afterAll(async () => {
  await server?.stop();
});

describeClientContract('embedded zk-server', () => {
  if (!server?.address) throw new Error('the embedded server did not start: see beforeAll');
  return {
    connectString: server.connectString,
    features: { ttl: true, reaping: true, reapIntervalMs: REAP_INTERVAL_MS },
  };
});
