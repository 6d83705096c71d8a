import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ConnectionStats,
  FOUR_LETTER_VERSION,
  FourLetterCnxn,
  FourLetterCommands,
  FourLetterContext,
  SHEPHERD_VERSION,
  ServerStats,
  averageOf,
  formatConf,
  formatCons,
  formatMntr,
  formatStat,
  formatWchc,
  formatWchp,
  formatWchs,
  javaDouble,
  javaHex,
} from '@shepherd/zk-server';

function cnxn(sessionId: bigint, stats: ConnectionStats, interestOps = 1): FourLetterCnxn {
  return { remoteSocketAddress: '/127.0.0.1:5000', sessionId, timeout: 30000, interestOps, stats };
}

function context(over: Partial<FourLetterContext> = {}): FourLetterContext {
  const stats = new ServerStats();
  return {
    version: FOUR_LETTER_VERSION,
    serving: true,
    stats,
    connections: () => [],
    lastZxid: 0x2an,
    nodeCount: 4,
    approximateDataSize: () => 44,
    ephemeralsCount: 1,
    watchCount: 3,
    globalSessions: 2,
    watchSummary: () => ({ numConnections: 1, numPaths: 2, totalWatches: 2 }),
    watchesBySession: () => [[0x1000n, ['/a', '/b']]],
    watchesByPath: () => [
      ['/a', [0x1000n]],
      ['/b', [0x1000n, 0x2000n]],
    ],
    conf: {
      clientPort: 2181,
      dataDir: '/var/lib/zookeeper',
      dataDirSize: 10,
      dataLogDir: '/var/lib/zookeeper',
      dataLogSize: 10,
      tickTime: 2000,
      maxClientCnxns: 60,
      minSessionTimeout: 4000,
      maxSessionTimeout: 40000,
    },
    fileDescriptors: () => ({ open: 30, max: 1024 }),
    ...over,
  };
}

/** A request frame body: RequestHeader xid, type. */
function request(xid: number, type: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeInt32BE(xid, 0);
  b.writeInt32BE(type, 4);
  return b;
}

/** A framed reply: length, xid, zxid, err. */
function reply(xid: number, zxid: bigint): Buffer {
  const b = Buffer.alloc(20);
  b.writeInt32BE(16, 0);
  b.writeInt32BE(xid, 4);
  b.writeBigInt64BE(zxid, 8);
  return b;
}

describe('Java number formats', () => {
  it('prints doubles, averages and hex like Java', () => {
    expect(javaDouble(0)).toBe('0.0');
    expect(javaDouble(6.4)).toBe('6.4');
    expect(averageOf(0, 0)).toBe(0);
    expect(averageOf(4, 3)).toBe(1.3333);
    expect(javaHex(-1n)).toBe('ffffffffffffffff');
    expect(javaHex(0x10000516c360000n)).toBe('10000516c360000');
  });

  it('keeps the version in the package and in ZooKeeper shape', () => {
    const pkg = JSON.parse(readFileSync(join(__dirname, '../../../../package.json'), 'utf8'));
    expect(SHEPHERD_VERSION).toBe(pkg.version);
    expect(FOUR_LETTER_VERSION).toMatch(/^3\.8\.0-shepherd-\S+, built on /);
  });
});

describe('srvr / stat / cons', () => {
  it('srvr follows ServerStats.toString', () => {
    expect(formatStat(context(), false)).toBe(
      `Zookeeper version: ${FOUR_LETTER_VERSION}\n` +
        'Latency min/avg/max: 0/0.0/0\n' +
        'Received: 0\nSent: 0\nConnections: 0\nOutstanding: 0\n' +
        'Zxid: 0x2a\nMode: standalone\nNode count: 4\n',
    );
  });

  it('stat lists the clients briefly, cons fully; both end with an empty line', () => {
    const server = new ServerStats();
    const s = new ConnectionStats(server);
    s.connectReceived();
    s.frameSent(Buffer.alloc(40));
    s.requestReceived(request(1, 4 /* getData */));
    s.frameSent(reply(1, 0x5n));
    s.requestReceived(request(2, 3 /* exists */));
    const idle = new ConnectionStats(server);
    idle.packetReceived();
    const ctx = context({ stats: server, connections: () => [cnxn(0xabcn, s), cnxn(0n, idle, 0)] });
    expect(formatStat(ctx, true)).toContain(
      'Clients:\n /127.0.0.1:5000[1](queued=1,recved=3,sent=2)\n' +
        ' /127.0.0.1:5000[0](queued=0,recved=1,sent=0)\n\nLatency',
    );
    expect(formatStat(ctx, true)).toContain('Outstanding: 1\n');
    const cons = formatCons(ctx);
    expect(cons).toMatch(
      new RegExp(
        '^ /127\\.0\\.0\\.1:5000\\[1\\]\\(queued=1,recved=3,sent=2,sid=0xabc,lop=GETD,' +
          `est=${s.established},to=30000,lcxid=0x1,lzxid=0x5,lresp=\\d+,llat=\\d+,` +
          'minlat=\\d+,avglat=\\d+,maxlat=\\d+\\)\n /127\\.0\\.0\\.1:5000\\[0\\]\\(queued=0,recved=1,sent=0\\)\n\n$',
      ),
    );
    expect(server.packetsReceived).toBe(4);
    expect(server.packetsSent).toBe(2);
  });

  it('a connection without a reply yet shows lzxid -1 and no lcxid (resetStats values)', () => {
    const s = new ConnectionStats(new ServerStats());
    s.requestReceived(request(7, 11 /* ping */));
    s.reset();
    expect(s.describeSession(1n, 10)).toMatch(/,lop=NA,.*,lzxid=0xffffffffffffffff,lresp=0,/);
    expect(s.describeSession(1n, 10)).not.toContain('lcxid');
  });

  it('grows the outstanding ring beyond its first size, in order', () => {
    const s = new ConnectionStats(new ServerStats());
    for (let i = 1; i <= 20; i++) s.requestReceived(request(i, 4));
    expect(s.outstanding).toBe(20);
    for (let i = 1; i <= 20; i++) s.frameSent(reply(i, BigInt(i)));
    expect(s.outstanding).toBe(0);
    expect(s.lastCxid).toBe(20);
    // A notification (xid -1) answers nothing.
    s.requestReceived(request(21, 4));
    s.frameSent(reply(-1, -1n));
    expect(s.outstanding).toBe(1);
  });

  it('answers ZK_NOT_SERVING when the server stopped serving', () => {
    const ctx = context({ serving: false });
    const notServing = 'This ZooKeeper instance is not currently serving requests\n';
    for (const out of [formatStat(ctx, false), formatCons(ctx), formatMntr(ctx), formatWchs(ctx)]) {
      expect(out).toBe(notServing);
    }
  });
});

describe('mntr', () => {
  it('prints version and state first, then the gauges, tab separated', () => {
    const out = formatMntr(context());
    const lines = out.trimEnd().split('\n');
    expect(lines.slice(0, 3)).toEqual([
      `zk_version\t${FOUR_LETTER_VERSION}`,
      'zk_server_state\tstandalone',
      'zk_ephemerals_count\t1',
    ]);
    expect(out).toContain('zk_avg_latency\t0.0\n');
    expect(out).toContain('zk_znode_count\t4\n');
    expect(out).toContain('zk_watch_count\t3\n');
    expect(out).toContain('zk_approximate_data_size\t44\n');
    expect(out).toContain('zk_open_file_descriptor_count\t30\n');
    expect(out).toContain('zk_max_file_descriptor_count\t1024\n');
    expect(out).toContain('zk_last_client_response_size\t-1\n');
    expect(lines.every((l) => /^zk_[a-z_]+\t[^\t]+$/.test(l))).toBe(true);
  });

  it('leaves out the file descriptor gauges where they are unknown (not Unix)', () => {
    const out = formatMntr(context({ fileDescriptors: () => undefined }));
    expect(out).not.toContain('file_descriptor');
  });
});

describe('watches and conf', () => {
  it('formats wchs, wchc and wchp like WatchManager', () => {
    const ctx = context();
    expect(formatWchs(ctx)).toBe('1 connections watching 2 paths\nTotal watches:2\n');
    expect(formatWchc(ctx)).toBe('0x1000\n\t/a\n\t/b\n\n');
    expect(formatWchp(ctx)).toBe('/a\n\t0x1000\n/b\n\t0x1000\n\t0x2000\n\n');
  });

  it('formats conf like ZooKeeperServer.dumpConf', () => {
    expect(formatConf(context())).toBe(
      'clientPort=2181\nsecureClientPort=-1\ndataDir=/var/lib/zookeeper\ndataDirSize=10\n' +
        'dataLogDir=/var/lib/zookeeper\ndataLogSize=10\ntickTime=2000\nmaxClientCnxns=60\n' +
        'minSessionTimeout=4000\nmaxSessionTimeout=40000\nclientPortListenBacklog=-1\nserverId=0\n',
    );
  });
});

describe('FourLetterCommands', () => {
  it('refuses words outside the whitelist, srvr always allowed', () => {
    const commands = new FourLetterCommands(context(), []);
    expect(commands.answer('ruok')).toBe(
      'ruok is not executed because it is not in the whitelist.\n',
    );
    expect(commands.answer('srvr')).toContain('Mode: standalone');
  });

  it("'*' enables every implemented word; known but unimplemented ones are refused", () => {
    const commands = new FourLetterCommands(context(), '*');
    expect(commands.answer('ruok')).toBe('imok');
    expect(commands.answer('isro')).toBe('rw');
    expect(commands.answer('dump')).toContain('is not executed');
    expect(new FourLetterCommands(context(), ['*']).answer('ruok')).toBe('imok');
  });

  it('srst resets the server counters, crst every connection', () => {
    const ctx = context();
    const s = new ConnectionStats(ctx.stats);
    s.packetReceived();
    const commands = new FourLetterCommands({ ...ctx, connections: () => [cnxn(1n, s)] }, '*');
    expect(commands.answer('crst')).toBe('Connection stats reset.\n');
    expect(s.packetsReceived).toBe(0);
    expect(ctx.stats.packetsReceived).toBe(1);
    expect(commands.answer('srst')).toBe('Server stats reset.\n');
    expect(ctx.stats.packetsReceived).toBe(0);
  });
});
