import { X509Certificate } from 'node:crypto';
import type { AuthProvider } from './auth-provider';

export const X509_SCHEME = 'x509';

/**
 * The `x509` scheme (X509AuthenticationProvider): a client that presents a certificate the
 * trust store accepts on the TLS port is `x509:<subject DN>`, and an ACL entry matches it when
 * the DN is the same string. Registered only on a server that serves TLS, as ZooKeeper has it
 * only with TLS configured (authProvider.x509); elsewhere x509 ACLs are InvalidACL.
 */
export const x509Provider: AuthProvider = {
  scheme: X509_SCHEME,
  isAuthenticated: true,
  isValid: isDistinguishedName,
  matches: (id, aclExpr) => id === aclExpr,
  userName: (id) => id,
};

/**
 * The certificate's subject as X500Principal.getName() writes it (RFC 2253): the most specific
 * RDN first, comma-separated, special characters escaped. Node lists the RDNs in encoded order
 * (most significant first), one per line, escaped the same way. Attribute names are Node's
 * short names (CN, O, OU, C, ST, L, DC, ...); Java writes the few it has no keyword for as OIDs.
 */
export function subjectDistinguishedName(cert: X509Certificate): string {
  return cert.subject.split('\n').filter(Boolean).reverse().join(',');
}

/**
 * Whether `id` parses as a distinguished name (X509AuthenticationProvider.isValid builds an
 * X500Principal from it): attribute=value pairs separated by unescaped commas (or + within an
 * RDN), each attribute a keyword or a dotted OID. The empty name is valid.
 */
export function isDistinguishedName(id: string): boolean {
  if (id.trim() === '') return true;
  for (const part of splitUnescaped(id)) {
    if (!/^\s*([A-Za-z][A-Za-z0-9-]*|[0-9]+(\.[0-9]+)*)\s*=/.test(part)) return false;
  }
  return true;
}

function splitUnescaped(dn: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < dn.length; i++) {
    const c = dn[i];
    if (c === '\\' && i + 1 < dn.length) {
      current += c + dn[++i];
    } else if (c === ',' || c === '+' || c === ';') {
      parts.push(current);
      current = '';
    } else {
      current += c;
    }
  }
  parts.push(current);
  return parts;
}
