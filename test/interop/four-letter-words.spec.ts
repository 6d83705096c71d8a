import { ZooKeeperClient } from '@shepherd/zk-client';
import { ZkServer } from '@shepherd/zk-server';
import { ZkCluster, fourLetterWord, startStandalone } from '../support/zk-harness';

/**
 * The four-letter words of the embedded server against Apache ZooKeeper 3.8 (Debian's package):
 * the same keys and line shapes, values aside, so scripts written for ZooKeeper parse both.
 */

interface Side {
  port: number;
  zk: ZooKeeperClient;
}

/** Digits, hex session ids and addresses vary between servers; the shape must not. */
function shape(text: string): string {
  return text
    .replace(/0x[0-9a-f]+/g, '0x#')
    .replace(/\/127\.0\.0\.1:\d+/g, '/ip:#')
    .replace(/-?\d+(\.\d+)?/g, '#');
}

function keys(text: string, sep: string): string[] {
  return text
    .trimEnd()
    .split('\n')
    .map((l) => l.split(sep)[0]);
}

let cluster: ZkCluster | undefined;
let server: ZkServer | undefined;
let apache: Side;
let ours: Side;

async function prepare(connectString: string, port: number): Promise<Side> {
  const zk = new ZooKeeperClient(connectString, { sessionTimeout: 20000 });
  await zk.connect();
  await zk.create('/flw', 'x');
  await zk.getData('/flw', () => undefined);
  await zk.exists('/flw-missing', () => undefined);
  await zk.getChildren('/', () => undefined);
  return { port, zk };
}

async function both(word: string): Promise<[string, string]> {
  return [await fourLetterWord(apache.port, word), await fourLetterWord(ours.port, word)];
}

beforeAll(async () => {
  cluster = await startStandalone();
  server = new ZkServer({ port: 0, fourLetterWordWhitelist: '*' });
  const { port } = await server.start();
  apache = await prepare(cluster.connectString, cluster.servers[0].clientPort);
  ours = await prepare(server.connectString, port);
});

afterAll(async () => {
  await apache?.zk.close();
  await ours?.zk.close();
  await server?.stop();
  await cluster?.stop();
});

describe('four-letter words: embedded server vs Apache ZooKeeper', () => {
  it('ruok and isro answer the same', async () => {
    expect(await both('ruok')).toEqual(['imok', 'imok']);
    expect(await both('isro')).toEqual(['rw', 'rw']);
  });

  it('srvr has the same lines in the same order', async () => {
    const [a, o] = await both('srvr');
    expect(keys(o, ':')).toEqual(keys(a, ':'));
    expect(o).toMatch(/^Zookeeper version: 3\.8\.0-/);
  });

  it('stat lists clients with the same shape', async () => {
    const [a, o] = await both('stat');
    expect(keys(o, ':').filter((k) => !k.startsWith(' '))).toEqual(
      keys(a, ':').filter((k) => !k.startsWith(' ')),
    );
    const clientLines = (t: string) =>
      new Set(
        t
          .split('\n')
          .filter((l) => l.startsWith(' /'))
          .map(shape),
      );
    expect(clientLines(o)).toEqual(clientLines(a));
  });

  it('cons shows a session with the same fields', async () => {
    const [a, o] = await both('cons');
    const sessionLine = (t: string, sid: bigint) =>
      shape(t.split('\n').find((l) => l.includes(`sid=0x${sid.toString(16)}`)) ?? '');
    // lop differs only by the last operation each side saw; both did getChildren last.
    expect(sessionLine(o, ours.zk.sessionId)).toBe(sessionLine(a, apache.zk.sessionId));
    expect(o.endsWith('\n\n')).toBe(a.endsWith('\n\n'));
  });

  it('mntr keys are ZooKeeper keys, in ZooKeeper order, with the monitoring essentials', async () => {
    const [a, o] = await both('mntr');
    const apacheKeys = keys(a, '\t');
    const ourKeys = keys(o, '\t');
    expect(ourKeys.filter((k) => !apacheKeys.includes(k))).toEqual([]);
    expect(apacheKeys.filter((k) => ourKeys.includes(k))).toEqual(ourKeys);
    expect(ourKeys.slice(0, 2)).toEqual(['zk_version', 'zk_server_state']);
    for (const key of [
      'zk_avg_latency',
      'zk_max_latency',
      'zk_min_latency',
      'zk_packets_received',
      'zk_packets_sent',
      'zk_num_alive_connections',
      'zk_outstanding_requests',
      'zk_znode_count',
      'zk_watch_count',
      'zk_ephemerals_count',
      'zk_approximate_data_size',
      'zk_open_file_descriptor_count',
      'zk_max_file_descriptor_count',
      'zk_uptime',
      'zk_global_sessions',
    ]) {
      expect(ourKeys).toContain(key);
    }
    expect(
      o
        .trimEnd()
        .split('\n')
        .every((l) => l.split('\t').length === 2),
    ).toBe(true);
  });

  it('wchs, wchc and wchp match once session ids are masked', async () => {
    expect(shape((await both('wchs'))[1])).toBe(shape((await both('wchs'))[0]));
    // ZooKeeper lists from HashMaps/HashSets: the order is not part of the format.
    const lines = (t: string) => shape(t).split('\n').sort();
    for (const word of ['wchc', 'wchp']) {
      const [a, o] = await both(word);
      expect(lines(o)).toEqual(lines(a));
    }
  });

  it('conf has the same keys; envi shares ZooKeeper keys except the JVM ones', async () => {
    const [a, o] = await both('conf');
    expect(keys(o, '=')).toEqual(keys(a, '='));
    const [ae, oe] = await both('envi');
    const apacheEnv = keys(ae, '=');
    const ourEnv = keys(oe, '=').filter((k) => !k.startsWith('node.'));
    expect(ourEnv.filter((k) => !apacheEnv.includes(k))).toEqual([]);
  });

  it('crst and srst answer the same text', async () => {
    expect(await both('crst')).toEqual(['Connection stats reset.\n', 'Connection stats reset.\n']);
    expect(await both('srst')).toEqual(['Server stats reset.\n', 'Server stats reset.\n']);
  });
});
