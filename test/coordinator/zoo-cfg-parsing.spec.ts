import * as path from 'path';
import { ConfigError, EnsembleConfigError } from '../../apps/coordinator/src/config/config-error';
import { parseJavaProperties } from '../../apps/coordinator/src/config/java-properties';
import { loadCoordinatorConfig } from '../../apps/coordinator/src/config/load-config';

// zoo.cfg as ZooKeeper reads it (java.util.Properties + QuorumPeerConfig.parseProperties), and
// flags of the same names on top.
const CWD = path.resolve('/srv/coordinator');

function load(cfg: string | undefined, ...flags: string[]) {
  const argv = cfg === undefined ? flags : ['--config', 'zoo.cfg', ...flags];
  const loaded = loadCoordinatorConfig(argv, { cwd: CWD, readFile: () => cfg ?? '' });
  if (loaded.help) throw new Error('unexpected --help');
  return loaded;
}

function loadError(cfg: string | undefined, ...flags: string[]): ConfigError {
  try {
    load(cfg, ...flags);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('zoo.cfg parsing', () => {
  it('reads the book standalone example', () => {
    const { config, warnings } = load('tickTime=2000\ndataDir=./data\nclientPort=2181\n');
    expect(config).toMatchObject({
      tickTime: 2000,
      dataDir: path.join(CWD, 'data'),
      dataLogDir: path.join(CWD, 'data'),
      clientPort: 2181,
      clientPortAddress: '0.0.0.0',
      maxClientCnxns: 60,
      minSessionTimeout: 4000,
      maxSessionTimeout: 40000,
      snapRetainCount: 3,
      purgeInterval: 0,
      extendedTypesEnabled: false,
      skipACL: false,
    });
    expect(config.fourLetterWordWhitelist).toBeUndefined();
    expect(warnings).toEqual([]);
  });

  it('reads every supported key', () => {
    const { config, warnings } = load(
      [
        'tickTime=500',
        'dataDir=/var/lib/coordinator',
        'dataLogDir=/var/log/coordinator',
        'clientPort=2282',
        'clientPortAddress=127.0.0.1',
        'maxClientCnxns=0',
        'minSessionTimeout=1000',
        'maxSessionTimeout=60000',
        'autopurge.snapRetainCount=5',
        'autopurge.purgeInterval=24',
        '4lw.commands.whitelist=srvr, ruok ,mntr',
        'snapCount=5000',
        'extendedTypesEnabled=true',
        'DigestAuthenticationProvider.superDigest=super:D/InIHSb7yEEbrWz8b9l71RjZJU=',
        'skipACL=yes',
      ].join('\n'),
    );
    expect(config).toMatchObject({
      tickTime: 500,
      dataDir: path.resolve('/var/lib/coordinator'),
      dataLogDir: path.resolve('/var/log/coordinator'),
      clientPort: 2282,
      clientPortAddress: '127.0.0.1',
      maxClientCnxns: 0,
      minSessionTimeout: 1000,
      maxSessionTimeout: 60000,
      snapRetainCount: 5,
      purgeInterval: 24,
      fourLetterWordWhitelist: ['srvr', 'ruok', 'mntr'],
      snapCount: 5000,
      extendedTypesEnabled: true,
      superDigest: 'super:D/InIHSb7yEEbrWz8b9l71RjZJU=',
      skipACL: true,
    });
    expect(warnings).toEqual([]);
  });

  it('defaults dataDir to ./data under the working directory, with no config at all', () => {
    const { config } = load(undefined);
    expect(config.dataDir).toBe(path.join(CWD, 'data'));
    expect(config.clientPort).toBe(2181);
  });

  it('skips comments and blank lines, trims keys and values, takes : and blank separators', () => {
    const cfg = [
      '# The number of milliseconds of each tick',
      '   ! a Properties comment too',
      '',
      '  tickTime   =  3000   ',
      'clientPort:2183',
      'dataDir /tmp/zk\\',
      '   data',
      'clientPortAddress=127.0.0.\\u0031',
    ].join('\r\n');
    const { config } = load(cfg);
    expect(config.tickTime).toBe(3000);
    expect(config.clientPort).toBe(2183);
    expect(config.dataDir).toBe(path.resolve('/tmp/zkdata'));
    expect(config.clientPortAddress).toBe('127.0.0.1');
    expect(parseJavaProperties('a=1\n#b=2\nc=\n')).toEqual([
      { key: 'a', value: '1', line: 1 },
      { key: 'c', value: '', line: 3 },
    ]);
  });

  it('lets the last occurrence of a key win, as Properties does', () => {
    expect(load('tickTime=1000\ntickTime=1500').config.tickTime).toBe(1500);
  });

  it('warns about unknown keys and ensemble-only keys instead of failing', () => {
    const { warnings } = load(
      'tickTime=2000\ninitLimit=10\nsyncLimit=5\ndataDir=d\nclientPort=2181\nbogusKey=1\n',
    );
    expect(warnings).toEqual([
      expect.stringMatching(/^initLimit \(zoo\.cfg:2\) is ignored/),
      expect.stringMatching(/^syncLimit \(zoo\.cfg:3\) is ignored/),
      expect.stringMatching(/^bogusKey \(zoo\.cfg:6\) is an unknown key/),
    ]);
  });

  it('raises autopurge.snapRetainCount below 3 to 3 with a warning', () => {
    const { config, warnings } = load('autopurge.snapRetainCount=1\nautopurge.purgeInterval=1');
    expect(config.snapRetainCount).toBe(3);
    expect(config.purgeInterval).toBe(1);
    expect(warnings).toEqual([expect.stringContaining('autopurge.snapRetainCount: 1')]);
  });

  it('derives session timeout bounds from tickTime, -1 meaning the default', () => {
    const { config } = load('tickTime=100\nminSessionTimeout=-1');
    expect(config.minSessionTimeout).toBe(200);
    expect(config.maxSessionTimeout).toBe(2000);
  });
});

describe('zoo.cfg bad values', () => {
  it.each([
    ['tickTime=abc', /tickTime \(zoo\.cfg:1\).*"abc" is not an integer/],
    ['tickTime=0', /tickTime \(zoo\.cfg:1\).*out of range/],
    ['tickTime=2000 # ms', /tickTime.*no end-of-line comments/],
    ['clientPort=70000', /clientPort \(zoo\.cfg:1\).*out of range/],
    ['maxClientCnxns=-3', /maxClientCnxns.*out of range/],
    ['snapCount=1.5', /snapCount.*not an integer/],
    ['extendedTypesEnabled=maybe', /extendedTypesEnabled.*choose 'true' or 'false'/],
    ['skipACL=perhaps', /skipACL.*choose 'yes' or 'no'/],
    ['4lw.commands.whitelist=srvr,stats', /4lw\.commands\.whitelist.*"stats"/],
    ['DigestAuthenticationProvider.superDigest=nocolon', /superDigest.*super:<base64 sha1>/],
    ['dataDir=', /dataDir.*empty path/],
    ['minSessionTimeout=9000\nmaxSessionTimeout=5000', /minSessionTimeout \(9000\).*larger/],
    ['secureClientPort=2281', /secureClientPort needs ssl\.keyStore\.location/],
    ['secureClientPort=99999', /secureClientPort \(zoo\.cfg:1\).*not a port number/],
    [
      'secureClientPort=2281\nssl.keyStore.location=server.jks',
      /ssl\.keyStore\.location \(zoo\.cfg:2\): JKS stores are not supported.*PEM/,
    ],
    [
      'secureClientPort=2281\nssl.keyStore.location=server.pem\nssl.keyStore.type=PKCS12',
      /ssl\.keyStore\.type \(zoo\.cfg:3\): PKCS12 stores are not supported/,
    ],
    [
      'secureClientPort=2281\nssl.keyStore.location=server.key',
      /cannot tell the store type of "server\.key".*ssl\.keyStore\.type=PEM/,
    ],
    [
      'secureClientPort=2281\nssl.keyStore.location=s.pem\nssl.trustStore.location=ca.p12',
      /ssl\.trustStore\.location \(zoo\.cfg:3\): PKCS12 stores are not supported/,
    ],
    ['ssl.clientAuth=sometimes', /ssl\.clientAuth \(zoo\.cfg:1\).*choose none, want or need/],
    ['client.portUnification=true', /client\.portUnification.*own secureClientPort/],
  ])('%s is refused with a message naming the key', (cfg, message) => {
    expect(loadError(cfg).message).toMatch(message);
  });

  it('names the flag when the bad value came from the command line', () => {
    expect(loadError('tickTime=2000', '--tickTime', 'x').message).toMatch(/--tickTime/);
  });

  it('reports an unreadable config file', () => {
    const run = () =>
      loadCoordinatorConfig(['--config', 'missing.cfg'], {
        readFile: () => {
          throw new Error('ENOENT: no such file');
        },
      });
    expect(run).toThrow(/Cannot read config file missing\.cfg: ENOENT/);
  });
});

describe('TLS keys', () => {
  it('read secureClientPort and the ssl.* keys as ZooKeeper 3.8 does, with its defaults', () => {
    const { config, warnings } = load(
      [
        'secureClientPort=2281',
        'serverCnxnFactory=org.apache.zookeeper.server.NettyServerCnxnFactory',
        'authProvider.x509=org.apache.zookeeper.server.auth.X509AuthenticationProvider',
        'ssl.keyStore.location=tls/server.pem',
        'ssl.trustStore.location=/etc/zk/ca.crt',
        'ssl.trustStore.type=pem',
      ].join('\n'),
    );
    expect(warnings).toEqual([]);
    // Only secureClientPort: no plain port, as ZooKeeper.
    expect(config.clientPort).toBeNull();
    expect(config.secure).toEqual({
      secureClientPort: 2281,
      secureClientPortAddress: undefined,
      keyStoreLocation: path.join(CWD, 'tls/server.pem'),
      keyStorePassword: undefined,
      trustStoreLocation: path.resolve('/etc/zk/ca.crt'),
      clientAuth: 'need',
      handshakeDetectionTimeoutMillis: 5000,
    });
  });

  it('keep the plain port beside TLS when both are set, and take clientAuth in any case', () => {
    const { config } = load(
      'clientPort=2181\nsecureClientPort=2281\nsecureClientPortAddress=127.0.0.1\n' +
        'ssl.keyStore.location=s.pem\nssl.keyStore.password=pw\nssl.clientAuth=WANT\n' +
        'ssl.handshakeDetectionTimeoutMillis=800',
    );
    expect(config.clientPort).toBe(2181);
    expect(config.secure).toMatchObject({
      secureClientPortAddress: '127.0.0.1',
      keyStorePassword: 'pw',
      clientAuth: 'want',
      handshakeDetectionTimeoutMillis: 800,
    });
  });

  it('warn about ssl keys that do nothing without a secureClientPort, or are Java-only', () => {
    const { config, warnings } = load(
      'ssl.keyStore.location=s.pem\nssl.enabledProtocols=TLSv1.3\n' +
        'serverCnxnFactory=org.apache.zookeeper.server.NIOServerCnxnFactory',
    );
    expect(config.secure).toBeUndefined();
    expect(config.clientPort).toBe(2181);
    expect(warnings).toEqual([
      expect.stringMatching(/ssl\.enabledProtocols.*ignored/),
      expect.stringMatching(/serverCnxnFactory.*ignored/),
      expect.stringMatching(/ssl\.keyStore\.location.*ignored without a secureClientPort/),
    ]);
  });
});

describe('command-line flags', () => {
  it('override the file, key by key, with the same names', () => {
    const { config } = load(
      'tickTime=2000\ndataDir=./data\nclientPort=2181\nautopurge.purgeInterval=0',
      '--clientPort',
      '0',
      '--dataDir=/other',
      '--autopurge.purgeInterval',
      '6',
      '--4lw.commands.whitelist',
      '*',
    );
    expect(config).toMatchObject({
      tickTime: 2000,
      clientPort: 0,
      dataDir: path.resolve('/other'),
      purgeInterval: 6,
      fourLetterWordWhitelist: ['*'],
    });
  });

  it('work without a config file', () => {
    expect(load(undefined, '--tickTime', '250').config.tickTime).toBe(250);
  });

  it('--help asks for usage', () => {
    expect(loadCoordinatorConfig(['--config', 'x.cfg', '--help']).help).toBe(true);
  });

  it('take the config file positionally, as Apache ZooKeeper does, or with --config', () => {
    const read: string[] = [];
    const tickTime = (...argv: string[]): number => {
      const loaded = loadCoordinatorConfig(argv, {
        cwd: CWD,
        readFile: (file) => {
          read.push(file);
          return 'tickTime=300\n';
        },
      });
      if (loaded.help) throw new Error('unexpected --help');
      return loaded.config.tickTime;
    };
    expect(tickTime('zoo.cfg')).toBe(300);
    expect(tickTime('zoo.cfg', '--tickTime', '400')).toBe(400);
    expect(tickTime('zoo.cfg', '--config', 'zoo.cfg')).toBe(300);
    expect(read).toHaveLength(3);
    expect(read.every((file) => file.endsWith('zoo.cfg'))).toBe(true);
  });

  it('refuse two config files, a second positional argument and a flag without a value', () => {
    expect(() => loadCoordinatorConfig(['a.cfg', '--config', 'b.cfg'])).toThrow(
      /Two config files: a\.cfg and --config b\.cfg/,
    );
    expect(() => loadCoordinatorConfig(['a.cfg', 'b.cfg'])).toThrow(/Unexpected argument "b\.cfg"/);
    expect(() => loadCoordinatorConfig(['-x'])).toThrow(/Unexpected argument "-x"/);
    expect(() => loadCoordinatorConfig(['--tickTime'])).toThrow(/--tickTime needs a value/);
  });
});

describe('ensemble configs', () => {
  const ENSEMBLE = [
    'tickTime=2000',
    'initLimit=10',
    'syncLimit=5',
    'dataDir=./data',
    'clientPort=2181',
    'server.1=127.0.0.1:2222:2223',
    'server.2=127.0.0.1:3333:3334',
    'server.3=127.0.0.1:4444:4445',
  ].join('\n');

  it('are refused with a message pointing at Apache ZooKeeper and a connection string', () => {
    const err = loadError(ENSEMBLE);
    expect(err).toBeInstanceOf(EnsembleConfigError);
    expect((err as EnsembleConfigError).keys).toEqual(['server.1', 'server.2', 'server.3']);
    expect(err.message).toMatch(/ensemble \(server\.1, server\.2, server\.3\)/);
    expect(err.message).toMatch(/Apache ZooKeeper/);
    expect(err.message).toContain('h1:2181,h2:2181,h3:2181/shepherd');
  });

  it('are refused when the server line comes from a flag or a dynamic config file', () => {
    expect(loadError(undefined, '--server.1', 'a:1:2')).toBeInstanceOf(EnsembleConfigError);
    expect(loadError('dynamicConfigFile=zoo.cfg.dynamic')).toBeInstanceOf(EnsembleConfigError);
  });
});
