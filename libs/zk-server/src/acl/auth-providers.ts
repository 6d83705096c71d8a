import { Id } from '@shepherd/zk-protocol';
import { DIGEST_SCHEME, IP_SCHEME, SUPER_SCHEME } from './auth-info';
import { digestUserName, generateDigest, isValidDigestId } from './digest';
import { ipMatches, isValidIpAclId, normalizeClientAddress } from './ip-auth';
import { AuthProvider } from './auth-provider';
import { X509_SCHEME, x509Provider } from './x509';

export type { AuthProvider } from './auth-provider';

const digestProvider: AuthProvider = {
  scheme: DIGEST_SCHEME,
  isAuthenticated: true,
  isValid: isValidDigestId,
  matches: (id, aclExpr) => id === aclExpr,
  userName: digestUserName,
};

const ipProvider: AuthProvider = {
  scheme: IP_SCHEME,
  isAuthenticated: false,
  isValid: isValidIpAclId,
  matches: ipMatches,
  userName: (id) => id,
};

const PROVIDERS = new Map<string, AuthProvider>([
  [DIGEST_SCHEME, digestProvider],
  [IP_SCHEME, ipProvider],
]);

/**
 * The provider of `scheme`. `x509` exists only where `withX509` says so: on a server that serves
 * TLS (see x509.ts); the ids a connection holds can always be matched, since an x509 id is
 * only ever given on such a server.
 */
export function authProvider(scheme: string, withX509 = false): AuthProvider | undefined {
  if (scheme === X509_SCHEME) return withX509 ? x509Provider : undefined;
  return PROVIDERS.get(scheme);
}

export interface AuthenticateOptions {
  /** zookeeper.DigestAuthenticationProvider.superDigest, e.g. "super:<base64 sha1>". */
  superDigest?: string;
  /** The client's address, for `addauth ip`. */
  clientAddress?: string;
}

/**
 * AuthenticationProvider.handleAuthentication for an `auth` packet: the ids to add to the
 * connection, or null for AuthFailed (unknown scheme). Digest adds `super:` first when the
 * digest equals the configured super digest (DigestAuthenticationProvider).
 */
export function authenticate(
  scheme: string,
  auth: Buffer,
  opts: AuthenticateOptions = {},
): Id[] | null {
  if (scheme === DIGEST_SCHEME) {
    const digest = generateDigest(auth.toString('utf8'));
    const ids: Id[] = [];
    if (opts.superDigest !== undefined && digest === opts.superDigest) {
      ids.push({ scheme: SUPER_SCHEME, id: '' });
    }
    ids.push({ scheme: DIGEST_SCHEME, id: digest });
    return ids;
  }
  if (scheme === IP_SCHEME && opts.clientAddress !== undefined) {
    return [{ scheme: IP_SCHEME, id: normalizeClientAddress(opts.clientAddress) }];
  }
  return null;
}

/** The auth info a new connection starts with (NIOServerCnxn/NettyServerCnxn: ip:<addr>). */
export function initialAuthInfo(clientAddress: string): Id[] {
  return [{ scheme: IP_SCHEME, id: normalizeClientAddress(clientAddress) }];
}

/**
 * AuthUtil.getClientInfos, for whoAmI: one entry per id whose scheme has a provider (so the
 * `super` id is not listed).
 */
export function clientInfos(authInfo: readonly Id[]): { authScheme: string; user: string }[] {
  const out: { authScheme: string; user: string }[] = [];
  for (const id of authInfo) {
    const p = authProvider(id.scheme, true);
    if (p) out.push({ authScheme: id.scheme, user: p.userName(id.id) });
  }
  return out;
}
