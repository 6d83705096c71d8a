import * as path from 'path';
import { CLIENT_AUTH_VALUES, ClientAuth } from '@shepherd/zk-server';
import { ConfigError } from './config-error';

/**
 * The secure client port's settings, named after the zoo.cfg keys Apache ZooKeeper 3.8 reads
 * for it: QuorumPeerConfig takes secureClientPort(Address) itself and turns every other key
 * into a "zookeeper."-prefixed system property, which is where X509Util finds ssl.*.
 */
export interface CoordinatorTlsConfig {
  secureClientPort: number;
  /** Default clientPortAddress. */
  secureClientPortAddress?: string;
  /** ssl.keyStore.location: one PEM file holding the private key and the certificate chain. */
  keyStoreLocation: string;
  /** ssl.keyStore.password: the passphrase of an encrypted private key. */
  keyStorePassword?: string;
  /** ssl.trustStore.location: PEM certificates client certificates must chain to. */
  trustStoreLocation?: string;
  /** ssl.clientAuth. Default 'need', as X509Util (ClientAuth.fromPropertyValue(null)). */
  clientAuth: ClientAuth;
  /** ssl.handshakeDetectionTimeoutMillis. Default 5000, as X509Util. */
  handshakeDetectionTimeoutMillis: number;
}

/** Keys ZooKeeper needs set for TLS that name Java classes this server has built in. */
const BUILT_IN_CLASSES: Record<string, string> = {
  // NIOServerCnxnFactory cannot serve TLS; ZooKeeper's TLS guide sets the Netty one.
  serverCnxnFactory: 'org.apache.zookeeper.server.NettyServerCnxnFactory',
  'authProvider.x509': 'org.apache.zookeeper.server.auth.X509AuthenticationProvider',
};

/** ssl.* keys whose Java-only behaviour this server does not have: warned about, not fatal. */
const IGNORED_SSL_KEYS = new Set([
  'ssl.protocol',
  'ssl.enabledProtocols',
  'ssl.ciphersuites',
  'ssl.hostnameVerification',
  'ssl.crl',
  'ssl.ocsp',
  'ssl.sslProvider',
  'ssl.context.supplier.class',
  'ssl.trustStore.password',
  'ssl.authProvider',
]);

/** ssl.<store>.location and .type, and where each was set (an empty location: not yet). */
interface StoreKeys {
  location: string;
  where: string;
  type?: string;
  typeWhere?: string;
}

/** Collects the TLS keys while interpretConfig walks the entries, then checks them together. */
export class TlsKeys {
  private port?: number;
  private address?: string;
  private keyStore?: StoreKeys;
  private keyStorePassword?: string;
  private trustStore?: StoreKeys;
  private clientAuth?: ClientAuth;
  private handshakeTimeout?: number;
  private readonly seen: string[] = [];

  /** Takes `key` if it is a TLS key; false leaves it to the caller. */
  take(key: string, value: string, where: string, warnings: string[]): boolean {
    switch (key) {
      case 'secureClientPort':
        this.port = parsePort(where, value);
        return true;
      case 'secureClientPortAddress':
        if (value === '') throw new ConfigError(`Invalid value for ${where}: empty address`);
        this.address = value;
        return true;
      case 'ssl.keyStore.location':
      case 'ssl.trustStore.location':
      case 'ssl.keyStore.type':
      case 'ssl.trustStore.type': {
        const [, store, field] = key.split('.') as [string, 'keyStore' | 'trustStore', string];
        const entry = this[store] ?? { location: '', where: '' };
        this[store] =
          field === 'location'
            ? { ...entry, location: value, where }
            : { ...entry, type: value, typeWhere: where };
        break;
      }
      case 'ssl.keyStore.password':
        this.keyStorePassword = value;
        break;
      case 'ssl.clientAuth': {
        // ClientAuth.fromPropertyValue: case-insensitive; an empty value is the default.
        const v = value.trim().toLowerCase();
        if (v !== '' && !(CLIENT_AUTH_VALUES as readonly string[]).includes(v)) {
          throw new ConfigError(
            `Invalid value for ${where}: "${value}"; choose none, want or need`,
          );
        }
        this.clientAuth = v === '' ? undefined : (v as ClientAuth);
        break;
      }
      case 'ssl.handshakeDetectionTimeoutMillis': {
        const n = Number(value);
        if (!/^\d+$/.test(value) || n < 1) {
          throw new ConfigError(`Invalid value for ${where}: "${value}" is not a positive integer`);
        }
        this.handshakeTimeout = n;
        break;
      }
      case 'client.portUnification':
        if (value.toLowerCase() === 'true') {
          throw new ConfigError(
            `${where}: plain and TLS clients on one port is not supported by the embedded ` +
              'coordinator; give TLS its own secureClientPort',
          );
        }
        return true;
      default:
        if (key in BUILT_IN_CLASSES) {
          if (value !== BUILT_IN_CLASSES[key]) {
            warnings.push(`${where} is ignored: this server has ${BUILT_IN_CLASSES[key]} built in`);
          }
          return true;
        }
        if (IGNORED_SSL_KEYS.has(key)) {
          warnings.push(`${where} is ignored: the embedded coordinator uses Node's TLS defaults`);
          return true;
        }
        return false;
    }
    this.seen.push(where);
    return true;
  }

  /** The checked TLS settings, or undefined when no secureClientPort is set. */
  finish(cwd: string, warnings: string[]): CoordinatorTlsConfig | undefined {
    if (this.port === undefined) {
      if (this.seen.length > 0) {
        warnings.push(`${this.seen.join(', ')}: ignored without a secureClientPort`);
      }
      return undefined;
    }
    if (this.keyStore === undefined || this.keyStore.location === '') {
      throw new ConfigError(
        "secureClientPort needs ssl.keyStore.location: a PEM file holding the server's " +
          'private key and certificate',
      );
    }
    checkStoreType('ssl.keyStore', this.keyStore);
    if (this.trustStore !== undefined) {
      if (this.trustStore.location === '') {
        throw new ConfigError(
          `${this.trustStore.typeWhere} is set without ssl.trustStore.location`,
        );
      }
      checkStoreType('ssl.trustStore', this.trustStore);
    }
    return {
      secureClientPort: this.port,
      secureClientPortAddress: this.address,
      keyStoreLocation: path.resolve(cwd, this.keyStore.location),
      keyStorePassword: this.keyStorePassword === '' ? undefined : this.keyStorePassword,
      trustStoreLocation:
        this.trustStore === undefined ? undefined : path.resolve(cwd, this.trustStore.location),
      clientAuth: this.clientAuth ?? 'need',
      handshakeDetectionTimeoutMillis: this.handshakeTimeout ?? 5000,
    };
  }
}

function parsePort(where: string, value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65535) {
    throw new ConfigError(`Invalid value for ${where}: "${value}" is not a port number`);
  }
  return n;
}

/**
 * KeyStoreFileType: the type named by ssl.*.type (any case), else guessed from the file's
 * extension. ZooKeeper also reads JKS, PKCS12 and BCFKS; this server reads PEM only, and says so.
 */
function checkStoreType(prefix: string, store: StoreKeys): void {
  const named = store.type?.trim().toUpperCase();
  const ext = path.extname(store.location).toLowerCase();
  const guessed: Record<string, string> = {
    '.pem': 'PEM',
    '.jks': 'JKS',
    '.p12': 'PKCS12',
    '.pfx': 'PKCS12',
    '.bcfks': 'BCFKS',
  };
  const type = named !== undefined && named !== '' ? named : guessed[ext];
  if (type === undefined) {
    throw new ConfigError(
      `${store.where}: cannot tell the store type of "${store.location}" from its extension; ` +
        `set ${prefix}.type=PEM`,
    );
  }
  if (type === 'PEM') return;
  const source = named !== undefined && named !== '' ? store.typeWhere : store.where;
  if (['JKS', 'PKCS12', 'BCFKS'].includes(type)) {
    throw new ConfigError(
      `${source}: ${type} stores are not supported by the embedded coordinator; give it PEM ` +
        `(${prefix}.type=PEM), e.g. exported with keytool -exportcert -rfc and ` +
        'openssl pkcs12 -nodes',
    );
  }
  throw new ConfigError(`Invalid value for ${source}: "${store.type}"; choose PEM`);
}
