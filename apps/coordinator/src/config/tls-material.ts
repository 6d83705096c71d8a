import { X509Certificate, createPrivateKey } from 'crypto';
import { readFileSync } from 'fs';
import { ZkServerTlsConfig } from '@shepherd/zk-server';
import { ConfigError } from './config-error';
import { CoordinatorTlsConfig } from './tls-config';

/**
 * Reads the PEM stores named by the config (X509Util.createSSLContextAndOptions with
 * PEMFileLoader): the key store is one file with the private key and its certificate chain,
 * the trust store one file of CA certificates. Every problem is a ConfigError naming the file,
 * raised before any port opens.
 */
export function readTlsMaterial(
  tls: CoordinatorTlsConfig,
  clientPortAddress: string,
  readFile: (file: string) => string = (f) => readFileSync(f, 'utf8'),
): ZkServerTlsConfig {
  const keyStore = read('ssl.keyStore.location', tls.keyStoreLocation, readFile);
  try {
    createPrivateKey({ key: keyStore, format: 'pem', passphrase: tls.keyStorePassword });
  } catch (err) {
    throw new ConfigError(
      `ssl.keyStore.location ${tls.keyStoreLocation} holds no private key this server can read ` +
        `(${(err as Error).message}); an encrypted key needs ssl.keyStore.password`,
    );
  }
  certificates('ssl.keyStore.location', tls.keyStoreLocation, keyStore);
  let ca: string | undefined;
  if (tls.trustStoreLocation !== undefined) {
    ca = read('ssl.trustStore.location', tls.trustStoreLocation, readFile);
    certificates('ssl.trustStore.location', tls.trustStoreLocation, ca);
  }
  return {
    port: tls.secureClientPort,
    host: tls.secureClientPortAddress ?? clientPortAddress,
    // OpenSSL picks the key and the certificates out of the one file by their PEM labels.
    key: keyStore,
    cert: keyStore,
    passphrase: tls.keyStorePassword,
    ca,
    clientAuth: tls.clientAuth,
    handshakeTimeoutMs: tls.handshakeDetectionTimeoutMillis,
  };
}

function read(key: string, file: string, readFile: (file: string) => string): string {
  try {
    return readFile(file);
  } catch (err) {
    throw new ConfigError(`Cannot read ${key} ${file}: ${(err as Error).message}`);
  }
}

/** Each CERTIFICATE block in `pem` must parse; at least one must be there. */
function certificates(key: string, file: string, pem: string): void {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length === 0) throw new ConfigError(`${key} ${file} holds no PEM certificate`);
  for (const block of blocks) {
    try {
      new X509Certificate(block);
    } catch (err) {
      throw new ConfigError(`${key} ${file} holds a bad certificate: ${(err as Error).message}`);
    }
  }
}
