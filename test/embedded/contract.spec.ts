import { ZkServer, createThrowawayCa } from '@shepherd/zk-server';
import { describeClientContract } from '../contract/client-contract';

// The embedded server (libs/zk-server) as a contract target: on a free loopback port, with
// a short tick so expiry-related cases run fast, TTL nodes enabled and a fast container reaper.
// Then the same contract with every client over TLS: the server on a secureClientPort only
// (ssl.clientAuth=need), each client presenting a certificate of its CA.
const REAP_INTERVAL_MS = 200;
const ca = createThrowawayCa();
const serverCert = ca.issue({ commonName: 'localhost', hosts: ['localhost', '127.0.0.1'] });
const clientCert = ca.issue({ commonName: 'contract-client' });

describe.each([
  ['embedded zk-server', false],
  ['embedded zk-server over TLS', true],
])('%s', (name, secure) => {
  let server: ZkServer | undefined;

  beforeAll(async () => {
    server = new ZkServer({
      port: secure ? null : 0,
      secure: secure ? { key: serverCert.key, cert: serverCert.cert, ca: ca.cert } : undefined,
      tickTime: 200,
      extendedTypesEnabled: true,
      containerCheckIntervalMs: REAP_INTERVAL_MS,
    });
    await server.start();
  });

  afterAll(async () => {
    await server?.stop();
  });

  describeClientContract(name, () => {
    if (!server) throw new Error('the embedded server did not start: see beforeAll');
    const features = { ttl: true, reaping: true, reapIntervalMs: REAP_INTERVAL_MS };
    if (!secure) return { connectString: server.connectString, features };
    return {
      connectString: server.secureConnectString,
      tls: { ca: ca.cert, cert: clientCert.cert, key: clientCert.key },
      x509Id: clientCert.subject,
      features,
    };
  });
});
