import { ZooKeeperClient } from '@shepherd/zk-client';
import { CreateMode } from '@shepherd/zk-protocol';
import { ZkServer } from '@shepherd/zk-server';
import { connect } from 'node:net';

/** Sends `word` (optionally byte by byte) and reads to EOF, as `printf word | nc` does. */
function ask(port: number, word: string, oneByteAtATime = false): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = connect({ host: '127.0.0.1', port }, () => {
      if (!oneByteAtATime) return socket.write(word);
      let i = 0;
      const next = (): void => {
        if (i < word.length) socket.write(word[i++], () => setTimeout(next, 5));
      };
      next();
    });
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
    socket.on('error', reject);
  });
}

describe('four-letter words over a socket', () => {
  let server: ZkServer;
  let port: number;
  let zk: ZooKeeperClient;

  beforeEach(async () => {
    server = new ZkServer({ port: 0, fourLetterWordWhitelist: '*' });
    port = (await server.start()).port;
    zk = new ZooKeeperClient(server.connectString, { sessionTimeout: 20000 });
    await zk.connect();
  });

  afterEach(async () => {
    await zk.close();
    await server.stop();
  });

  it('ruok answers imok and closes, also when the word arrives byte by byte', async () => {
    expect(await ask(port, 'ruok')).toBe('imok');
    expect(await ask(port, 'ruok', true)).toBe('imok');
  });

  it('srvr reports the version, standalone mode and the zxid in hex', async () => {
    await zk.create('/a', 'x');
    const out = await ask(port, 'srvr');
    expect(out).toMatch(/^Zookeeper version: 3\.8\.0-shepherd-[^,]+, built on .+\n/);
    expect(out).toContain('Mode: standalone\n');
    expect(out).toMatch(/^Zxid: 0x[0-9a-f]+$/m);
    expect(out).toMatch(/^Latency min\/avg\/max: \d+\/\d+\.\d+\/\d+$/m);
    expect(out).toMatch(/^Node count: \d+$/m);
    const lines = out
      .trimEnd()
      .split('\n')
      .map((l) => l.split(':')[0]);
    expect(lines).toEqual([
      'Zookeeper version',
      'Latency min/avg/max',
      'Received',
      'Sent',
      'Connections',
      'Outstanding',
      'Zxid',
      'Mode',
      'Node count',
    ]);
  });

  it('mntr prints tab separated key/value lines with live counters', async () => {
    await zk.create('/e', 'data', { mode: CreateMode.EPHEMERAL });
    await zk.exists('/e', () => undefined);
    const out = await ask(port, 'mntr');
    const kv = new Map(
      out
        .trimEnd()
        .split('\n')
        .map((l) => l.split('\t') as [string, string]),
    );
    expect(
      out
        .trimEnd()
        .split('\n')
        .every((l) => /^zk_[a-z_]+\t\S/.test(l)),
    ).toBe(true);
    expect(kv.get('zk_server_state')).toBe('standalone');
    expect(kv.get('zk_version')).toMatch(/^3\.8\.0-shepherd-/);
    expect(kv.get('zk_ephemerals_count')).toBe('1');
    expect(kv.get('zk_watch_count')).toBe('1');
    expect(Number(kv.get('zk_packets_received'))).toBeGreaterThanOrEqual(3);
    expect(Number(kv.get('zk_packets_sent'))).toBeGreaterThanOrEqual(3);
    expect(kv.get('zk_avg_latency')).toMatch(/^\d+\.\d+$/);
    for (const key of ['zk_min_latency', 'zk_max_latency', 'zk_znode_count']) {
      expect(kv.get(key)).toMatch(/^\d+$/);
    }
    expect(Number(kv.get('zk_approximate_data_size'))).toBeGreaterThan(0);
    expect(kv.get('zk_num_alive_connections')).toBe('2');
  });

  it('cons lists the client session with its statistics, stat lists clients briefly', async () => {
    await zk.getData('/', () => undefined);
    const sid = zk.sessionId.toString(16);
    const cons = await ask(port, 'cons');
    const line = cons.split('\n').find((l) => l.includes(`sid=0x${sid}`));
    expect(line).toMatch(
      /^ \/127\.0\.0\.1:\d+\[1\]\(queued=0,recved=\d+,sent=\d+,sid=0x[0-9a-f]+,lop=GETD,est=\d+,to=\d+,lcxid=0x[0-9a-f]+,lzxid=0x[0-9a-f]+,lresp=\d+,llat=\d+,minlat=\d+,avglat=\d+,maxlat=\d+\)$/,
    );
    // The connection asking is listed too, without a session (as in ZooKeeper).
    expect(cons).toMatch(/^ \/127\.0\.0\.1:\d+\[0\]\(queued=0,recved=1,sent=0\)$/m);
    expect(cons.endsWith(')\n\n')).toBe(true);
    const stat = await ask(port, 'stat');
    expect(stat).toMatch(
      /\nClients:\n( \/127\.0\.0\.1:\d+\[[01]\]\(queued=\d+,recved=\d+,sent=\d+\)\n)+\n/,
    );
  });

  it('wchs, wchc and wchp report data watches by session and by path', async () => {
    await zk.create('/w', 'x');
    await zk.getData('/w', () => undefined);
    await zk.exists('/missing', () => undefined);
    const sid = `0x${zk.sessionId.toString(16)}`;
    expect(await ask(port, 'wchs')).toBe('1 connections watching 2 paths\nTotal watches:2\n');
    expect(await ask(port, 'wchc')).toBe(`${sid}\n\t/w\n\t/missing\n\n`);
    expect(await ask(port, 'wchp')).toBe(`/w\n\t${sid}\n/missing\n\t${sid}\n\n`);
  });

  it('conf, envi, isro, crst and srst', async () => {
    const conf = await ask(port, 'conf');
    expect(conf).toContain(`clientPort=${port}\n`);
    expect(conf).toContain('tickTime=2000\n');
    expect(
      conf
        .trimEnd()
        .split('\n')
        .map((l) => l.split('=')[0]),
    ).toEqual([
      'clientPort',
      'secureClientPort',
      'dataDir',
      'dataDirSize',
      'dataLogDir',
      'dataLogSize',
      'tickTime',
      'maxClientCnxns',
      'minSessionTimeout',
      'maxSessionTimeout',
      'clientPortListenBacklog',
      'serverId',
    ]);
    const envi = await ask(port, 'envi');
    expect(envi).toMatch(/^Environment:\nzookeeper\.version=3\.8\.0-shepherd-/);
    expect(envi).toMatch(/^host\.name=.+$/m);
    expect(await ask(port, 'isro')).toBe('rw');
    expect(await ask(port, 'crst')).toBe('Connection stats reset.\n');
    expect(await ask(port, 'srst')).toBe('Server stats reset.\n');
    expect(await ask(port, 'srvr')).toMatch(/^Received: 1$/m);
  });

  it('a normal client still connects after four-letter words', async () => {
    await ask(port, 'ruok');
    expect(await zk.exists('/')).not.toBeNull();
  });
});

describe('four-letter word whitelist', () => {
  it("answers only srvr by default, and refuses the rest with ZooKeeper's text", async () => {
    const server = new ZkServer({ port: 0 });
    const { port } = await server.start();
    try {
      expect(await ask(port, 'ruok')).toBe(
        'ruok is not executed because it is not in the whitelist.\n',
      );
      expect(await ask(port, 'srvr')).toContain('Mode: standalone');
    } finally {
      await server.stop();
    }
  });

  it('honours an explicit list (srvr always included)', async () => {
    const server = new ZkServer({ port: 0, fourLetterWordWhitelist: ['ruok', ' mntr '] });
    const { port } = await server.start();
    try {
      expect(await ask(port, 'ruok')).toBe('imok');
      expect(await ask(port, 'mntr')).toContain('zk_server_state\tstandalone\n');
      expect(await ask(port, 'srvr')).toContain('Mode: standalone');
      expect(await ask(port, 'cons')).toBe(
        'cons is not executed because it is not in the whitelist.\n',
      );
    } finally {
      await server.stop();
    }
  });
});
