import { mkdirSync, writeFileSync } from 'fs';
import { join } from 'path';
import { createThrowawayCa } from '@shepherd/zk-server';

/** The PEM files of a local cluster that runs over TLS (`shepherd up --tls`). */
export interface ClusterTls {
  dir: string;
  /** The throwaway CA's certificate: the coordinator's trust store, the apps' ZK_TLS_CA. */
  ca: string;
  /** The coordinator's key store: its private key and certificate in one file. */
  coordinatorKeyStore: string;
  /** The apps' certificate and key (ZK_TLS_CERT, ZK_TLS_KEY). */
  clientCert: string;
  clientKey: string;
}

/**
 * A new throwaway CA and the certificates it signs, written to `dir` (created, private to this
 * user): one for the coordinator (localhost and 127.0.0.1) and one the apps share. A fresh CA
 * per start: nothing outside this cluster ever trusts it, and it expires in 30 days anyway.
 */
export function writeClusterTls(dir: string): ClusterTls {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const ca = createThrowawayCa({
    commonName: 'Shepherd local cluster CA',
    organization: 'Shepherd',
  });
  const coordinator = ca.issue({ commonName: 'localhost', hosts: ['localhost', '127.0.0.1'] });
  const app = ca.issue({ commonName: 'shepherd-app', organization: 'Shepherd' });
  const files: ClusterTls = {
    dir,
    ca: join(dir, 'ca.pem'),
    coordinatorKeyStore: join(dir, 'coordinator.pem'),
    clientCert: join(dir, 'app-cert.pem'),
    clientKey: join(dir, 'app-key.pem'),
  };
  const write = (file: string, text: string) => writeFileSync(file, text, { mode: 0o600 });
  write(files.ca, ca.cert);
  write(files.coordinatorKeyStore, coordinator.key + coordinator.cert);
  write(files.clientCert, app.cert);
  write(files.clientKey, app.key);
  return files;
}
