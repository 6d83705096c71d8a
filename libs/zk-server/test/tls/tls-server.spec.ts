import { X509Certificate } from 'node:crypto';
import { Socket, connect as connectTcp } from 'node:net';
import { TLSSocket, connect as connectTls } from 'node:tls';
import { ZooKeeperClient } from '@shepherd/zk-client';
import { ErrorCode, Perms } from '@shepherd/zk-protocol';
import {
  ClientAuth,
  IssuedCertificate,
  ThrowawayCa,
  ZkServer,
  createThrowawayCa,
} from '@shepherd/zk-server';
import { eventually } from '../server/server-test-kit';

// The secureClientPort: ssl.clientAuth's three modes, the x509 identity of a trusted client
// certificate (X509AuthenticationProvider), and every way a connection is turned away without
// the server noticing anything but a refusal.
describe('ZkServer over TLS', () => {
  let ca: ThrowawayCa;
  let serverCert: IssuedCertificate;
  let alice: IssuedCertificate;
  let bob: IssuedCertificate;
  let stranger: IssuedCertificate;
  const servers: ZkServer[] = [];
  const clients: ZooKeeperClient[] = [];

  beforeAll(() => {
    ca = createThrowawayCa();
    serverCert = ca.issue({ commonName: 'coordinator', hosts: ['127.0.0.1', 'localhost', '::1'] });
    alice = ca.issue({ commonName: 'alice', organizationalUnit: 'workers', organization: 'Acme' });
    bob = ca.issue({ commonName: 'bob', organization: 'Acme' });
    stranger = createThrowawayCa().issue({ commonName: 'alice', organization: 'Acme' });
  });

  async function start(clientAuth?: ClientAuth, plain = false): Promise<ZkServer> {
    const server = new ZkServer({
      port: plain ? 0 : null,
      secure: {
        key: serverCert.key,
        cert: serverCert.cert,
        ca: ca.cert,
        clientAuth,
        handshakeTimeoutMs: 1000,
      },
    });
    servers.push(server);
    await server.start();
    return server;
  }

  async function client(
    server: ZkServer,
    who: IssuedCertificate | undefined,
    trust = ca.cert,
  ): Promise<ZooKeeperClient> {
    const zk = new ZooKeeperClient(server.secureConnectString, {
      sessionTimeout: 10000,
      tls: { ca: trust, cert: who?.cert, key: who?.key },
    });
    clients.push(zk);
    await zk.connect();
    return zk;
  }

  /** A raw TLS handshake: resolves 'connected' or the way it failed. */
  function handshake(
    server: ZkServer,
    who: IssuedCertificate | undefined,
  ): Promise<{ socket?: TLSSocket; error?: Error }> {
    return new Promise((resolve) => {
      const socket = connectTls({
        host: '127.0.0.1',
        port: server.secureAddress!.port,
        ca: ca.cert,
        cert: who?.cert,
        key: who?.key,
      });
      socket.once('secureConnect', () => {
        // TLS 1.3: the server judges the client certificate after the client's handshake
        // finished; a refusal arrives as an alert or a close right after.
        const settle = setTimeout(() => resolve({ socket }), 300);
        socket.once('error', (error) => {
          clearTimeout(settle);
          resolve({ error });
        });
        socket.once('close', () => {
          clearTimeout(settle);
          resolve({ error: new Error('closed by the server') });
        });
      });
      socket.once('error', (error) => resolve({ error }));
    });
  }

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close().catch(() => undefined)));
    await Promise.all(servers.splice(0).map((s) => s.stop()));
  });

  it('issues certificates Node reads back with the right names and chain', () => {
    const cert = new X509Certificate(serverCert.cert);
    expect(cert.checkIssued(new X509Certificate(ca.cert))).toBe(true);
    expect(cert.verify(new X509Certificate(ca.cert).publicKey)).toBe(true);
    expect(cert.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(cert.checkHost('localhost')).toBe('localhost');
    expect(new X509Certificate(ca.cert).ca).toBe(true);
    expect(alice.subject).toBe('CN=alice,OU=workers,O=Acme');
  });

  it('authenticates a trusted client certificate as x509:<subject DN>', async () => {
    const server = await start();
    const zk = await client(server, alice);
    expect(await zk.whoAmI()).toEqual(
      expect.arrayContaining([{ authScheme: 'x509', user: 'CN=alice,OU=workers,O=Acme' }]),
    );
    // The auth scheme expands to the certificate identity, as with digest.
    await zk.create('/alice-only', 'secret', {
      acl: [{ perms: Perms.ALL, id: { scheme: 'auth', id: '' } }],
    });
    expect((await zk.getACL('/alice-only')).acl).toEqual([
      { perms: Perms.ALL, id: { scheme: 'x509', id: alice.subject } },
    ]);
    const other = await client(server, bob);
    await expect(other.getData('/alice-only')).rejects.toMatchObject({ code: ErrorCode.NoAuth });
    // An explicit x509 ACL naming bob, and one that is not a distinguished name.
    await zk.create('/for-bob', 'x', {
      acl: [{ perms: Perms.READ, id: { scheme: 'x509', id: bob.subject } }],
    });
    expect((await other.getData('/for-bob')).data?.toString()).toBe('x');
    await expect(
      zk.create('/bad', 'x', { acl: [{ perms: Perms.ALL, id: { scheme: 'x509', id: 'alice' } }] }),
    ).rejects.toMatchObject({ code: ErrorCode.InvalidACL });
  });

  it('need (the default): refuses no certificate and an untrusted one; serves the others', async () => {
    const server = await start();
    const zk = await client(server, alice);
    const none = await handshake(server, undefined);
    expect(none.error).toBeDefined();
    const untrusted = await handshake(server, stranger);
    expect(untrusted.error).toBeDefined();
    await eventually('refusals counted', () => server.tlsRefusals.handshake >= 2);
    await zk.create('/still-serving', 'yes');
    expect((await zk.getData('/still-serving')).data?.toString()).toBe('yes');
    expect(server.connectionCount).toBe(1);
  });

  it('want: lets a client without a certificate in unauthenticated, refuses an untrusted one', async () => {
    const server = await start('want');
    const anonymous = await client(server, undefined);
    expect((await anonymous.whoAmI()).map((i) => i.authScheme)).not.toContain('x509');
    const zk = await client(server, alice);
    expect((await zk.whoAmI()).map((i) => i.authScheme)).toContain('x509');
    const untrusted = await handshake(server, stranger);
    expect(untrusted.error).toBeDefined();
    await eventually(
      'untrusted refusal counted',
      () => server.tlsRefusals['untrusted-certificate'] + server.tlsRefusals.handshake >= 1,
    );
    await anonymous.create('/want', 'ok');
    expect((await zk.getData('/want')).data?.toString()).toBe('ok');
  });

  it('none: asks for no certificate, so nobody is x509', async () => {
    const server = await start('none');
    const zk = await client(server, alice);
    expect((await zk.whoAmI()).map((i) => i.authScheme)).not.toContain('x509');
  });

  it('closes a plain ZooKeeper hello or four-letter word on the TLS port, and keeps serving', async () => {
    const server = await start();
    const zk = await client(server, alice);
    for (const bytes of [
      // A ConnectRequest frame as a plain client opens with (length 44, protocol version 0, ...).
      Buffer.concat([Buffer.from([0, 0, 0, 44]), Buffer.alloc(44)]),
      Buffer.from('ruok'),
      Buffer.from('GET / HTTP/1.1\r\n\r\n'),
    ]) {
      const closed = await new Promise<{ data: number }>((resolve) => {
        let data = 0;
        const socket: Socket = connectTcp(server.secureAddress!.port, '127.0.0.1', () =>
          socket.write(bytes),
        );
        socket.on('data', (chunk) => (data += chunk.length));
        socket.on('error', () => undefined);
        socket.on('close', () => resolve({ data }));
      });
      // At most a TLS alert comes back, never a ZooKeeper reply or "imok".
      expect(closed.data).toBeLessThan(10);
    }
    await zk.create('/after-garbage');
    expect(server.connectionCount).toBe(1);
    expect(server.tlsRefusals.handshake).toBe(3);
  });

  it('serves plain and TLS side by side; the certificate identity exists on the TLS port only', async () => {
    const server = await start('need', true);
    const secure = await client(server, alice);
    await secure.create('/tls-only', 'x', {
      acl: [{ perms: Perms.ALL, id: { scheme: 'auth', id: '' } }],
    });
    const plain = new ZooKeeperClient(server.connectString, { sessionTimeout: 10000 });
    clients.push(plain);
    await plain.connect();
    await expect(plain.getData('/tls-only')).rejects.toMatchObject({ code: ErrorCode.NoAuth });
    expect(await plain.getChildren('/')).toContain('tls-only');
  });

  it('a client that does not trust the server certificate never connects', async () => {
    const server = await start();
    const zk = new ZooKeeperClient(server.secureConnectString, {
      sessionTimeout: 4000,
      connectTimeout: 500,
      tls: { ca: createThrowawayCa().cert, cert: alice.cert, key: alice.key },
    });
    clients.push(zk);
    const outcome = await Promise.race([
      zk.connect().then(
        () => 'connected',
        () => 'failed',
      ),
      new Promise((r) => setTimeout(() => r('still trying'), 1500)),
    ]);
    expect(outcome).not.toBe('connected');
    expect(server.connectionCount).toBe(0);
  });

  it('without TLS the x509 scheme does not exist: an x509 ACL is InvalidACL', async () => {
    const server = new ZkServer({ port: 0 });
    servers.push(server);
    await server.start();
    const zk = new ZooKeeperClient(server.connectString, { sessionTimeout: 10000 });
    clients.push(zk);
    await zk.connect();
    await expect(
      zk.create('/x', 'x', { acl: [{ perms: Perms.ALL, id: { scheme: 'x509', id: 'CN=a' } }] }),
    ).rejects.toMatchObject({ code: ErrorCode.InvalidACL });
  });

  it('refuses a config without any port, and an unknown clientAuth', () => {
    expect(() => new ZkServer({ port: null })).toThrow(/client port/);
    expect(
      () =>
        new ZkServer({
          secure: { key: '', cert: '', clientAuth: 'sometimes' as ClientAuth },
        }),
    ).toThrow(/ssl.clientAuth/);
  });
});
