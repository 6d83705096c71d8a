import { ZkServer } from '@shepherd/zk-server';

/**
 * The embedded server as the recipes' target: a free loopback port, a short tick so sessions
 * expire fast (timeouts between 0.4 and 4 s), and every four-letter word (wchp shows watches).
 */
export async function startEmbeddedServer(port = 0): Promise<ZkServer> {
  const server = new ZkServer({ port, tickTime: 200, fourLetterWordWhitelist: '*' });
  await server.start();
  return server;
}
