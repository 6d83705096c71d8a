import { createPrivateKey } from 'crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { ZooKeeperClient } from '@shepherd/zk-client';
import { Perms } from '@shepherd/zk-protocol';
import { IssuedCertificate, ThrowawayCa, createThrowawayCa } from '@shepherd/zk-server';
import { CoordinatorProcess, testZooCfg } from './coordinator-process';

// The coordinator app with the zoo.cfg TLS keys of Apache ZooKeeper 3.8's TLS guide, as an
// operator writes them: one PEM key store (key + certificate), one PEM trust store.
jest.setTimeout(90000);

let dir: string;
let ca: ThrowawayCa;
let server: IssuedCertificate;
let client: IssuedCertificate;
const procs: CoordinatorProcess[] = [];
const clients: ZooKeeperClient[] = [];

beforeAll(() => {
  ca = createThrowawayCa({ commonName: 'coordinator test CA' });
  server = ca.issue({ commonName: 'localhost', hosts: ['localhost', '127.0.0.1'] });
  client = ca.issue({ commonName: 'app', organization: 'shepherd' });
});

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'coordinator-tls-'));
  writeFileSync(path.join(dir, 'server.pem'), server.key + server.cert);
  writeFileSync(path.join(dir, 'ca.pem'), ca.cert);
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close().catch(() => undefined)));
  await Promise.all(procs.splice(0).map((p) => p.ensureDead()));
  rmSync(dir, { recursive: true, force: true });
});

function tlsCfg(extra: string[] = []): string {
  return testZooCfg(path.join(dir, 'data'), [
    'secureClientPort=0',
    'serverCnxnFactory=org.apache.zookeeper.server.NettyServerCnxnFactory',
    'authProvider.x509=org.apache.zookeeper.server.auth.X509AuthenticationProvider',
    `ssl.keyStore.location=${path.join(dir, 'server.pem')}`,
    `ssl.trustStore.location=${path.join(dir, 'ca.pem')}`,
    ...extra,
  ]);
}

function start(cfgText: string): CoordinatorProcess {
  const cfg = path.join(dir, 'zoo.cfg');
  writeFileSync(cfg, cfgText);
  const p = new CoordinatorProcess(['--config', cfg]);
  procs.push(p);
  return p;
}

it('serves TLS beside the plain port and authenticates the client certificate as x509', async () => {
  const proc = start(tlsCfg());
  const [plainPort, securePort] = await Promise.all([proc.port(), proc.securePort()]);
  expect(proc.find('listening for TLS client connections')).toMatchObject({ clientAuth: 'need' });

  const zk = new ZooKeeperClient(`localhost:${securePort}`, {
    sessionTimeout: 4000,
    tls: { ca: ca.cert, cert: client.cert, key: client.key },
  });
  clients.push(zk);
  await zk.connect();
  expect(await zk.whoAmI()).toContainEqual({ authScheme: 'x509', user: client.subject });
  await zk.create('/mine', 'secret', {
    acl: [{ perms: Perms.ALL, id: { scheme: 'x509', id: client.subject } }],
  });

  const plain = new ZooKeeperClient(`127.0.0.1:${plainPort}`, { sessionTimeout: 4000 });
  clients.push(plain);
  await plain.connect();
  expect(await plain.exists('/mine')).not.toBeNull();
  await expect(plain.getData('/mine')).rejects.toThrow(/NoAuth|not authenticated/i);
});

it('runs TLS only when the zoo.cfg has secureClientPort and no clientPort', async () => {
  const cfg = tlsCfg().replace('clientPort=0\n', '');
  const proc = start(cfg);
  const securePort = await proc.securePort();
  expect(proc.find('listening for client connections')).toBeUndefined();
  expect(proc.find('starting coordinator')?.config).toMatchObject({ clientPort: null });
  const zk = new ZooKeeperClient(`127.0.0.1:${securePort}`, {
    sessionTimeout: 4000,
    tls: { ca: ca.cert, cert: client.cert, key: client.key, servername: 'localhost' },
  });
  clients.push(zk);
  await zk.connect();
  await zk.create('/tls-only');
});

it('reads an encrypted key with ssl.keyStore.password, and refuses a wrong one', async () => {
  const encrypted = createPrivateKey(server.key)
    .export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'k3y-pass' })
    .toString();
  writeFileSync(path.join(dir, 'server.pem'), encrypted + server.cert);
  const wrong = start(tlsCfg(['ssl.keyStore.password=not-it']));
  expect(await wrong.exited).toEqual({ code: 2, signal: null });
  expect(wrong.stderr).toMatch(/holds no private key this server can read/);

  const proc = start(tlsCfg(['ssl.keyStore.password=k3y-pass']));
  const zk = new ZooKeeperClient(`127.0.0.1:${await proc.securePort()}`, {
    sessionTimeout: 4000,
    tls: { ca: ca.cert, cert: client.cert, key: client.key },
  });
  clients.push(zk);
  await zk.connect();
  // The password is in the startup summary only as "(set)".
  expect(proc.find('starting coordinator')?.config).toMatchObject({
    secure: { keyStorePassword: '(set)' },
  });
});

it('exits with INVALID_CONFIG naming the file when the key store holds no private key', async () => {
  writeFileSync(path.join(dir, 'server.pem'), server.cert);
  const proc = start(tlsCfg(['ssl.keyStore.password=wrong']));
  expect(await proc.exited).toEqual({ code: 2, signal: null });
  expect(proc.stderr).toMatch(/ssl\.keyStore\.location .*server\.pem holds no private key/);
});
