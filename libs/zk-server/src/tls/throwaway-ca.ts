import {
  KeyObject,
  X509Certificate,
  createHash,
  generateKeyPairSync,
  randomBytes,
  sign,
} from 'node:crypto';
import { isIP } from 'node:net';
import { subjectDistinguishedName } from '../acl/x509';
import {
  bitString,
  boolean,
  explicit,
  implicit,
  octetString,
  oid,
  sequence,
  set,
  smallInteger,
  time,
  unsignedInteger,
  utf8String,
} from './der';

/** Who a certificate names (RFC 5280 4.1.2.6), most significant attribute last. */
export interface CertificateName {
  commonName: string;
  organizationalUnit?: string;
  organization?: string;
}

export interface IssueOptions extends CertificateName {
  /** DNS names and IP addresses the certificate is good for (subjectAltName). Default none. */
  hosts?: string[];
  /** Days of validity from an hour ago. Default 30. */
  days?: number;
}

/** A key and its certificate, PEM, as a TLS server or client (or zoo.cfg's PEM keystore) takes them. */
export interface IssuedCertificate {
  /** PKCS#8 PEM. */
  key: string;
  /** PEM. */
  cert: string;
  /** The subject as ZooKeeper's x509 scheme names it: the id an ACL grants. */
  subject: string;
}

export interface ThrowawayCa extends IssuedCertificate {
  /** A server or client certificate signed by this CA (serverAuth and clientAuth both). */
  issue(options: IssueOptions): IssuedCertificate;
}

/**
 * A certificate authority that lives as long as a dev cluster or a test: P-256 keys from
 * node:crypto, certificates written in DER by hand (RFC 5280), signed ECDSA with SHA-256 (RFC
 * 5758). Nothing to install and nothing to keep; Apache ZooKeeper's PEM keystore reads the
 * result as well as Node does. Not for production: no revocation, keys never leave memory
 * protected.
 */
export function createThrowawayCa(
  name: CertificateName = { commonName: 'Shepherd throwaway CA', organization: 'Shepherd' },
  days = 30,
): ThrowawayCa {
  const keys = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const issuerName = encodeName(name);
  const caKeyId = keyIdentifier(keys.publicKey);
  const ca = writeCertificate({
    subject: issuerName,
    issuer: issuerName,
    publicKey: keys.publicKey,
    signingKey: keys.privateKey,
    authorityKeyId: caKeyId,
    days,
    extensions: [
      extension('2.5.29.19', sequence(boolean(true)), true), // basicConstraints: cA
      extension('2.5.29.15', bitString(Buffer.from([0x06]), 1), true), // keyCertSign, cRLSign
    ],
  });
  return {
    ...ca,
    issue(options) {
      const leaf = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
      const extensions = [
        extension('2.5.29.19', sequence(), true), // basicConstraints: not a CA
        extension('2.5.29.15', bitString(Buffer.from([0x80]), 7), true), // digitalSignature
        // extKeyUsage: serverAuth, clientAuth (one certificate serves either end).
        extension('2.5.29.37', sequence(oid('1.3.6.1.5.5.7.3.1'), oid('1.3.6.1.5.5.7.3.2'))),
      ];
      const hosts = options.hosts ?? [];
      if (hosts.length > 0) extensions.push(extension('2.5.29.17', subjectAltName(hosts)));
      return writeCertificate({
        subject: encodeName(options),
        issuer: issuerName,
        publicKey: leaf.publicKey,
        privateKey: leaf.privateKey,
        signingKey: keys.privateKey,
        authorityKeyId: caKeyId,
        days: options.days ?? days,
        extensions,
      });
    },
  };
}

interface CertificateParts {
  subject: Buffer;
  issuer: Buffer;
  publicKey: KeyObject;
  /** The subject's key, when it is not the signing key (a leaf). */
  privateKey?: KeyObject;
  signingKey: KeyObject;
  authorityKeyId: Buffer;
  days: number;
  extensions: Buffer[];
}

const ECDSA_WITH_SHA256 = sequence(oid('1.2.840.10045.4.3.2'));

/** RFC 5280 4.1: Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue }. */
function writeCertificate(parts: CertificateParts): IssuedCertificate {
  const now = Date.now();
  const serial = randomBytes(16);
  serial[0] &= 0x7f; // positive, 4.1.2.2
  const spki = parts.publicKey.export({ type: 'spki', format: 'der' });
  const tbs = sequence(
    explicit(0, smallInteger(2)), // v3
    unsignedInteger(serial),
    ECDSA_WITH_SHA256,
    parts.issuer,
    sequence(time(new Date(now - 3600_000)), time(new Date(now + parts.days * 86400_000))),
    parts.subject,
    spki,
    explicit(
      3,
      sequence(
        ...parts.extensions,
        extension('2.5.29.14', octetString(keyIdentifier(parts.publicKey))), // subjectKeyIdentifier
        extension('2.5.29.35', sequence(implicit(0, parts.authorityKeyId))), // authorityKeyIdentifier
      ),
    ),
  );
  const signature = sign('sha256', tbs, parts.signingKey); // DER ECDSA-Sig-Value
  const der = sequence(tbs, ECDSA_WITH_SHA256, bitString(signature));
  const cert = toPem('CERTIFICATE', der);
  const key = (parts.privateKey ?? parts.signingKey).export({ type: 'pkcs8', format: 'pem' });
  return {
    key: key.toString(),
    cert,
    subject: subjectDistinguishedName(new X509Certificate(cert)),
  };
}

/** Name ::= SEQUENCE OF RDN, most significant first: O, OU, CN (UTF8String values). */
function encodeName(name: CertificateName): Buffer {
  const rdns: Buffer[] = [];
  const add = (type: string, value: string | undefined) => {
    if (value !== undefined) rdns.push(set(sequence(oid(type), utf8String(value))));
  };
  add('2.5.4.10', name.organization);
  add('2.5.4.11', name.organizationalUnit);
  add('2.5.4.3', name.commonName);
  return sequence(...rdns);
}

/** Extension ::= SEQUENCE { extnID, critical DEFAULT FALSE, extnValue OCTET STRING }. */
function extension(id: string, value: Buffer, critical = false): Buffer {
  return critical
    ? sequence(oid(id), boolean(true), octetString(value))
    : sequence(oid(id), octetString(value));
}

/** GeneralNames: dNSName [2] for names, iPAddress [7] (4 or 16 bytes) for addresses. */
function subjectAltName(hosts: string[]): Buffer {
  return sequence(
    ...hosts.map((h) => {
      const family = isIP(h);
      if (family === 4) return implicit(7, Buffer.from(h.split('.').map(Number)));
      if (family === 6) return implicit(7, ipv6Bytes(h));
      return implicit(2, Buffer.from(h, 'ascii'));
    }),
  );
}

function ipv6Bytes(address: string): Buffer {
  const [head, tail] = address.split('::');
  const groups = (s: string | undefined) => (s ? s.split(':') : []);
  const left = groups(head);
  const right = groups(tail);
  const fill = tail === undefined ? [] : new Array(8 - left.length - right.length).fill('0');
  const out = Buffer.alloc(16);
  [...left, ...fill, ...right].forEach((g, i) => out.writeUInt16BE(parseInt(g, 16), i * 2));
  return out;
}

/** RFC 5280 4.2.1.2 method (1): SHA-1 of the subjectPublicKey bits. */
function keyIdentifier(publicKey: KeyObject): Buffer {
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  // For an EC key the BIT STRING is the SPKI's last 66 bytes (tag, length, unused-bits, point).
  const point = spki.subarray(spki.length - 65);
  return createHash('sha1').update(point).digest();
}

function toPem(label: string, der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}
