import { ZkServer, createThrowawayCa } from '@shepherd/zk-server';
import { describeClientContract } from '../contract/client-contract';

// The same contract as contract.spec.ts, every client over TLS: the embedded server on a
// secureClientPort only (ssl.clientAuth=need), clients presenting a certificate of its CA.
const REAP_INTERVAL_MS = 200;
const ca = createThrowawayCa();
const serverCert = ca.issue({ commonName: 'localhost', hosts: ['localhost', '127.0.0.1'] });
const clientCert = ca.issue({ commonName: 'contract-client' });

let server: ZkServer | undefined;

beforeAll(async () => {
  server = new ZkServer({
    port: null,
    secure: { port: 0, key: serverCert.key, cert: serverCert.cert, ca: ca.cert },
    tickTime: 200,
    extendedTypesEnabled: true,
    containerCheckIntervalMs: REAP_INTERVAL_MS,
  });
  await server.start();
});

afterAll(async () => {
  await server?.stop();
});

describeClientContract('embedded zk-server over TLS', () => {
  if (!server?.secureAddress) throw new Error('the embedded server did not start: see beforeAll');
  return {
    connectString: server.secureConnectString,
    tls: { ca: ca.cert, cert: clientCert.cert, key: clientCert.key },
    x509Id: clientCert.subject,
    features: { ttl: true, reaping: true, reapIntervalMs: REAP_INTERVAL_MS },
  };
});
